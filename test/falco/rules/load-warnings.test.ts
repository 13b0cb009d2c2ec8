import { WARNING_FIXTURES } from './warning-fixtures';
import { loadRuleFiles } from '../../../lib/falco/rules/loader';

// Real Falco 0.44.1 gives the same code for each file: test/conformance/falco-load-warning-codes.test.ts.
describe('files Falco loads with a warning: the loader warns with Falco\'s code, the place and the item', () => {
  test.each(WARNING_FIXTURES.map((f) => [f.code, f]))('%s', (code, f) => {
    const result = loadRuleFiles([{ name: 'w.yaml', content: f.content }]);
    // an invalid macro or list name is also unused, which Falco warns about too (LOAD_UNUSED_*): not under test here
    expect(result.diagnostics.filter((d) => !d.code.startsWith('LOAD_UNUSED_')).map((d) => ({ severity: d.severity, code: d.code, at: `${d.file}:${d.line}:${d.col}`, item: d.item })))
      .toEqual([{ severity: 'warning', code, at: `w.yaml:${f.at}`, item: f.item }]);
    expect(result.ok).toBe(true);
  });

  test('each code has its own file, and the messages say what Falco says', () => {
    expect(new Set(WARNING_FIXTURES.map((f) => f.code)).size).toBe(WARNING_FIXTURES.length);
    const messageOf = (code: string) => loadRuleFiles([{ name: 'w.yaml', content: WARNING_FIXTURES.find((f) => f.code === code)!.content }]).diagnostics[0].message;
    expect(messageOf('LOAD_APPEND_NO_VALUES')).toBe('Overriding/appending exception with no values');
    expect(messageOf('LOAD_EXCEPTION_NAME_NOT_UNIQUE')).toBe('Multiple definitions of exception \'ci\' in the same rule');
    expect(messageOf('LOAD_UNKNOWN_ITEM')).toMatch(/^Unknown top level item/);
  });
});
