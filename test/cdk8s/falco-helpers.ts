import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { DetectionStack, DetectionStackChartProps, FalcoSensor } from '../../lib';

/** A synthesized object, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type K8sObject = any;

/**
 * Plans the stack as DetectionStack does (props validation and guardrails included) and synthesizes the
 * Falco sensor alone, so these tests do not depend on the other layers' objects and synth-time checks.
 */
export function synthStack(props: DetectionStackChartProps, id = 'test'): { chart: DetectionStack; objects: K8sObject[] } {
  const chart = new DetectionStack(Testing.app(), id, props);
  const sensorChart = Testing.chart();
  new FalcoSensor(sensorChart, 'Falco', { plan: chart.plan.falco! });
  return { chart, objects: Testing.synth(sensorChart) };
}

export function only(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

export function falcoParts(objects: K8sObject[]) {
  const daemonSet = only(objects, 'DaemonSet', 'falco');
  const pod = daemonSet.spec.template.spec;
  const container = pod.containers.find((c: K8sObject) => c.name === 'falco');
  const falcoYaml = parse(only(objects, 'ConfigMap', 'falco-config').data['falco.yaml']);
  // The rules ConfigMaps (shared lists and macros, one per owning team), merged as the projected rules.d shows them.
  const rulesData = Object.assign({}, ...objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('falco-rules-')).map((o) => o.data));
  return { daemonSet, pod, container, falcoYaml, rulesData, checksum: daemonSet.spec.template.metadata.annotations['checksum/config'] as string };
}
