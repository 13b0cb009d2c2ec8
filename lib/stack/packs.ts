import type { SensorsProps } from './props';
import type { PlanContext } from '../core/context';
import { DetectionStackError } from '../core/errors';
import type { FalcoPlan } from '../falco/sensor/plan';
import { productDetectionPacks } from '../packs/build';
import type { DetectionPackProps } from '../packs/props';
import type { PackRule } from '../packs/types';

/** The project's detection packs as a stack deploys them. */
export interface PacksPlan {
  /** Where errors and findings about the packs point: `<stack path>/packs`. */
  readonly path: string;
  /** The product namespaces the packs watch, sorted. */
  readonly namespaces: readonly string[];
  /**
   * The pack rules the stack's Falco rules files carry (those yielded to Tetragon by sensor ownership are not),
   * with their owner, confidence, MITRE mapping and runbook: what the report and the runbooks read.
   */
  readonly rules: readonly PackRule[];
}

/** The packs bound to the product (every rule, before sensor ownership), and the sensors with their rules added. */
export interface PackedSensors extends PacksPlan {
  readonly sensors: SensorsProps;
}

/**
 * Binds the packs to the product and hands their rules to Falco: syscall and k8s_audit rules alike go to
 * `sensors.falco.customRules` (the Falco plan puts k8s_audit rules in the k8saudit Falco's file). A hand-written
 * rule with a pack rule's name is refused at its own place.
 */
export function withPackRules(sensors: SensorsProps, packs: DetectionPackProps, ctx: PlanContext): PackedSensors {
  const path = `${ctx.path}/packs`;
  if (!sensors.falco) {
    throw new DetectionStackError('DS-PACK-012', path, 'packs are Falco rules, and the stack runs no Falco',
      'enable sensors.falco, or give Tetragon the packs\' patterns (productDetectionPacks(...).tetragonDetections) and remove packs');
  }
  const bound = productDetectionPacks(packs, path, ctx.namespace);
  const names = new Map(bound.rules.map((r) => [r.name, r.id]));
  const own = sensors.falco.customRules ?? [];
  own.forEach((custom, i) => {
    const id = names.get(custom.rule?.name);
    if (id !== undefined && custom.rule.append !== true && custom.rule.override === undefined) {
      throw new DetectionStackError('DS-FALCO-004', `${ctx.path}/sensors.falco.customRules[${i}].rule.name`,
        `rule '${custom.rule.name}' is also the name of the pack rule ${id}`,
        `rename the rule, or disable the pack's rule (packs.disabledRules: ['${id}']) if yours replaces it`);
    }
  });
  return {
    sensors: { ...sensors, falco: { ...sensors.falco, customRules: [...own, ...bound.falcoCustomRules, ...bound.k8sAuditCustomRules] } },
    path,
    namespaces: [...new Set(packs.namespaces)].sort(),
    rules: bound.rules,
  };
}

/** The packs plan: the pack rules the planned Falco carries. */
export function packsPlan(packed: PackedSensors, falco: FalcoPlan | undefined): PacksPlan {
  const deployed = new Set((falco?.customRules ?? []).map((r) => r.name));
  return { path: packed.path, namespaces: packed.namespaces, rules: packed.rules.filter((r) => deployed.has(r.name)) };
}
