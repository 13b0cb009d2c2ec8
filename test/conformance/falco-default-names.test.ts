import { readFileSync } from 'fs';
import { corpusPath } from './corpora';
import { falcoListing, falcoRuleDetails } from './falco-support';
import { readRuleItems } from '../../lib/falco';
import {
  FALCO_DEFAULT_RULES_NAMES, FALCO_DEFAULT_RULES_TAGS, K8SAUDIT_RULES_NAMES, K8SAUDIT_RULES_TAGS,
} from '../../lib/falco/rules/default-rules-names.generated';
import { PredefinedNames } from '../../lib/falco/rules/loader';

/**
 * The names the library knows of the rules files a node loads before the custom rules
 * (lib/falco/rules/default-rules-names.generated.ts, made by scripts/gen-default-rules-names.ts) are the
 * names of those files in the corpus: of falco_rules.yaml as real Falco 0.44.1 lists them (`falco -L`), and of
 * k8s_audit_rules.yaml as our reader reads it (the k8saudit plugin is not among the pinned tools, so Falco cannot
 * load it here). A stale generated file (the corpus moved to another rules release) fails here with the
 * names that differ; regenerate it with the script.
 */

type Names = Pick<PredefinedNames, 'macros' | 'lists' | 'rules'>;

const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();
const namesOnly = (n: PredefinedNames): Names => ({ macros: [...n.macros], lists: [...n.lists], rules: [...n.rules] });

function namesInFile(dir: string, file: string): Names {
  const { items, diagnostics } = readRuleItems({ name: file, content: readFileSync(corpusPath(dir, file), 'utf8') });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const of = (kind: 'macro' | 'list' | 'rule') => sorted(items.flatMap((i) => (i.kind === kind && 'name' in i ? [i.name] : [])));
  return { macros: of('macro'), lists: of('list'), rules: of('rule') };
}

describe('generated default-rules names against the corpus', () => {
  test('falco_rules.yaml: the names real falco -L lists', async () => {
    const listed = await falcoListing([corpusPath('falco-rules', 'falco_rules.yaml')]);
    expect(listed.rules.length).toBeGreaterThan(20);
    expect(namesOnly(FALCO_DEFAULT_RULES_NAMES)).toEqual({
      macros: sorted(listed.macros.map((m) => m.name)),
      lists: sorted(listed.lists.map((l) => l.name)),
      rules: sorted(listed.rules.map((r) => r.name)),
    });
  });

  test('falco_rules.yaml: the names our reader reads', () => {
    expect(namesOnly(FALCO_DEFAULT_RULES_NAMES)).toEqual(namesInFile('falco-rules', 'falco_rules.yaml'));
  });

  test('k8s_audit_rules.yaml: the names our reader reads', () => {
    const names = namesInFile('falco-plugin-rules', 'k8s_audit_rules.yaml');
    expect(names.rules.length).toBeGreaterThan(20);
    expect(namesOnly(K8SAUDIT_RULES_NAMES)).toEqual(names);
  });

  test('falco_rules.yaml: the tags of each enabled rule are the ones real falco -L reports (they count in the MITRE coverage)', async () => {
    const details = await falcoRuleDetails([corpusPath('falco-rules', 'falco_rules.yaml')]);
    const enabled = Object.fromEntries(details.filter((d) => d.enabled).map((d) => [d.name, [...d.tags].sort()]));
    const ours = Object.fromEntries(Object.entries(FALCO_DEFAULT_RULES_TAGS).map(([n, t]) => [n, [...t].sort()]));
    expect(Object.keys(ours).length).toBeGreaterThan(20);
    expect(ours).toEqual(enabled);
  });

  test('k8s_audit_rules.yaml: the tags of each enabled rule as our reader reads them', () => {
    const { items } = readRuleItems({ name: 'k8s_audit_rules.yaml', content: readFileSync(corpusPath('falco-plugin-rules', 'k8s_audit_rules.yaml'), 'utf8') });
    const enabled = Object.fromEntries(items.flatMap((i) => (i.kind === 'rule' && i.enabled !== false && i.tags ? [[i.name, [...i.tags]]] : [])));
    expect(K8SAUDIT_RULES_TAGS).toEqual(enabled);
  });

  test('the sources are the ones the files are loaded for', () => {
    expect([FALCO_DEFAULT_RULES_NAMES.source, K8SAUDIT_RULES_NAMES.source]).toEqual(['syscall', 'k8s_audit']);
  });
});
