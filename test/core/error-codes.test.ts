import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { STACK_CHECKS } from '../../lib/checks';
import {
  BUILDER_CODES, CLI_CODES, ERROR_CODES, EVALUATOR_CODES, isRegisteredCode, RULE_LANGUAGE_CODES, STACK_CODE_AREAS,
} from '../../lib/core/error-codes';
import { DetectionStackError } from '../../lib/core/errors';
import { DIAGNOSTIC_CODES } from '../../lib/falco/rules/diagnostics';

/**
 * Registered codes no test produces yet (the list only shrinks): a new code without a test fails below.
 * Both left need ts-node to be missing, which the test runner itself loads TypeScript with: DS-PACK-031
 * (`detection-stack report` of a .ts app) and DS-PULUMI-022 (`detection-stack plan` of an index.ts program).
 */
const NOT_YET_TESTED: string[] = [];

const ROOT = join(__dirname, '..', '..');
const REGISTRY_DIR = 'lib/core/error-codes/';

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(ROOT, dir, name);
    if (statSync(path).isDirectory()) return sources(relative(ROOT, path));
    return path.endsWith('.ts') ? [{ file: relative(ROOT, path), text: readFileSync(path, 'utf8') }] : [];
  });
}

/**
 * The codes a source file names: `DS-<AREA>-<NNN>` anywhere, and the rule-language, evaluator, condition-builder
 * and CLI codes as quoted strings or after `error ` in a message. Falco's own load-result categories (`LOAD_ERR_*`)
 * are not ours.
 */
export function codesIn(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(/\bDS-[A-Z]+-\d{3}\b/g)) found.add(m[0]);
  for (const m of text.matchAll(/(?:['"`]|\berror )((?:RULES|COND|LOAD|OUTPUT|EVENTS|EVAL|BUILD|CLI)_[A-Z0-9_]+)\b/g)) {
    if (!m[1].startsWith('LOAD_ERR_')) found.add(m[1]);
  }
  return found;
}

const lib = sources('lib').filter((s) => !s.file.startsWith(REGISTRY_DIR));
const tests = sources('test').filter((s) => !s.file.endsWith('test/core/error-codes.test.ts'));
const codesOf = (files: { file: string; text: string }[]) => {
  const where = new Map<string, string[]>();
  for (const s of files) for (const c of codesIn(s.text)) where.set(c, [...where.get(c) ?? [], s.file]);
  return where;
};

/**
 * The DS codes raised at more than one site of lib/ (a site: a code outside comments), each for the SAME problem
 * its registry meaning names, with why; reviewed one by one against the messages and fixes at those sites. Every
 * other DS code is raised at exactly one site, so a code reused for a new problem (a new site) fails below until
 * it gets its own code or a reviewed line here. Counts are per file.
 */
const SHARED_SITES: Record<string, { sites: Record<string, number>; why: string }> = {
  'DS-AUDIT-006': { sites: { 'lib/audit/plan.ts': 2 }, why: 'retention out of the provider\'s range: the Kubernetes-log retention and the per-provider retention check' },
  'DS-ROUTE-002': { sites: { 'lib/core/secrets.ts': 2 }, why: 'one Secret reference Kubernetes would refuse: its name or its key' },
  'DS-DURABLE-050': { sites: { 'lib/durable/analytics.ts': 3 }, why: 'one CloudWatch Logs destination not valid: log group name, retention, region' },
  'DS-DURABLE-004': { sites: { 'lib/durable/plan.ts': 1, 'lib/validation/schemas/stack.ts': 1 }, why: 'the bucket name rule, checked by the props schema and again by the planner for constructs given unchecked props' },
  'DS-DURABLE-053': { sites: { 'lib/durable/plan.ts': 3 }, why: 'the shipper\'s credential for the object store, once per provider (AWS, OCI, Azure)' },
  'DS-FALCO-019': { sites: { 'lib/falco/sensor/k8smeta.ts': 3 }, why: 'the collector TLS block: neither form given, the opt-out without reason, a malformed Secret/ConfigMap name' },
  'DS-FALCO-001': { sites: { 'lib/falco/sensor/validate.ts': 2 }, why: 'one image reference not pinned: its repository or its tag' },
  'DS-FALCO-011': { sites: { 'lib/falco/sensor/validate.ts': 3 }, why: 'a toleration Kubernetes refuses, one site per rule of the toleration API' },
  'DS-FALCO-003': { sites: { 'lib/falco/sensor/validate.ts': 3 }, why: 'a custom rule without a team owner: no owner, an owner that is no team name, unowned rules listed' },
  'DS-FALCO-031': { sites: { 'lib/falco/tuning.ts': 1, 'lib/stack/plan.ts': 1 }, why: 'tuning rules that are not loaded: the default rules off (sensor), no audit Falco for k8sauditTuning (stack plan)' },
  'DS-PACK-020': { sites: { 'lib/investigation/escape.ts': 2 }, why: 'an unusable query value: a value and the Athena table name' },
  'DS-PACK-002': { sites: { 'lib/investigation/queries.ts': 1, 'lib/packs/build.ts': 1 }, why: 'a product namespace name, checked where packs and where investigation queries take it' },
  'DS-MON-005': { sites: { 'lib/monitoring/plan.ts': 2 }, why: 'an alert threshold out of range, one site per threshold' },
  'DS-PACK-003': { sites: { 'lib/packs/build.ts': 2 }, why: 'an unknown name: pack keys (rule, parameter) and the pack list' },
  'DS-PACK-005': { sites: { 'lib/packs/build.ts': 2 }, why: 'an empty pack list, one site per list' },
  'DS-PULUMI-033': { sites: { 'lib/pulumi/args-schemas.ts': 1, 'lib/pulumi/stack-plan.ts': 1 }, why: 'a region the provider lacks: OKE homeRegion (args schema) and the cluster region (stack plan)' },
  'DS-PULUMI-006': { sites: { 'lib/pulumi/azure.ts': 1, 'lib/pulumi/stack-plan.ts': 1 }, why: 'a component store name that differs from the stack definition: Azure storage account, bucket' },
  'DS-PULUMI-002': { sites: { 'lib/pulumi/objects.ts': 2 }, why: 'a binding that points at nothing: no such object, or no field path' },
  'DS-PULUMI-039': { sites: { 'lib/pulumi/offline-plan.ts': 2 }, why: 'one bound of the offline plan, checked when the program registers too much and when its timer ends' },
  'DS-PULUMI-048': { sites: { 'lib/pulumi/offline-plan.ts': 3 }, why: 'a config file that is not a YAML mapping: syntax, not a mapping, config not a mapping' },
  'DS-PACK-030': { sites: { 'lib/report/load-app.ts': 3 }, why: 'the report target is not an app: missing, wrong file type, folder without main' },
  'DS-ROUTE-011': { sites: { 'lib/routing/alertmanager-plan.ts': 1, 'lib/routing/sidekick-plan.ts': 1 }, why: 'an e-mail destination without recipient, in Alertmanager and in Falcosidekick' },
  'DS-ROUTE-007': { sites: { 'lib/routing/alertmanager-plan.ts': 1, 'lib/routing/sidekick-plan.ts': 1 }, why: 'fewer than 2 replicas, for Alertmanager and for Falcosidekick' },
  'DS-ROUTE-014': { sites: { 'lib/routing/alertmanager-workload.ts': 2 }, why: 'the persistent storage block: its size or StorageClass name' },
  'DS-ROUTE-013': { sites: { 'lib/routing/sidekick-plan.ts': 1, 'lib/routing/validate.ts': 1 }, why: 'clear text outside the cluster: an output host and a URL' },
  'DS-ROUTE-010': { sites: { 'lib/routing/sidekick-plan.ts': 2 }, why: 'a cloud output without identity, AWS and Azure' },
  'DS-ROUTE-015': { sites: { 'lib/routing/sidekick-plan.ts': 3 }, why: 'one CloudWatch Logs output CloudWatch refuses: group, stream, retention' },
  'DS-ROUTE-020': { sites: { 'lib/routing/validate.ts': 1, 'lib/validation/schemas/common.ts': 1 }, why: 'credentials in a plain URL, checked by the props schema and by the routing validator' },
  'DS-TETRA-011': { sites: { 'lib/tetragon/validate.ts': 2 }, why: 'not a Tetragon policy header: apiVersion or kind' },
  'DS-TETRA-021': { sites: { 'lib/tetragon/validate.ts': 2 }, why: 'a reference to something spec does not define: a list, a selector macro' },
  'DS-TETRA-032': { sites: { 'lib/tetragon/validate.ts': 5 }, why: 'a filter pointing at no declared argument: matchArgs, matchData, matchReturnArgs (2), operator args' },
  'DS-TETRA-040': { sites: { 'lib/tetragon/validate.ts': 4 }, why: 'what LSM hooks or uprobes do not support, one site per unsupported feature' },
  'DS-TETRA-033': { sites: { 'lib/tetragon/validate.ts': 4 }, why: 'a PID or namespace filter over Tetragon\'s limits, one site per limit' },
  'DS-TETRA-036': { sites: { 'lib/tetragon/validate.ts': 4 }, why: 'an operator on an argument type it does not work on: socket, file, capability operators' },
  'DS-TETRA-038': { sites: { 'lib/tetragon/validate.ts': 5 }, why: 'a string over Tetragon\'s length limits, one site per limit' },
  'DS-TETRA-042': { sites: { 'lib/tetragon/validate.ts': 3 }, why: 'a rate limit Tetragon cannot apply: on a non-Post action, bad scope, bad duration' },
  'DS-TETRA-043': { sites: { 'lib/tetragon/validate.ts': 5 }, why: 'an action without the argument it needs, one site per action and hook kind' },
  'DS-TETRA-044': { sites: { 'lib/tetragon/validate.ts': 2 }, why: 'Override where the hook cannot override: a kprobe function, another hook kind' },
  'DS-TETRA-062': { sites: { 'lib/tetragon/validate.ts': 3 }, why: 'a known option with a bad value, one site per option kind' },
  'DS-TETRA-046': { sites: { 'lib/tetragon/validate.ts': 2 }, why: 'a label expression with the wrong values: none where needed, some where forbidden' },
  'DS-TETRA-001': { sites: { 'lib/tetragon/yaml.ts': 4 }, why: 'a policy file that is not valid YAML: the parser\'s errors, its warnings as errors, not a stream' },
  'DS-PROPS-013': { sites: { 'lib/validation/report.ts': 2 }, why: 'a prop no object can hold: a string over 1 MiB, nesting over 64 levels' },
};

/** Source text with comments blanked (lines kept), so a code a comment names is no raise site; `//` opens a comment after a blank or punctuation, not inside a URL. */
export function withoutComments(text: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return text.replace(/\/\*[\s\S]*?\*\//g, blank).replace(/(^|[\s;,{}()])\/\/.*$/gm, (all, before: string) => before + blank(all.slice(before.length)));
}

/** For each DS code, how many raise sites each file of lib/ has. */
function raiseSites(files: { file: string; text: string }[]): Map<string, Record<string, number>> {
  const sites = new Map<string, Record<string, number>>();
  for (const s of files) {
    for (const m of withoutComments(s.text).matchAll(/\bDS-[A-Z]+-\d{3}\b/g)) {
      const perFile = sites.get(m[0]) ?? {};
      perFile[s.file] = (perFile[s.file] ?? 0) + 1;
      sites.set(m[0], perFile);
    }
  }
  return sites;
}

describe('the error-code registry', () => {
  test('the scanner finds the forms codes take in lib/ and skips Falco\'s categories', () => {
    expect([...codesIn(`throw new DetectionStackError('DS-ROUTE-003', w, p);
      report('error', 'COND_SYNTAX', m); io.stderr(\`error CLI_USAGE \${e}\`); falco: 'LOAD_ERR_YAML_PARSE'; // DS-X-1
      throw new ConditionBuildError('BUILD_EMPTY', m);`)].sort())
      .toEqual(['BUILD_EMPTY', 'CLI_USAGE', 'COND_SYNTAX', 'DS-ROUTE-003']);
  });

  test('every code named in lib/ is registered', () => {
    const unregistered = [...codesOf(lib)].filter(([code]) => !isRegisteredCode(code)).map(([code, files]) => `${code} (${files.join(', ')})`);
    expect(unregistered).toEqual([]);
  });

  test('every registered code is produced somewhere in lib/', () => {
    const used = codesOf(lib);
    expect(Object.keys(ERROR_CODES).filter((code) => !used.has(code))).toEqual([]);
  });

  test('every registered code is produced by a test (named in an assertion of test/), but for the list below', () => {
    const tested = codesOf(tests);
    expect(Object.keys(ERROR_CODES).filter((code) => !tested.has(code) && !NOT_YET_TESTED.includes(code))).toEqual([]);
  });

  test('no code is in two groups, and each DS code sits in the group of its area', () => {
    const groups = [...Object.values(STACK_CODE_AREAS), RULE_LANGUAGE_CODES, EVALUATOR_CODES, BUILDER_CODES, CLI_CODES];
    expect(groups.reduce((n, g) => n + Object.keys(g).length, 0)).toBe(Object.keys(ERROR_CODES).length);
    for (const [area, codes] of Object.entries(STACK_CODE_AREAS)) {
      expect(Object.keys(codes).filter((c) => !c.startsWith(`DS-${area}-`))).toEqual([]);
    }
  });

  test('the raise-site scanner skips comments and counts each code per file', () => {
    const text = `// DS-X-001 in a line comment
      /** DS-PACK-001 in a block */ throw new DetectionStackError('DS-PACK-002', w, 'https://a//b'); fail('DS-PACK-002', w, m);`;
    expect([...raiseSites([{ file: 'lib/x.ts', text }])]).toEqual([['DS-PACK-002', { 'lib/x.ts': 2 }]]);
  });

  test('one code per problem: every DS code is raised at one site of lib/, but the reviewed SHARED_SITES', () => {
    const shared = Object.fromEntries([...raiseSites(lib)].filter(([, perFile]) => Object.values(perFile).reduce((a, b) => a + b, 0) > 1));
    expect(shared).toEqual(Object.fromEntries(Object.entries(SHARED_SITES).map(([code, e]) => [code, e.sites])));
    expect(Object.entries(SHARED_SITES).filter(([, e]) => e.why.length < 20).map(([code]) => code)).toEqual([]);
  });

  test('every entry has a meaning and a fix, written as the messages use them (lower case, no full stop)', () => {
    const badlyWritten = Object.entries(ERROR_CODES).filter(([, e]) => e.meaning.length < 10 || e.fix.length < 5
      || !/^[a-z`@]/.test(e.meaning) || /\.$/.test(e.meaning) || /\.$/.test(e.fix)).map(([code]) => code);
    expect(badlyWritten).toEqual([]);
  });

  test('guardrails take ID, level, title and fix from the registry; warnings and infos are guardrails only', () => {
    for (const check of STACK_CHECKS) {
      const entry = ERROR_CODES[check.id as keyof typeof ERROR_CODES];
      expect({ id: check.id, level: check.level, title: check.title, fix: check.fix })
        .toEqual({ id: check.id, level: entry.level, title: entry.meaning, fix: entry.fix });
    }
    const nonErrorStackCodes = Object.values(STACK_CODE_AREAS).flatMap((g) => Object.entries(g))
      .filter(([, e]) => e.level !== 'error').map(([code]) => code).sort();
    expect(nonErrorStackCodes).toEqual(STACK_CHECKS.filter((c) => c.level !== 'error').map((c) => c.id).sort());
  });

  test('the rule-language codes are the loader\'s DIAGNOSTIC_CODES; Falco\'s warning codes are warnings', () => {
    expect(DIAGNOSTIC_CODES).toBe(RULE_LANGUAGE_CODES);
    for (const [code, e] of Object.entries(RULE_LANGUAGE_CODES)) {
      expect([code, e.level]).toEqual([code, code.startsWith('LOAD_') ? 'warning' : 'error']);
      if (e.level === 'warning') expect([code, e.falco]).toEqual([code, code]);
    }
  });

  test('a DetectionStackError carries the registry level, and its fix unless the caller gives a precise one', () => {
    const general = new DetectionStackError('DS-PROPS-005', 'prod/sensors', 'no runtime sensor is enabled');
    expect(general.level).toBe('error');
    expect(general.fix).toBe(ERROR_CODES['DS-PROPS-005'].fix);
    expect(general.message).toBe('DS-PROPS-005 at prod/sensors: no runtime sensor is enabled. Fix: set sensors.falco and/or sensors.tetragon');
    const precise = new DetectionStackError('DS-ROUTE-001', 'prod/routing.chatThreshold', 'unknown priority \'Hi\'', 'use Critical');
    expect(precise.message).toBe('DS-ROUTE-001 at prod/routing.chatThreshold: unknown priority \'Hi\'. Fix: use Critical');
  });
});
