import { falcoVerdict } from './falco-load-verdicts';
import { falcoBinary, falcoValidate, scratchDir } from './falco-support';
import { DIAGNOSTIC_CODES } from '../../lib/falco/rules/diagnostics';
import { loadRuleFiles } from '../../lib/falco/rules/loader';

/**
 * Each difference from Falco the README's "Differences from Falco" (rule language) lists, shown on a file where
 * real Falco 0.44.1 (`falco -V`) and our loader are run side by side: Falco agrees it is a difference.
 */

const rule = (condition: string, name = 'R') => `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o %proc.name\n  priority: WARNING\n`;

const scratch = scratchDir('falco-differences-');
afterAll(() => scratch.dispose());

async function both(name: string, text: string) {
  falcoBinary();
  const [falco] = await falcoValidate([scratch.write(name, text)]);
  const ours = loadRuleFiles([{ name, content: text }]);
  return {
    falco: { ok: falco.successful, errors: falco.errors.map((e) => e.code), warnings: falco.warnings.map((w) => w.code) },
    ours: {
      ok: ours.ok,
      errors: ours.diagnostics.filter((d) => d.severity === 'error').map((d) => DIAGNOSTIC_CODES[d.code].falco),
      warnings: ours.diagnostics.filter((d) => d.severity === 'warning').map((d) => DIAGNOSTIC_CODES[d.code].falco),
    },
  };
}

describe('the documented differences from Falco 0.44.1, each shown with real Falco', () => {
  test('all problems are reported; Falco stops at the first error of a file', async () => {
    const r = await both('two-errors.yaml', rule('evt.type = open and proc.nmae = x', 'A') + rule('evt.type = open and proc.pid = abc', 'B'));
    expect(r.falco).toMatchObject({ ok: false, errors: ['LOAD_ERR_COMPILE_CONDITION'] });
    expect(r.ours).toMatchObject({ ok: false, errors: ['LOAD_ERR_COMPILE_CONDITION', 'LOAD_ERR_COMPILE_CONDITION'] });
  });

  test('a list name where a value stands is pasted as text by both (`proc.name = shells` is `proc.name = bash, sh`): no difference', async () => {
    const r = await both('list-after-eq.yaml', `- list: shells\n  items: [bash, sh]\n${rule('evt.type = open and proc.name = shells')}`);
    expect(r.falco).toMatchObject({ ok: false, errors: ['LOAD_ERR_COMPILE_CONDITION'] });
    expect(r.ours).toMatchObject({ ok: false, errors: ['LOAD_ERR_COMPILE_CONDITION'] });
  });

  test('a bare word after `in` that names no list: Falco reads it as a value; we refuse it as an undefined list', async () => {
    const r = await both('bare-in.yaml', rule('evt.type = open and proc.name in shels'));
    expect(r.falco).toEqual({ ok: true, errors: [], warnings: [] });
    expect(r.ours).toMatchObject({ ok: false, errors: ['LOAD_ERR_COMPILE_CONDITION'] });
  });

  test('a list item that changes the condition\'s structure: Falco loads the changed condition; we refuse the item', async () => {
    const r = await both('structure-item.yaml', `- list: ns\n  items: [billing, "x)or(proc.name=bash"]\n${rule('evt.type = open and proc.name in (ns)')}`);
    // the pasted `or` even takes the evt.type restriction away: Falco warns about that
    expect(r.falco).toEqual({ ok: true, errors: [], warnings: ['LOAD_NO_EVTTYPE'] });
    expect(r.ours).toMatchObject({ ok: false, errors: ['LOAD_ERR_COMPILE_CONDITION'] });
  });

  test('an unused macro\'s fields are not checked, by Falco either (so this is no difference); both warn that it is unused', async () => {
    const r = await both('unused-macro-fields.yaml', `- macro: m\n  condition: proc.nmae = x\n${rule('evt.type = open')}`);
    expect(r.falco).toEqual({ ok: true, errors: [], warnings: ['LOAD_UNUSED_MACRO'] });
    expect(r.ours).toEqual({ ok: true, errors: [], warnings: ['LOAD_UNUSED_MACRO'] });
  });

  test('Falco warns that a regex with no pattern syntax could be a simpler operator (LOAD_COMPILE_CONDITION); we do not', async () => {
    const r = await both('plain-regex.yaml', rule('evt.type = open and proc.name regex "bash"'));
    expect(r.falco).toEqual({ ok: true, errors: [], warnings: ['LOAD_COMPILE_CONDITION'] });
    expect(r.ours).toEqual({ ok: true, errors: [], warnings: [] });
  });

  test('inside a quoted string a list name is not replaced, by Falco either (so this is no difference)', async () => {
    const r = await both('list-in-quotes.yaml', `- list: shells\n  items: [bash]\n${rule('evt.type = open and proc.cmdline contains "shells x"')}`);
    expect(r.falco.ok).toBe(true);
    expect(r.falco.warnings).toEqual(['LOAD_UNUSED_LIST']);
    expect(r.ours.ok).toBe(true);
  });

  test('lists nested three deep load in both (a list item naming an earlier list takes its items as written, one level deep)', async () => {
    const r = await both('nested.yaml', `- list: a\n  items: [x]\n- list: b\n  items: [a]\n- list: c\n  items: [b]\n${rule('evt.type = open and proc.name in (c)')}`);
    expect(r.falco).toEqual({ ok: true, errors: [], warnings: [] });
    expect(r.ours).toEqual({ ok: true, errors: [], warnings: [] });
  });

  test('a rule of a source nobody loads is skipped with LOAD_UNKNOWN_SOURCE by both (no difference)', async () => {
    const r = await both('unknown-source.yaml', `${rule('foo.bar = 1')}  source: nosuch\n`);
    expect(r.falco).toEqual({ ok: true, errors: [], warnings: ['LOAD_UNKNOWN_SOURCE'] });
    expect(r.ours).toEqual({ ok: true, errors: [], warnings: ['LOAD_UNKNOWN_SOURCE'] });
  });

  test('Falco checks event argument names after evt.arg. against the event table; we do not', async () => {
    const r = await both('evt-arg.yaml', rule('evt.type = open and evt.arg.nosucharg = x'));
    expect(r.falco).toMatchObject({ ok: false, errors: ['LOAD_ERR_COMPILE_CONDITION'] });
    expect(r.ours.ok).toBe(true);
  });

  test('a port name: Falco looks it up in /etc/services (of this machine here, of the node in a cluster); we refuse it', async () => {
    const r = await both('port-name.yaml', rule('evt.type = connect and fd.sport = http'));
    expect(r.falco).toEqual({ ok: true, errors: [], warnings: [] });
    expect(r.ours).toMatchObject({ ok: false, errors: ['LOAD_ERR_COMPILE_CONDITION'] });
  });

  test('required_plugin_versions: Falco refuses a requirement the loaded plugins do not meet (container 0.7.1 here); we check its form only', async () => {
    const text = `- required_plugin_versions:\n    - name: container\n      version: 9.0.0\n${rule('evt.type = open')}`;
    const falco = await falcoVerdict(scratch.write('plugin-version.yaml', text));
    expect({ ok: falco.ok, categories: falco.categories }).toEqual({ ok: false, categories: ['LOAD_ERR_PLUGIN_REQUIREMENT'] });
    expect(loadRuleFiles([{ name: 'plugin-version.yaml', content: text }]).ok).toBe(true);
    const malformed = `- required_plugin_versions:\n    - name: container\n${rule('evt.type = open')}`;
    const [falcoMalformed] = await falcoValidate([scratch.write('plugin-version-malformed.yaml', malformed)]);
    expect(falcoMalformed.successful).toBe(false);
    expect(loadRuleFiles([{ name: 'plugin-version-malformed.yaml', content: malformed }]).ok).toBe(false);
  });

  test('a duplicate key in a mapping: Falco (yaml-cpp) keeps one silently; we refuse the file', async () => {
    const r = await both('duplicate-key.yaml', '- rule: R\n  desc: d\n  condition: evt.type = open\n  condition: evt.type = close\n  output: o\n  priority: WARNING\n');
    expect(r.falco).toEqual({ ok: true, errors: [], warnings: [] });
    expect(r.ours).toMatchObject({ ok: false, errors: ['LOAD_ERR_YAML_PARSE'] });
  });
});
