import type { DetectionStackProps } from '../../lib/stack/props';
import { fullEksProps, synth, tetragonProps } from '../monitoring/fixtures';

/**
 * A NetworkPolicy for every workload the stack runs (#12), Falco and Tetragon included: each pod controller is
 * selected by a policy of its own namespace that is default-deny both ways, and no ingress rule is open to any
 * source: every peer is a named pod selector or a named namespace (the monitoring namespace for the metrics ports).
 */
type K8sObject = { kind: string; metadata: { name: string; namespace?: string }; spec?: any };
const CONTROLLERS = new Set(['DaemonSet', 'Deployment', 'StatefulSet']);

const bothSensors = (): DetectionStackProps => {
  const p = fullEksProps();
  return {
    ...p,
    sensors: { ...p.sensors, tetragon: { productNamespaces: ['billing'], owner: 'platform-security', seedPatterns: [] }, ownership: { detections: [] } },
  };
};
const STACKS: [string, DetectionStackProps, number][] = [
  ['EKS: Falco, k8saudit Falco, Tetragon agent and operator, Falcosidekick, Alertmanager, shipper, monitoring', bothSensors(), 7],
  ['EKS without monitoring', fullEksProps(null), 5],
  ['Tetragon alone', tetragonProps(), 3],
];

const subset = (small: Record<string, string> = {}, big: Record<string, string> = {}) => Object.entries(small).every(([k, v]) => big[k] === v);
const policiesOf = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'NetworkPolicy');

/** The controllers no default-deny (Ingress and Egress) policy of their namespace selects. */
function unselected(objects: K8sObject[]): string[] {
  return objects.filter((o) => CONTROLLERS.has(o.kind))
    .filter((c) => !policiesOf(objects).some((p) => p.metadata.namespace === c.metadata.namespace
      && subset(p.spec.podSelector.matchLabels, c.spec.template.metadata.labels)
      && ['Ingress', 'Egress'].every((t) => p.spec.policyTypes.includes(t))))
    .map((c) => `${c.kind}/${c.metadata.namespace}/${c.metadata.name}`);
}

/** Ingress rules open to any source, an address block, or a namespace selected by anything but its name. */
function openIngress(objects: K8sObject[]): string[] {
  return policiesOf(objects).flatMap((p) => (p.spec.ingress ?? [])
    .filter((r: any) => !r.from || r.from.length === 0
      || r.from.some((f: any) => f.ipBlock || (!f.podSelector && !f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'])))
    .map((r: any) => `${p.metadata.namespace}/${p.metadata.name}: ${JSON.stringify(r)}`));
}

describe.each(STACKS)('%s', (_name, props, workloads) => {
  const objects = synth(props) as K8sObject[];

  test('every pod controller is selected by a default-deny (Ingress and Egress) NetworkPolicy', () => {
    expect(objects.filter((o) => CONTROLLERS.has(o.kind)).length).toBe(workloads);
    expect(unselected(objects)).toEqual([]);
    // and no policy selects every pod of a namespace
    expect(policiesOf(objects).filter((p) => Object.keys(p.spec.podSelector.matchLabels ?? {}).length === 0).map((p) => p.metadata.name)).toEqual([]);
  });

  test('no ingress rule admits any source: every peer names pods or a namespace', () => {
    expect(openIngress(objects)).toEqual([]);
  });
});

test('the checks have teeth: a controller without its policies and an open ingress rule are found', () => {
  const objects = synth(bothSensors()) as K8sObject[];
  const falco = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'falco')!;
  const withoutFalcos = objects.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.namespace === falco.metadata.namespace
    && subset(o.spec.podSelector.matchLabels, falco.spec.template.metadata.labels)));
  expect(unselected(withoutFalcos)).toEqual([`DaemonSet/${falco.metadata.namespace}/falco`]);
  const policy = policiesOf(objects)[0];
  const opened = [...objects, { ...policy, spec: { ...policy.spec, ingress: [{ ports: [{ port: 8765 }] }] } }];
  expect(openIngress(opened)).toHaveLength(1);
});
