import { falcoValidate, scratchDir } from './falco-support';
import { loadRuleFiles } from '../../lib/falco/rules/loader';
import { WARNING_FIXTURES } from '../falco/rules/warning-fixtures';

/**
 * The rule-language warnings our loader gives (test/falco/rules/load-warnings.test.ts), judged by real Falco
 * 0.44.1: `falco -V` loads each file successfully with the same warning code about the same item.
 * LOAD_UNUSED_LIST/MACRO, which Falco adds for an invalid (so never referenced) list or macro name, are left aside.
 */
describe('real Falco 0.44.1 gives our loader\'s warning code for each file', () => {
  const scratch = scratchDir('ds-load-warnings-');
  afterAll(() => scratch.dispose());

  test.each(WARNING_FIXTURES.map((f) => [f.code, f]))('%s', async (code, f) => {
    const file = scratch.write(`${code.toLowerCase()}.yaml`, f.content);
    const [falco] = await falcoValidate([file]);
    const falcoWarnings = falco.warnings.filter((w) => !w.code.startsWith('LOAD_UNUSED_'));
    expect({ successful: falco.successful, errors: falco.errors, codes: falcoWarnings.map((w) => w.code) })
      .toEqual({ successful: true, errors: [], codes: [code] });
    expect(falcoWarnings[0].item).toBe(f.falcoItem);
    const ours = loadRuleFiles([{ name: file, content: f.content }]);
    expect(ours.ok).toBe(true);
    expect(ours.diagnostics.filter((d) => !d.code.startsWith('LOAD_UNUSED_')).map((d) => d.code)).toEqual([code]);
  });
});
