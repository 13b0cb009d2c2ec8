import { DurablePlan, durableSecretUses, falcoStdoutSource, planDurable, SensorSource } from './durable-plan';
import { planRouting, RoutingPlan } from './plan';
import type { DurableStorageProps, RoutingProps } from './props';
import type { SecretUse } from './validate';
import { extendFalcoPlan, FalcoPlan, planFalco } from '../falco/sensor/plan';
import type { PlanContext } from '../stack/plan';
import type { SensorsProps } from '../stack/props';
import { planTetragon, tetragonPlanInputs } from '../tetragon/plan';

/**
 * The routing layer's part of the stack plan: the routing plan and, when Falco runs, the Falco plan with
 * `http_output` pointing at Falcosidekick (the Falco layer's `extendFalcoPlan`).
 */
export function routingLayer(props: RoutingProps | undefined, ctx: PlanContext, sensors: SensorsProps):
{ readonly routing?: RoutingPlan; readonly falco?: FalcoPlan } {
  if (!props) return {};
  const falco = sensors.falco ? planFalco(sensors.falco, ctx) : undefined;
  const routing = planRouting(props, ctx, falco?.selectorLabels);
  if (!falco) return { routing };
  return { routing, falco: extendFalcoPlan(falco, { httpOutputUrl: routing.sidekick.url }) };
}

/** The node files that carry the sensors' alerts: Falco's stdout (JSON lines) and Tetragon's JSON export file. */
export function sensorSources(ctx: PlanContext, sensors: SensorsProps): SensorSource[] {
  const sources: SensorSource[] = [];
  if (sensors.falco) {
    const falco = planFalco(sensors.falco, ctx);
    // The DaemonSet's pods are named `<name>-<hash>` and its container is named like the sensor.
    sources.push(falcoStdoutSource(falco.namespace, `${falco.name}-`, falco.name));
  }
  if (sensors.tetragon) {
    const tetragon = planTetragon(sensors.tetragon, ctx, tetragonPlanInputs(sensors));
    sources.push({ name: 'tetragon', hostPath: tetragon.exportHostPath, format: 'json' });
  }
  return sources;
}

/** The durable layer's part of the stack plan. */
export function durableLayer(props: DurableStorageProps | undefined, ctx: PlanContext, sensors: SensorsProps): DurablePlan | undefined {
  return planDurable(props, ctx, props?.bucket ? sensorSources(ctx, sensors) : [], `${ctx.path}/durable`);
}

/**
 * Every Secret key the stack's routing and durable workloads read. The cdk8s path expects these Secrets to
 * exist in the stack namespace; the Pulumi path creates them from Pulumi secrets.
 */
export function requiredSecrets(plan: { readonly routing?: RoutingPlan; readonly durable?: DurablePlan }): SecretUse[] {
  return [...(plan.routing?.secrets ?? []), ...durableSecretUses(plan.durable)];
}
