// Property test over hostile stack props: mutations of valid stacks (wrong types, nulls, strings for lists,
// numbers for strings, extra keys, hostile strings). Every outcome must be a synth, a DetectionStackError with
// a known code, or a guardrail failure at synth; anything else fails with the minimized props.
// `npm test` runs a bounded number of cases with a fixed seed; `npm run fuzz` runs many (FUZZ_RUNS, FUZZ_SEED).
import { App, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import { definitionError } from '../../lib/cdk8s/synth-app';
import { ERROR_CODES, isRegisteredCode } from '../../lib/core/error-codes';
import { DetectionStackError } from '../../lib/core/errors';
import { DetectionStackProps } from '../../lib/stack/props';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 14);

const secret = (name: string, key = 'value') => ({ name, key });
const POLICY = {
  apiVersion: 'cilium.io/v1alpha1',
  kind: 'TracingPolicy',
  metadata: { name: 'fuzz-ptrace' },
  spec: { kprobes: [{ call: 'sys_ptrace', syscall: true, args: [{ index: 0, type: 'int' }] }] },
};

/** Valid stacks that between them use most props (each synthesizes). */
const SEEDS: readonly unknown[] = [
  {
    cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' },
    sensors: {
      falco: {
        minimumPriority: 'WARNING',
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ operator: 'Exists' }],
        customLists: [{ kind: 'list', name: 'fuzz_bins', items: ['nc', 'ncat'] }],
        customMacros: [{ kind: 'macro', name: 'fuzz_spawn', condition: 'evt.type = execve' }],
        customRules: [{
          owner: { unowned: 'the fuzz test owns nothing at all' },
          rule: {
            kind: 'rule',
            name: 'Fuzz netcat',
            desc: 'netcat started',
            condition: 'fuzz_spawn and proc.name in (fuzz_bins)',
            output: 'netcat %proc.cmdline',
            priority: 'WARNING',
            tags: ['T1059'],
          },
        }],
      },
    },
    durable: {
      bucket: {
        name: 'detections-prod-oke',
        oci: { objectStorageNamespace: 'tenancyns', accessKeyId: secret('oci-keys', 'id'), secretAccessKey: secret('oci-keys', 'secret') },
      },
    },
    suppressions: [{ id: 'DS-ROUTE-102', reason: 'no teams in the fuzz seed' }],
  },
  {
    cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
    namespace: 'detect',
    routing: {
      chatThreshold: 'Error',
      sidekick: {
        replicas: 2,
        outputs: {
          webhook: { address: 'https://events.example.com/falco', minimumPriority: 'Notice' },
          slack: { webhookUrl: secret('chat', 'slack'), minimumPriority: 'Critical' },
          loki: { hostPort: 'http://loki.logging.svc.cluster.local:3100' },
          kafka: { brokers: ['kafka.streaming.svc:9092'], topic: 'falco' },
          syslog: { host: 'syslog.logging.svc', port: 514 },
        },
      },
      teams: [{
        name: 'payments',
        namespaces: ['billing'],
        receivers: {
          slack: [{ webhookUrl: secret('payments-slack', 'url'), minimumPriority: 'Critical' }],
          webhook: [{ url: secret('payments-hook', 'url'), minimumPriority: 'Warning' }],
        },
      }],
      unowned: { pagerDuty: [{ routingKey: secret('pd', 'key'), minimumPriority: 'Error' }] },
      alertmanager: { grouping: { groupWait: '30s', groupBy: ['rule'] } },
    },
    durable: { bucket: { name: 'detections-prod-eks', aws: { roleArn: 'arn:aws:iam::111122223333:role/shipper' } } },
    audit: { kubernetes: { eksLogTypes: ['scheduler'], falcoPlugin: { pollingIntervalSeconds: 10 } }, cloud: { retentionDays: 365 } },
  },
  {
    cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' },
    sensors: {
      tetragon: {
        productNamespaces: ['billing'],
        seedPatterns: ['ptrace'],
        detections: [{ id: 'fuzz-ptrace', pattern: 'fuzz-ptrace', owner: 'platform', policies: [POLICY] }],
        export: { maxBackups: 3 },
      },
    },
    routing: {
      unowned: { opsgenie: [{ apiKey: secret('og', 'key'), minimumPriority: 'Error' }] },
      alertmanager: { mode: 'operator', operator: { alertmanagerUrls: ['http://am.monitoring.svc:9093'], configLabels: { team: 'sec' } } },
    },
    durable: { bucket: { name: 'detections', azure: { storageAccount: 'detectstore', sasToken: secret('blob', 'sas') } } },
    suppressions: [{ id: 'DS-ROUTE-102', reason: 'no teams in the fuzz seed' }],
  },
];

/** Values a careless or hostile caller passes. */
const HOSTILE = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, 0, -1, 1.5, NaN, Infinity, true, false, '', ' ', 'undefined', [], {}, [null], [1], [{}],
    'a\nb', 'x"y', '\u001b[31mred', '../../etc/passwd', 'DEBUG', 'latest', '*', '-', 'https://u:p@h/x?token=t', 'x'.repeat(300)),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 70000 }),
  fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
);

type Mutation =
  | { readonly kind: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'extra-key'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'wrap-in-list'; readonly at: number }
  | { readonly kind: 'to-string'; readonly at: number };

const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: HOSTILE }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extra-key' as const), at: fc.nat(), key: fc.constantFrom('minimumPriorty', 'nmae', 'extra', '__proto__', 'constructor'), value: HOSTILE }),
  fc.record({ kind: fc.constant('wrap-in-list' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('to-string' as const), at: fc.nat() }),
);

type Path = readonly (string | number)[];

function paths(value: unknown, at: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [at];
  const children = Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => paths(v, [...at, Array.isArray(value) ? Number(k) : k]));
  return [at, ...children];
}

function mutate(seed: unknown, mutations: readonly Mutation[]): unknown {
  let root = structuredClone(seed) as unknown;
  for (const m of mutations) {
    const all = paths(root);
    const path = all[m.at % all.length];
    const get = (p: Path) => p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
    const set = (p: Path, v: unknown) => {
      if (p.length === 0) root = v;
      else (get(p.slice(0, -1)) as Record<string | number, unknown>)[p[p.length - 1]] = v;
    };
    const current = get(path);
    switch (m.kind) {
      case 'replace': set(path, m.value); break;
      case 'delete':
        if (path.length === 0) root = undefined;
        else delete (get(path.slice(0, -1)) as Record<string | number, unknown>)[path[path.length - 1]];
        break;
      case 'extra-key':
        if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
          Object.defineProperty(current, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
        }
        break;
      case 'wrap-in-list': set(path, [current]); break;
      case 'to-string': set(path, typeof current === 'object' && current !== null ? JSON.stringify(current) : String(current)); break;
    }
  }
  return root;
}

type Outcome = 'synth' | 'definition error' | 'guardrail failure';

/** Builds and synthesizes the stack; throws (a finding) for anything but the three accepted outcomes. */
function outcome(props: unknown): Outcome {
  const app = Testing.app() as App;
  try {
    const stack = new DetectionStack(app, 'fuzz', props as DetectionStackProps);
    Testing.synth(stack);
    return 'synth';
  } catch (e) {
    if (e instanceof DetectionStackError) {
      if (!isRegisteredCode(e.code) || ERROR_CODES[e.code].level !== 'error') throw new Error(`a code the registry does not list as an error: ${e.code}: ${e.message}`);
      if (!e.problem || !e.fix) throw new Error(`error without problem or fix: ${e.message}`);
      if (e.message.includes('[object Object]')) throw new Error(`a coerced value in the message: ${e.message}`);
      return 'definition error';
    }
    const message = definitionError(e);
    if (message?.startsWith('synth failed, the stack breaks guardrails:')) {
      const ids = [...message.matchAll(/\b(?:ERROR|WARNING|INFO) (\S+) at /g)].map((m) => m[1]);
      if (ids.length === 0 || ids.some((id) => !isRegisteredCode(id))) throw new Error(`a guardrail failure without registered check IDs: ${message}`);
      return 'guardrail failure';
    }
    throw e;
  }
}

describe('hostile props: every outcome is a synth, a DetectionStackError or a guardrail failure', () => {
  test('the seeds are valid stacks', () => {
    for (const seed of SEEDS) expect(() => new DetectionStack(Testing.app(), 'seed', seed as DetectionStackProps)).not.toThrow();
    for (const seed of SEEDS) expect(outcome(seed)).toBe('synth');
  });

  test(`${RUNS} mutated stacks (seed ${SEED})`, () => {
    const seen = new Set<Outcome>();
    fc.assert(fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(MUTATION, { minLength: 1, maxLength: 3 }), (which, mutations) => {
      seen.add(outcome(mutate(SEEDS[which], mutations)));
    }), {
      numRuns: RUNS,
      seed: SEED,
      endOnFailure: false,
      reporter: (details) => {
        if (details.failed) {
          const props = details.counterexample ? mutate(SEEDS[details.counterexample[0]], details.counterexample[1]) : undefined;
          throw new Error(`finding after ${details.numRuns} runs: ${String(details.errorInstance)}\nminimized props: ${JSON.stringify(props)}`);
        }
      },
    });
    expect(seen).toContain('definition error');
  }, Math.max(60_000, RUNS * 200));
});
