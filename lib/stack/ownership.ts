// Running Falco and Tetragon together: which sensor owns which detection.
//
// Overlap, concretely: a detection pattern id (e.g. `shell-in-container`) that both sensors detect. Tetragon's side is
// the `pattern` of each Tetragon detection; Falco's side is every pattern in `ownership.falcoPatterns` plus every
// `pattern:<id>` tag on Falco rules. Every overlapping pattern needs one declaration naming its owning sensor and
// where its alerts go; only the owner's detection is deployed, so one behaviour raises one alert.
import { DetectionStackError } from '../core/errors';
import { PATTERN_TAG_PREFIX } from '../core/tags';
import type { FalcoSensorProps } from '../falco/sensor/props';
import type { SensorOwnershipProps, TetragonDetection } from '../tetragon/props';

export type SensorName = 'falco' | 'tetragon';

/** One pattern both sensors detect. */
export interface SensorOverlap {
  readonly pattern: string;
  /** Where Falco detects it (rule names, or `ownership.falcoPatterns`). */
  readonly falco: readonly string[];
  /** Tetragon detection ids. */
  readonly tetragon: readonly string[];
  /** The declared owner, when there is a declaration. */
  readonly owner?: SensorName;
  /** Where the owner's alerts go. */
  readonly alertsTo?: readonly string[];
}

export interface OwnershipPlan {
  /** Both sensors run. */
  readonly bothSensors: boolean;
  /** `sensors.ownership` was given. */
  readonly declared: boolean;
  readonly overlaps: readonly SensorOverlap[];
  /** Patterns Tetragon owns: the Falco layer should not deploy its rules for these. */
  readonly falcoYields: readonly string[];
  /** Patterns Falco owns: Tetragon's detections for these are not deployed. */
  readonly tetragonYields: readonly string[];
}

/** The patterns Falco rules carry as `pattern:<id>` tags, with the rules that carry them. */
export function falcoPatternsFromRules(rules: readonly { readonly name: string; readonly tags?: readonly string[] }[]): Map<string, string[]> {
  const patterns = new Map<string, string[]>();
  for (const rule of rules) {
    for (const tag of rule.tags ?? []) {
      if (!tag.startsWith(PATTERN_TAG_PREFIX)) continue;
      const pattern = tag.slice(PATTERN_TAG_PREFIX.length);
      patterns.set(pattern, [...(patterns.get(pattern) ?? []), rule.name]);
    }
  }
  return patterns;
}

/** The Falco custom rules' names and tags, the Falco side of the overlap. */
export function falcoRuleTags(falco: FalcoSensorProps | undefined): { name: string; tags?: readonly string[] }[] {
  return (falco?.customRules ?? []).map((r) => ({ name: r.rule.name, tags: r.rule.tags }));
}

/**
 * Finds the overlaps and applies the declarations. Throws for declarations that make no sense
 * (unknown pattern, duplicate, owner not running, no destination); missing declarations are left to the
 * guardrail DS-TETRA-101, which fails synth listing every undeclared overlap.
 */
export function planOwnership(
  where: string,
  tetragonDetections: readonly TetragonDetection[],
  falcoEnabled: boolean,
  ownership: SensorOwnershipProps | undefined,
  falcoRules: readonly { readonly name: string; readonly tags?: readonly string[] }[] = [],
): OwnershipPlan {
  const falco = falcoPatternsFromRules(falcoRules);
  for (const p of ownership?.falcoPatterns ?? []) falco.set(p, [...(falco.get(p) ?? []), `ownership.falcoPatterns(${p})`]);
  const tetragon = new Map<string, string[]>();
  for (const d of tetragonDetections) tetragon.set(d.pattern, [...(tetragon.get(d.pattern) ?? []), d.id]);

  const declarations = new Map<string, { sensor: SensorName; alertsTo: readonly string[] }>();
  (ownership?.detections ?? []).forEach((d, i) => {
    const at = `${where}/sensors.ownership.detections[${i}]`;
    if (declarations.has(d.pattern)) {
      throw new DetectionStackError('DS-TETRA-015', at, `pattern '${d.pattern}' is declared twice`, 'declare each pattern once');
    }
    if (!falcoEnabled) {
      throw new DetectionStackError('DS-TETRA-016', at, 'ownership is declared but only Tetragon runs',
        'remove sensors.ownership, or enable sensors.falco');
    }
    if (!falco.has(d.pattern) || !tetragon.has(d.pattern)) {
      const missing = !falco.has(d.pattern) ? 'Falco' : 'Tetragon';
      throw new DetectionStackError('DS-TETRA-007', `${at}.pattern`, `pattern '${d.pattern}' does not overlap: ${missing} has no detection for it`,
        `declare only overlapping patterns (${[...tetragon.keys()].filter((p) => falco.has(p)).join(', ') || 'none'})`);
    }
    if (d.alertsTo.length === 0 || d.alertsTo.some((r) => r.trim().length === 0)) {
      throw new DetectionStackError('DS-TETRA-017', `${at}.alertsTo`, `no destination for the alerts of '${d.pattern}'`,
        'name the routes or receivers the owner\'s alerts go to (the durable bucket always receives them)');
    }
    declarations.set(d.pattern, { sensor: d.sensor, alertsTo: d.alertsTo });
  });

  const overlaps: SensorOverlap[] = [...tetragon.keys()].filter((p) => falcoEnabled && falco.has(p)).sort().map((pattern) => ({
    pattern,
    falco: falco.get(pattern) ?? [],
    tetragon: tetragon.get(pattern) ?? [],
    owner: declarations.get(pattern)?.sensor,
    alertsTo: declarations.get(pattern)?.alertsTo,
  }));
  return {
    bothSensors: falcoEnabled,
    declared: ownership !== undefined,
    overlaps,
    falcoYields: overlaps.filter((o) => o.owner === 'tetragon').map((o) => o.pattern),
    tetragonYields: overlaps.filter((o) => o.owner === 'falco').map((o) => o.pattern),
  };
}
