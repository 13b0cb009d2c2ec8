import { DetectionStackProps, SensorsProps } from './props';
import { AuditPlan, planAudit } from '../audit/plan';
import type { Suppression } from '../checks/finding';
import type { PlanContext } from '../core/context';
import { DetectionStackError } from '../core/errors';
import { PROVIDER_PROFILES } from '../core/providers';
import { PATTERN_TAG_PREFIX } from '../core/tags';
import { DurablePlan } from '../durable/plan';
import { FalcoPlan, planFalco } from '../falco/sensor/plan';
import { MonitoringPlan, planMonitoring } from '../monitoring/plan';
import { durableLayer, routingLayer } from '../routing/layer';
import { RoutingPlan } from '../routing/plan';
import { planTetragon, TetragonPlan, tetragonPlanInputs } from '../tetragon/plan';
import { validateProps } from '../validation/report';
import { DetectionStackPropsSchema } from '../validation/schemas/stack';

/**
 * The whole stack as plain data: what exists, with every default resolved.
 * Both back ends (cdk8s, Pulumi) render this; nothing in it depends on either.
 */
export interface StackPlan extends PlanContext {
  /** Guardrail suppressions as declared, each with its reason (kept for review and the report). */
  readonly suppressions: readonly Suppression[];
  /** The Namespace object to create, when the stack owns its namespace. */
  readonly namespaceObject?: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly falco?: FalcoPlan;
  // layer: tetragon
  readonly tetragon?: TetragonPlan;
  // layer: routing
  readonly routing?: RoutingPlan;
  // layer: durable
  readonly durable?: DurablePlan;
  // layer: audit
  readonly audit?: AuditPlan;
  // layer: monitoring
  readonly monitoring?: MonitoringPlan;
}

export const DEFAULT_NAMESPACE = 'falco';

/** Validates props and resolves them into a plan. Pure: no constructs, no I/O. */
export function planStack(props: DetectionStackProps, path = 'DetectionStack'): StackPlan {
  validateProps(DetectionStackPropsSchema, props, path);
  const namespace = props.namespace ?? DEFAULT_NAMESPACE;

  const sensors = props.sensors ?? { falco: {} };
  if (!sensors.falco && !sensors.tetragon) {
    throw new DetectionStackError('DS-PROPS-005', `${path}/sensors`, 'no runtime sensor is enabled',
      'set sensors.falco and/or sensors.tetragon');
  }

  const ctx: PlanContext = {
    path,
    cluster: { name: props.cluster.name, provider: props.cluster.provider, region: props.cluster.region },
    profile: PROVIDER_PROFILES[props.cluster.provider],
    namespace,
    labels: {
      'app.kubernetes.io/part-of': 'detection-stack',
      'app.kubernetes.io/managed-by': 'detection-stack',
    },
  };

  // layer: tetragon
  const tetragon = sensors.tetragon ? planTetragon(sensors.tetragon, ctx, tetragonPlanInputs(sensors)) : undefined;
  // Where Tetragon owns a pattern, Falco's rules for it are not deployed: one behaviour, one alert.
  const deployed = withoutYieldedFalcoRules(sensors, tetragon?.ownership.falcoYields ?? []);
  // Each sensor is planned once; routing adds Falco's http_output, durable ships what the sensors write.
  const { routing, falco } = routingLayer(props.routing, ctx, deployed.falco ? planFalco(deployed.falco, ctx) : undefined);
  const durable = durableLayer(props.durable, ctx, { falco, tetragon });
  const audit = planAudit(props.audit ?? {}, ctx);

  return {
    ...ctx,
    suppressions: props.suppressions ?? [],
    namespaceObject: (props.createNamespace ?? true) ? {
      name: namespace,
      labels: {
        ...ctx.labels,
        // Falco's capabilities and host mounts (and Tetragon's privileged agent) are refused below `privileged`.
        'pod-security.kubernetes.io/enforce': 'privileged',
        'pod-security.kubernetes.io/enforce-version': 'latest',
      },
    } : undefined,
    falco,
    // layer: tetragon
    tetragon,
    // layer: routing
    routing,
    // layer: durable
    durable,
    // layer: audit
    audit,
    // layer: monitoring
    monitoring: planMonitoring(props.monitoring, ctx, { falco, tetragon, routing, durable, audit }),
  };
}

/** The sensors as deployed: Falco custom rules tagged `pattern:<id>` for a pattern Tetragon owns are left out. */
function withoutYieldedFalcoRules(sensors: SensorsProps, falcoYields: readonly string[]): SensorsProps {
  if (!sensors.falco?.customRules || falcoYields.length === 0) return sensors;
  const yielded = new Set(falcoYields.map((p) => `${PATTERN_TAG_PREFIX}${p}`));
  const customRules = sensors.falco.customRules.filter((r) => !(r.rule.tags ?? []).some((t) => yielded.has(t)));
  return { ...sensors, falco: { ...sensors.falco, customRules } };
}
