import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { corpusPath } from './corpora';
import { falcoBinary, FalcoMessage, falcoValidate } from './falco-support';
import { FALCO_DEFAULT_RULES_NAMES } from '../../lib/falco/rules/default-rules-names.generated';
import { Diagnostic, DIAGNOSTIC_CODES } from '../../lib/falco/rules/diagnostics';
import { loadRuleFiles } from '../../lib/falco/rules/loader';

/**
 * LOAD_UNUSED_MACRO and LOAD_UNUSED_LIST judged by real Falco 0.44.1 (`falco -V`): on each file of
 * fixtures/falco-unused/, Falco's warnings and ours are the same (code and item), and the unused ones are at the
 * same line and column. The last fixture is loaded after Falco's default rules, as a node loads custom rules:
 * with the default rules file itself, and with only its names (FALCO_DEFAULT_RULES_NAMES).
 */

const FIXTURES = join(__dirname, 'fixtures', 'falco-unused');
/** Folders of rules files loaded together, in name order. */
const MULTI_FILE = join(__dirname, 'fixtures', 'falco-unused-files');
const AFTER_DEFAULTS = 'after-default-rules.yaml';
const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).sort();

const isUnused = (code: string) => code.startsWith('LOAD_UNUSED_');
const falcoKeys = (warnings: readonly FalcoMessage[]) => warnings.map((w) => (isUnused(w.code) ? `${w.code} ${w.item} ${w.at?.line}:${w.at?.col}` : `${w.code} ${w.item ?? ''}`));
const ourKeys = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.severity === 'warning').map((d) => {
  const code = DIAGNOSTIC_CODES[d.code].falco;
  return isUnused(code) ? `${code} ${d.item?.name} ${d.line}:${d.col}` : `${code} ${d.item?.name ?? ''}`;
});

describe('unused macros and lists, judged by real Falco 0.44.1', () => {
  beforeAll(() => falcoBinary());

  test('the fixtures cover unused items of both kinds, and files where Falco gives none', () => {
    expect(files).toEqual(expect.arrayContaining([AFTER_DEFAULTS, 'unused-macro-and-list.yaml', 'with-an-error.yaml', 'exception-value.yaml']));
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  test.each(files.filter((f) => f !== AFTER_DEFAULTS))('%s: the same warnings as Falco, the unused ones at the same place', async (name) => {
    const path = join(FIXTURES, name);
    const [falco] = await falcoValidate([path]);
    const ours = loadRuleFiles([{ name: path, content: readFileSync(path, 'utf8') }]);
    expect({ ok: ours.ok, warnings: ourKeys(ours.diagnostics) }).toEqual({ ok: falco.successful, warnings: falcoKeys(falco.warnings) });
  });

  test('after the default rules: redefined default names are used by the default rules, our own unused ones are not', async () => {
    const defaults = corpusPath('falco-rules', 'falco_rules.yaml');
    const path = join(FIXTURES, AFTER_DEFAULTS);
    const content = readFileSync(path, 'utf8');
    const [falcoDefaults, falco] = await falcoValidate([defaults, path]);
    expect(falcoDefaults.warnings).toEqual([]);
    const expected = falcoKeys(falco.warnings);
    expect(expected.filter((k) => isUnused(k.split(' ')[0]))).toEqual([
      expect.stringMatching(/^LOAD_UNUSED_MACRO mine_too /), expect.stringMatching(/^LOAD_UNUSED_LIST mine /),
    ]);
    const withFile = loadRuleFiles([{ name: defaults, content: readFileSync(defaults, 'utf8') }, { name: path, content }]);
    expect(ourKeys(withFile.diagnostics.filter((d) => d.file === path))).toEqual(expected);
    expect(withFile.diagnostics.filter((d) => d.file !== path)).toEqual([]);
    const withNames = loadRuleFiles([{ name: path, content }], { predefined: FALCO_DEFAULT_RULES_NAMES });
    expect(ourKeys(withNames.diagnostics)).toEqual(expected);
  });

  /**
   * Falco compiles after each file (falco_engine::load_rules compiles everything read so far), so an item used only
   * by a later file is reported when its own file is loaded, and an unused one again after every later file. Ours
   * reports each once, at its place: the distinct warnings are the same.
   */
  test.each(readdirSync(MULTI_FILE).sort())('%s: several files, the unused items Falco reports after any of them', async (folder) => {
    const paths = readdirSync(join(MULTI_FILE, folder)).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(MULTI_FILE, folder, f));
    expect(paths.length).toBeGreaterThanOrEqual(2);
    const falco = await falcoValidate(paths);
    expect(falco.every((r) => r.successful)).toBe(true);
    const key = (code: string, item: string | undefined, file: string | undefined, line: number | undefined, col: number | undefined) =>
      `${code} ${item} ${file}:${line}:${col}`;
    const expected = [...new Set(falco.flatMap((r) => r.warnings).filter((w) => isUnused(w.code))
      .map((w) => key(w.code, w.item, w.at?.file, w.at?.line, w.at?.col)))].sort();
    const ours = loadRuleFiles(paths.map((p) => ({ name: p, content: readFileSync(p, 'utf8') })));
    const actual = ours.diagnostics.filter((d) => isUnused(DIAGNOSTIC_CODES[d.code].falco))
      .map((d) => key(DIAGNOSTIC_CODES[d.code].falco, d.item?.name, d.file, d.line, d.col)).sort();
    expect(actual).toEqual(expected);
    // the point of these fixtures: something is unused only until a later file uses it
    expect(ours.diagnostics.filter((d) => d.message.includes('loaded later')).length).toBeGreaterThan(0);
  });
});
