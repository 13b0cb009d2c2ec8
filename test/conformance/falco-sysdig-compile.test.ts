import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { corpusPath } from './corpora';
import { collectFields, mapChecks, mapLimit, sysdigCompiles, sysdigFieldNames } from './falco-sysdig-support';
import { fieldKey } from '../../lib/falco/evaluator/compile';
import { valueKindOf } from '../../lib/falco/evaluator/values';
import { BinaryCheck, Expr, FieldOperand, FieldRef, TransformerArg } from '../../lib/falco/language/ast';
import { lookupField } from '../../lib/falco/language/fields';
import type { ValueKind } from '../../lib/falco/language/operators';
import { print } from '../../lib/falco/language/printer';
import { renderRulesYaml } from '../../lib/falco/rules/emit';
import { loadRuleFiles } from '../../lib/falco/rules/loader';
import { buildPackRules, toRuleItem } from '../../lib/packs/build';
import type { DetectionPackProps } from '../../lib/packs/props';

/**
 * Every rule condition of the corpora and of the project's own rules, with macros, lists and
 * exceptions expanded by the project's loader and printed by its printer, is compiled by
 * libsinsp as sysdig 0.41.4 (falcosecurity libs 0.23.2, ../shared/tools/sid-0.41) ships it
 * (`sysdig -r x.scap "<condition>"`). The project and sysdig must agree on accept/reject for every
 * condition. The one difference is the fields: sysdig runs without plugins, so the container
 * plugin's fields (`container.*`, `k8s.ns.name`, `k8s.pod.name`) and the k8s_audit and
 * aws_cloudtrail plugin fields are unknown to it. Each such field is replaced by a sysdig field of
 * the same type, and sysdig must then accept the condition: the grammar, operators and values of
 * the printed condition are still checked.
 */

interface Difference {
  readonly id: string;
  readonly reason: string;
  /** How sysdig 0.41.4 words its rejection. */
  readonly sysdigSays: RegExp;
}

const DIFFERENCES: Readonly<Record<string, Difference>> = {
  'unknown-field': {
    id: 'unknown-field',
    reason: 'a plugin field (container.*, k8s.*, ka.*, jevt.*, ct.*: sysdig runs without plugins) or a field newer than sysdig 0.41.4: '
      + 'probed one by one with `sysdig -r x "<field> exists"`, and replaced by a sysdig field of the same type',
    sysdigSays: /filter contains an unknown field|unrecognized field|nonexistent field|unknown event argument/,
  },
};

/** A sysdig field of the same comparison family, to stand in for a field sysdig does not know. */
const STAND_INS: Readonly<Record<ValueKind, string>> = {
  string: 'proc.name',
  number: 'proc.pid',
  bool: 'evt.is_io',
  ipaddr: 'fd.sip',
  ipnet: 'fd.snet',
  bytes: 'evt.buffer',
};

interface SysdigVerdict {
  readonly accepted: boolean;
  readonly message: string;
}

/** sysdig on the condition as printed, and on its rewrite when it rejects the original. */
interface Verdict {
  readonly original: SysdigVerdict;
  readonly rewritten?: SysdigVerdict & { readonly text: string };
}

interface ConditionCase {
  /** Where it comes from: `file: rule name`. */
  readonly origin: string;
  readonly source: string;
  readonly expr: Expr;
  readonly text: string;
}

function corpusRuleSets(): { label: string; files: string[]; only: string }[] {
  const rules = (f: string) => corpusPath('falco-rules', f);
  const plugins = (f: string) => corpusPath('falco-plugin-rules', f);
  return [
    { label: 'falco_rules.yaml', files: [rules('falco_rules.yaml')], only: rules('falco_rules.yaml') },
    { label: 'falco-incubating_rules.yaml', files: [rules('falco-incubating_rules.yaml')], only: rules('falco-incubating_rules.yaml') },
    { label: 'falco-sandbox_rules.yaml', files: [rules('falco-sandbox_rules.yaml')], only: rules('falco-sandbox_rules.yaml') },
    { label: 'k8s_audit_rules.yaml', files: [plugins('k8s_audit_rules.yaml')], only: plugins('k8s_audit_rules.yaml') },
    // The GKE file appends to the k8s audit rules: it loads after them, as Falco is told to.
    { label: 'k8s_audit_rules_gke.yaml', files: [plugins('k8s_audit_rules.yaml'), plugins('k8s_audit_rules_gke.yaml')], only: plugins('k8s_audit_rules_gke.yaml') },
    { label: 'aws_cloudtrail_rules.yaml', files: [plugins('aws_cloudtrail_rules.yaml')], only: plugins('aws_cloudtrail_rules.yaml') },
  ];
}

const PROJECT_ROOT = join(__dirname, '..', '..');

function yamlFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return yamlFilesUnder(p);
    return /\.ya?ml$/.test(name) ? [p] : [];
  });
}

/** The project's own rules: every rules YAML under rules/, and the detection packs bound to the fixture props. */
function projectRuleFiles(): { name: string; content: string }[] {
  const files = yamlFilesUnder(join(PROJECT_ROOT, 'rules')).map((p) => ({ name: relative(PROJECT_ROOT, p), content: readFileSync(p, 'utf8') }));
  const propsFile = join(PROJECT_ROOT, 'rules', 'fixture-props.json');
  if (existsSync(propsFile)) {
    const props = JSON.parse(readFileSync(propsFile, 'utf8')) as DetectionPackProps;
    files.push({ name: 'packs (rules/fixture-props.json)', content: renderRulesYaml(buildPackRules(props).map((r) => toRuleItem(r))) });
  }
  return files;
}

function loadCases(label: string, inputs: { name: string; content: string }[], only?: string): ConditionCase[] {
  const result = loadRuleFiles(inputs);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${label} does not load: ${errors.slice(0, 3).map((d) => `${d.file}:${d.line} ${d.message}`).join('; ')}`);
  const names = only ? new Set(result.files.find((f) => f.name === only)?.items.filter((i) => i.kind === 'rule').map((i) => (i as { name: string }).name)) : undefined;
  return result.ruleset.rules
    .filter((r) => !names || names.has(r.name))
    .map((r) => ({ origin: `${label}: ${r.name}`, source: r.source, expr: r.condition, text: print(r.condition) }));
}

function allCases(): ConditionCase[] {
  const cases = corpusRuleSets().flatMap((set) =>
    loadCases(set.label, set.files.map((f) => ({ name: f, content: readFileSync(f, 'utf8') })), set.only));
  const project = projectRuleFiles();
  for (const file of project) cases.push(...loadCases(file.name, [file]));
  const seen = new Set<string>();
  return cases.filter((c) => {
    const key = `${c.source}\u0000${c.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The documented differences a condition uses, given the fields sysdig does not know. */
function differencesOf(expr: Expr, unknown: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  if (collectFields(expr).some((f) => unknown.has(fieldKey(f.name, f.arg)))) found.add('unknown-field');
  return found;
}

function standIn(field: FieldRef, source: string): FieldRef {
  const info = lookupField(source, field.name)?.field;
  const kind = info ? (info.isList ? 'string' : valueKindOf(info.type)) : 'string';
  return { kind: 'field', name: STAND_INS[kind], pos: field.pos };
}

/** Replaces every field sysdig does not know by its stand-in, transformer arguments included. */
function rewrite(expr: Expr, source: string, unknown: ReadonlySet<string>): Expr {
  const fixArg = (arg: TransformerArg): TransformerArg => {
    switch (arg.kind) {
      case 'field': return unknown.has(fieldKey(arg.name, arg.arg)) ? standIn(arg, source) : arg;
      case 'transformer': return { ...arg, args: arg.args.map(fixArg) };
      case 'transformerList': return { ...arg, items: arg.items.map((i) => fixArg(i) as typeof i) };
      default: return arg;
    }
  };
  const fix = (operand: FieldOperand) => fixArg(operand) as FieldOperand;
  return mapChecks(expr, (c) => {
    if (c.kind === 'unaryCheck') return { ...c, left: fix(c.left) };
    if (c.kind !== 'binaryCheck') return c;
    return { ...c, left: fix(c.left), right: c.right.kind === 'transformer' ? fix(c.right) : c.right } as BinaryCheck;
  });
}

/** Conditions the project rejects: sysdig must reject each too. */
const INVALID: readonly string[] = [
  'proc.aname[abc] = x',
  'proc.nme = bash',
  'proc.name === bash',
  '(proc.name = bash',
  'proc.name = bash)',
  'proc.name = "bash',
  'proc.name = bash and',
  'not',
  'proc.pid = abc',
  'evt.is_io = 1',
  'fd.sip = 10.0.0.300',
  'proc.name startswith (a, b)',
  'proc.name exists bash',
  'evt.type = open or or proc.name = x',
];

/**
 * Known disagreements, each with the verdict of real Falco 0.44.1 (`falco -V`) and sysdig 0.41.4: the
 * project rejects, both real programs accept. Kept visible (and asserted, so a fix shows up here) until
 * the loader is changed.
 */
const KNOWN_DISAGREEMENTS: readonly { readonly condition: string; readonly falco: string }[] = [
  {
    condition: 'evt.type = open and proc.name in bash_binaries',
    falco: 'accepted: a bare name after `in` that names no list is a single value (Falco pastes list names as text)',
  },
];

function invalidRulesFile(condition: string): string {
  return `- rule: Invalid\n  desc: d\n  condition: ${JSON.stringify(condition)}\n  output: o\n  priority: WARNING\n`;
}

/** Fields of Falco 0.44.1's own syscall field list (the corpus file, printed by `falco --list=syscall`), without the plugins. */
function falcoSyscallFields(): ReadonlySet<string> {
  const listed = JSON.parse(readFileSync(corpusPath('falco-fields-syscall-0.44.1.json'), 'utf8')) as { fields: { name: string }[] };
  return new Set(listed.fields.map((f) => f.name));
}

describe('the project and sysdig 0.41.4 agree on which conditions compile', () => {
  const cases = allCases();
  const unknownFields = new Set<string>();
  const verdicts = new Map<string, Verdict>();

  beforeAll(async () => {
    const sysdigKnows = sysdigFieldNames();
    // Fields to probe: those sysdig does not list, and every field written with an argument.
    const toProbe = new Set<string>();
    for (const c of cases) {
      for (const f of collectFields(c.expr)) {
        if (!sysdigKnows.has(f.name) || f.arg !== undefined) toProbe.add(fieldKey(f.name, f.arg));
      }
    }
    const probes = [...toProbe];
    const known = await mapLimit(probes, 2, async (f) => (await sysdigCompiles(`${f} exists`)).accepted);
    probes.forEach((f, i) => {
      if (!known[i]) unknownFields.add(f);
    });
    const results = await mapLimit(cases, 2, async (c) => {
      const original = await sysdigCompiles(c.text);
      if (original.accepted) return { original };
      const text = print(rewrite(c.expr, c.source, unknownFields));
      return { original, rewritten: { ...(await sysdigCompiles(text)), text } };
    });
    cases.forEach((c, i) => verdicts.set(c.origin, results[i]));
  }, 170_000);

  it('covers the three upstream rules files, the plugin rules and the project rules', () => {
    const origins = cases.map((c) => c.origin.split(':')[0]);
    for (const label of ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml', 'k8s_audit_rules.yaml', 'aws_cloudtrail_rules.yaml']) {
      expect(origins).toContain(label);
    }
    expect(origins.filter((o) => o.startsWith('packs') || o.startsWith('rules/')).length).toBeGreaterThan(10);
    expect(cases.length).toBeGreaterThan(150);
  });

  it('every condition the project accepts compiles in sysdig, with plugin fields replaced by sysdig fields of their type', () => {
    const disagreements: string[] = [];
    for (const c of cases) {
      const verdict = verdicts.get(c.origin)!;
      if (verdict.original.accepted) continue;
      const diffs = differencesOf(c.expr, unknownFields);
      if (diffs.size === 0) {
        disagreements.push(`${c.origin}: sysdig rejects it with no documented difference: ${verdict.original.message}\n  ${c.text}`);
        continue;
      }
      if (![...diffs].some((d) => DIFFERENCES[d].sysdigSays.test(verdict.original.message))) {
        disagreements.push(`${c.origin}: sysdig's rejection '${verdict.original.message}' matches none of ${[...diffs].join(', ')}`);
        continue;
      }
      const rewritten = verdict.rewritten!;
      if (!rewritten.accepted) {
        disagreements.push(`${c.origin}: with the plugin fields replaced sysdig still rejects it: ${rewritten.message}\n  ${rewritten.text}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('every syscall condition without a plugin field compiles in sysdig as it is', () => {
    const plain = cases.filter((c) => c.source === 'syscall' && differencesOf(c.expr, unknownFields).size === 0);
    expect(plain.length).toBeGreaterThan(40);
    expect(plain.filter((c) => !verdicts.get(c.origin)!.original.accepted).map((c) => c.origin)).toEqual([]);
  });

  it('the fields sysdig does not know are plugin fields: none is in Falco 0.44.1\'s own syscall field list', () => {
    const syscallFields = falcoSyscallFields();
    expect(syscallFields.size).toBeGreaterThan(150);
    expect([...unknownFields].filter((key) => syscallFields.has(key.replace(/\[.*$/, '')))).toEqual([]);
    for (const key of unknownFields) {
      const name = key.replace(/\[.*$/, '');
      const known = ['syscall', 'k8s_audit', 'aws_cloudtrail'].some((s) => lookupField(s, name) !== undefined);
      expect({ field: key, inCatalogue: known }).toEqual({ field: key, inCatalogue: true });
    }
  });

  it.each(INVALID)('both reject: %s', async (condition) => {
    const project = loadRuleFiles([{ name: 'invalid.yaml', content: invalidRulesFile(condition) }]);
    expect(project.ok).toBe(false);
    const sysdig = await sysdigCompiles(condition);
    expect({ condition, accepted: sysdig.accepted }).toEqual({ condition, accepted: false });
  });

  it.each(KNOWN_DISAGREEMENTS)('known disagreement, the project rejects and sysdig accepts: $condition', async ({ condition }) => {
    expect(loadRuleFiles([{ name: 'known.yaml', content: invalidRulesFile(condition) }]).ok).toBe(false);
    expect((await sysdigCompiles(condition)).accepted).toBe(true);
  });

  it('documents a reason for every difference', () => {
    for (const d of Object.values(DIFFERENCES)) expect(d.reason.length).toBeGreaterThan(20);
  });
});
