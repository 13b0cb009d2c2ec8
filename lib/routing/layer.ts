import { planRouting, RoutingPlan } from './plan';
import type { RoutingProps } from './props';
import type { PlanContext } from '../core/context';
import type { SecretUse } from '../core/secrets';
import { DurablePlan, durableSecretUses, falcoStdoutSource, planDurable, SensorSource } from '../durable/plan';
import type { DurableStorageProps } from '../durable/props';
import { extendFalcoPlan, FalcoPlan } from '../falco/sensor/plan';
import type { TetragonPlan } from '../tetragon/plan';

/**
 * The routing layer's part of the stack plan: the routing plan and, when Falco runs, the Falco plan with
 * `http_output` pointing at Falcosidekick (the Falco layer's `extendFalcoPlan`).
 */
export function routingLayer(props: RoutingProps | undefined, ctx: PlanContext, falco: FalcoPlan | undefined):
{ readonly routing?: RoutingPlan; readonly falco?: FalcoPlan } {
  if (!props) return { falco };
  const routing = planRouting(props, ctx, falco?.selectorLabels);
  if (!falco) return { routing };
  return { routing, falco: extendFalcoPlan(falco, { httpOutputUrl: routing.sidekick.url }) };
}

/** The node files that carry the sensors' alerts: Falco's stdout (JSON lines) and Tetragon's JSON export file. */
export function sensorSources(sensors: { readonly falco?: FalcoPlan; readonly tetragon?: TetragonPlan }): SensorSource[] {
  const sources: SensorSource[] = [];
  if (sensors.falco) {
    // The DaemonSet's pods are named `<name>-<hash>` and its container is named like the sensor.
    sources.push(falcoStdoutSource(sensors.falco.namespace, `${sensors.falco.name}-`, sensors.falco.name));
  }
  if (sensors.tetragon) {
    sources.push({ name: 'tetragon', hostPath: sensors.tetragon.exportHostPath, format: 'json' });
  }
  return sources;
}

/** The durable layer's part of the stack plan, shipping the alerts of the sensors as planned. */
export function durableLayer(
  props: DurableStorageProps | undefined, ctx: PlanContext, sensors: { readonly falco?: FalcoPlan; readonly tetragon?: TetragonPlan },
): DurablePlan | undefined {
  return planDurable(props, ctx, props?.bucket ? sensorSources(sensors) : [], `${ctx.path}/durable`);
}

/**
 * Every Secret key the stack's routing and durable workloads read. The cdk8s path expects these Secrets to
 * exist in the stack namespace; the Pulumi path creates them from Pulumi secrets.
 */
export function requiredSecrets(plan: { readonly routing?: RoutingPlan; readonly durable?: DurablePlan }): SecretUse[] {
  return [...(plan.routing?.secrets ?? []), ...durableSecretUses(plan.durable)];
}
