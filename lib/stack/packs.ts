import type { SensorName } from './ownership';
import type { SensorsProps } from './props';
import type { PlanContext } from '../core/context';
import { DetectionStackError } from '../core/errors';
import type { FalcoPlan } from '../falco/sensor/plan';
import { productDetectionPacks } from '../packs/build';
import type { DetectionPackProps } from '../packs/props';
import type { PackRule } from '../packs/types';
import type { TracingPolicy } from '../tetragon/model';
import type { TetragonPlan } from '../tetragon/plan';
import { SEED_PATTERNS, TetragonDetection } from '../tetragon/props';

/** Which sensor runs one enabled pack detection (decided once, in the stack plan). */
export interface PackSensorPlan {
  /** The pack rule's ID (its runbook ID). */
  readonly id: string;
  /** The Falco rule name. */
  readonly rule: string;
  readonly sensor: SensorName;
  /** Every Tetragon detection that runs it (one per namespace scope of its pattern), when Tetragon does. */
  readonly tetragonDetections?: readonly string[];
}

/** The project's detection packs as a stack deploys them. */
export interface PacksPlan {
  /** Where errors and findings about the packs point: `<stack path>/packs`. */
  readonly path: string;
  /** The product namespaces the packs watch, sorted. */
  readonly namespaces: readonly string[];
  /**
   * The pack rules the stack's Falco rules files carry (those owned by Tetragon are not),
   * with their owner, confidence, MITRE mapping and runbook: what the report and the runbooks read.
   */
  readonly rules: readonly PackRule[];
  /**
   * The enabled pack rules Tetragon runs in their Tetragon form instead (their Falco rule is not loaded), with the same
   * metadata: their runbooks are written too, and their alerts carry `runbook:<id>`.
   */
  readonly tetragonRules: readonly PackRule[];
  /** Every enabled pack detection with the one sensor that runs it, in pack order. */
  readonly sensors: readonly PackSensorPlan[];
}

/** The packs bound to the product (every rule, before sensor ownership), and the sensors with their rules added. */
export interface PackedSensors extends Omit<PacksPlan, 'sensors' | 'tetragonRules'> {
  readonly sensors: SensorsProps;
}

/**
 * The namespaces one policy watches, as far as its object tells: a TracingPolicyNamespaced its own namespace, a
 * cluster-wide TracingPolicy every namespace (`'*'`); a policy narrowed to some pods or containers (`podSelector`,
 * `containerSelector`) watches no namespace whole.
 */
function policyNamespaces(policy: TracingPolicy): string[] {
  if (policy.spec.podSelector || policy.spec.containerSelector) return [];
  if (policy.kind === 'TracingPolicy') return ['*'];
  return policy.metadata.namespace ? [policy.metadata.namespace] : [];
}

/**
 * The namespaces the declared Tetragon sensor's own detections (seed or hand-written) watch, per pattern: the seed
 * detections watch `productNamespaces`, a hand-written one the namespaces of its policies.
 */
function tetragonCoverage(sensors: SensorsProps): Map<string, Set<string>> {
  const t = sensors.tetragon;
  const coverage = new Map<string, Set<string>>();
  if (!t) return coverage;
  const add = (pattern: string, namespaces: readonly string[]): void => {
    coverage.set(pattern, new Set([...(coverage.get(pattern) ?? []), ...namespaces]));
  };
  const product = t.productNamespaces ?? [];
  if (product.length > 0) for (const seed of t.seedPatterns ?? SEED_PATTERNS) add(seed, product);
  for (const d of t.detections ?? []) add(d.pattern, (d.policies ?? []).flatMap(policyNamespaces));
  return coverage;
}

/**
 * Binds the packs to the product and gives each pack detection to exactly one sensor. The rule:
 * - Falco alone: Falco runs every pack rule.
 * - Falco and Tetragon: Falco runs a pack rule unless `sensors.ownership` declares Tetragon the owner of its pattern;
 *   then Tetragon runs the pack's Tetragon form of it and the Falco rule is left out (sensor ownership, below).
 * - Tetragon alone: Tetragon runs every pack detection that has a Tetragon form; an enabled pack rule without one is
 *   refused (DS-PACK-012), naming the rules to disable or the Falco to enable.
 * Where Tetragon's own detections already watch a pattern in the pack's namespaces, those run it there, and the pack's
 * form is added for the namespaces they do not watch (withPackDetections, below).
 * Syscall and k8s_audit Falco rules go to `sensors.falco.customRules` (the Falco plan puts k8s_audit rules in the
 * k8saudit Falco's file). A hand-written rule with a pack rule's name is refused at its own place.
 */
export function withPackRules(sensors: SensorsProps, packs: DetectionPackProps, ctx: PlanContext): PackedSensors {
  const path = `${ctx.path}/packs`;
  const bound = productDetectionPacks(packs, path, ctx.namespace);
  const common = { path, namespaces: [...new Set(packs.namespaces)].sort(), rules: bound.rules };
  const toTetragon = sensors.falco
    ? new Set((sensors.ownership?.detections ?? []).filter((d) => d.sensor === 'tetragon').map((d) => d.pattern))
    : new Set(bound.tetragonDetections.map((d) => d.pattern));
  const tetragon = sensors.tetragon && withPackDetections(sensors, bound.tetragonDetections.filter((d) => toTetragon.has(d.pattern)));
  if (!sensors.falco) {
    const without = bound.rules.filter((r) => r.enabled && r.pattern === undefined).map((r) => r.id);
    if (without.length > 0) {
      throw new DetectionStackError('DS-PACK-012', path, `the stack runs only Tetragon, and ${without.length} enabled pack rule(s) have no Tetragon form: ${without.join(', ')}`,
        `enable sensors.falco to run them, or disable them (packs.disabledRules: [${without.map((id) => `'${id}'`).join(', ')}])`);
    }
    return { ...common, sensors: { ...sensors, tetragon } };
  }
  const names = new Map(bound.rules.map((r) => [r.name, r.id]));
  const own = sensors.falco.customRules ?? [];
  own.forEach((custom, i) => {
    const id = names.get(custom.rule?.name);
    if (id !== undefined && custom.rule.append !== true && custom.rule.override === undefined) {
      throw new DetectionStackError('DS-FALCO-030', `${ctx.path}/sensors.falco.customRules[${i}].rule.name`,
        `rule '${custom.rule.name}' is also the name of the pack rule ${id}`,
        `rename the rule, or disable the pack's rule (packs.disabledRules: ['${id}']) if yours replaces it`);
    }
  });
  return {
    ...common,
    sensors: {
      ...sensors,
      falco: { ...sensors.falco, customRules: [...own, ...bound.falcoCustomRules, ...bound.k8sAuditCustomRules] },
      ...(tetragon ? { tetragon } : {}),
    },
  };
}

/**
 * The Tetragon props with the pack's Tetragon forms added where Tetragon does not watch the pack's namespaces yet:
 * a pattern Tetragon's own detections watch in every namespace of `packs.namespaces` gets no second policy; one they
 * watch in some (their `productNamespaces` or policies name others) gets the pack's form for the rest only, as
 * detection `<pattern>-packs`, so every namespace the packs name is watched once.
 */
function withPackDetections(sensors: SensorsProps, forms: readonly TetragonDetection[]): SensorsProps['tetragon'] {
  const coverage = tetragonCoverage(sensors);
  const added = forms.flatMap((form): TetragonDetection[] => {
    const covered = coverage.get(form.pattern);
    if (!covered) return [form];
    if (covered.has('*')) return [];
    const policies = form.policies.filter((p) => !covered.has(p.metadata.namespace ?? ''));
    return policies.length === 0 ? [] : [{ ...form, id: `${form.pattern}-packs`, policies }];
  });
  if (added.length === 0) return sensors.tetragon;
  return { ...sensors.tetragon, detections: [...(sensors.tetragon?.detections ?? []), ...added] };
}

/** The packs plan: the pack rules the planned Falco carries, and which sensor runs each enabled pack detection. */
export function packsPlan(packed: PackedSensors, falco: FalcoPlan | undefined, tetragon: TetragonPlan | undefined): PacksPlan {
  const deployed = new Set((falco?.customRules ?? []).map((r) => r.name));
  const byPattern = new Map<string, string[]>();
  for (const d of tetragon?.detections ?? []) byPattern.set(d.pattern, [...(byPattern.get(d.pattern) ?? []), d.id]);
  const sensors: PackSensorPlan[] = packed.rules.filter((r) => r.enabled).flatMap((r): PackSensorPlan[] => {
    if (deployed.has(r.name)) return [{ id: r.id, rule: r.name, sensor: 'falco' }];
    const detections = r.pattern === undefined ? undefined : byPattern.get(r.pattern);
    return detections ? [{ id: r.id, rule: r.name, sensor: 'tetragon', tetragonDetections: detections }] : [];
  });
  const byTetragon = new Set(sensors.filter((p) => p.sensor === 'tetragon').map((p) => p.id));
  return {
    path: packed.path,
    namespaces: packed.namespaces,
    rules: packed.rules.filter((r) => deployed.has(r.name)),
    tetragonRules: packed.rules.filter((r) => byTetragon.has(r.id)),
    sensors,
  };
}

/** The runbook IDs of the pack rules each Tetragon detection runs, by detection ID (what its alerts carry as `runbook:<id>`). */
export function tetragonRunbooks(packs: PacksPlan | undefined): ReadonlyMap<string, readonly string[]> {
  const byDetection = new Map<string, string[]>();
  for (const p of packs?.sensors ?? []) {
    for (const d of p.sensor === 'tetragon' ? p.tetragonDetections ?? [] : []) byDetection.set(d, [...(byDetection.get(d) ?? []), p.id]);
  }
  return byDetection;
}
