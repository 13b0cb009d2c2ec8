import { Chart, Testing } from 'cdk8s';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import { Workload } from '../../lib/cdk8s/workload';
import type { WorkloadPlan } from '../../lib/core/workload';
import { DNS_EGRESS_RULE, egressRules } from '../../lib/core/workload';
import type { DetectionStackProps } from '../../lib/stack/props';
import { expectValidManifests, Manifest } from '../helpers/k8s-schema';

type Metadata = { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
type Obj = { apiVersion: string; kind: string; metadata: Metadata; [k: string]: any };

const base: WorkloadPlan = {
  kind: 'Deployment',
  name: 'demo',
  namespace: 'ns',
  labels: { 'app.kubernetes.io/name': 'demo', 'team': 'x' },
  selectorLabels: { 'app.kubernetes.io/name': 'demo' },
  replicas: 2,
  rollout: { type: 'RollingUpdate', maxUnavailable: 0, maxSurge: 1 },
  serviceAccount: { name: 'demo-sa', automountToken: false, annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/demo' } },
  configs: [{ kind: 'ConfigMap', name: 'demo-config', data: { 'a.yaml': 'a: 1\n' } }, { kind: 'Secret', name: 'demo-secret', data: { 'b.yml': 'b: 2\n' } }],
  pod: {
    annotations: { 'checksum/config': 'sha256:abc' },
    enableServiceLinks: false,
    spreadOverNodes: true,
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'main',
      image: 'example.com/demo:1.0@sha256:0000000000000000000000000000000000000000000000000000000000000000',
      env: [{ name: 'LITERAL', value: 'v' }, { name: 'NODE', fieldPath: 'spec.nodeName' }, { name: 'TOKEN', secret: { name: 'creds', key: 'token' } }],
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      volumeMounts: [{ name: 'config', mountPath: '/etc/demo', readOnly: true }],
    }],
    volumes: [{ name: 'config', configMap: { name: 'demo-config' } }],
  },
  services: [{ name: 'demo', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }],
  minAvailable: 1,
  networkPolicy: {
    ingress: [{ peers: [{ pods: { client: 'yes' } }, { namespace: 'monitoring' }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    egress: [DNS_EGRESS_RULE, { ports: [{ port: 443, protocol: 'TCP' }] }, ...egressRules([{ kind: 'cidr', cidr: '169.254.170.23/32', port: 80, protocol: 'TCP' }])],
  },
};

function render(plan: WorkloadPlan): Obj[] {
  const chart = new Chart(Testing.app(), 'test');
  new Workload(chart, 'Demo', { plan });
  return Testing.synth(chart) as Obj[];
}
const find = (objects: Obj[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name))!;

describe('the Workload renderer', () => {
  const objects = render(base);

  test('renders ServiceAccount, configs, controller, Service, budget and NetworkPolicy in that order, valid against the schemas', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/demo-sa', 'ConfigMap/demo-config', 'Secret/demo-secret', 'Deployment/demo', 'Service/demo',
      'PodDisruptionBudget/demo', 'NetworkPolicy/demo',
    ]);
    expectValidManifests(objects as unknown as Manifest[]);
  });

  test('a StatefulSet gets its Services first: the governing Service names its pods', () => {
    const sts = render({ ...base, kind: 'StatefulSet', rollout: undefined, statefulSet: { serviceName: 'demo', podManagementPolicy: 'Parallel' } });
    expect(sts.map((o) => o.kind)).toEqual(['ServiceAccount', 'ConfigMap', 'Secret', 'Service', 'StatefulSet', 'PodDisruptionBudget', 'NetworkPolicy']);
    expect(find(sts, 'StatefulSet').spec).toMatchObject({ serviceName: 'demo', podManagementPolicy: 'Parallel', replicas: 2 });
  });

  test('the ServiceAccount carries its annotations and no token, and so do the pods', () => {
    const sa = find(objects, 'ServiceAccount');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/demo' });
    const pod = find(objects, 'Deployment').spec.template.spec;
    expect(pod.serviceAccountName).toBe('demo-sa');
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('a Secret config is stringData, a ConfigMap is data', () => {
    expect(find(objects, 'Secret')).toMatchObject({ type: 'Opaque', stringData: { 'b.yml': 'b: 2\n' } });
    expect(find(objects, 'Secret').data).toBeUndefined();
    expect(find(objects, 'ConfigMap').data).toEqual({ 'a.yaml': 'a: 1\n' });
  });

  test('env: literal, pod field and Secret reference (never a value)', () => {
    expect(find(objects, 'Deployment').spec.template.spec.containers[0].env).toEqual([
      { name: 'LITERAL', value: 'v' },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token', optional: false } } },
    ]);
  });

  test('the controller selects by the selector labels, the pods carry every label and the checksum annotation', () => {
    const d = find(objects, 'Deployment');
    expect(d.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'demo' } });
    expect(d.spec.template.metadata).toEqual({ labels: base.labels, annotations: { 'checksum/config': 'sha256:abc' } });
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(d.spec.template.spec.topologySpreadConstraints).toEqual([{
      maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'demo' } },
    }]);
  });

  test('Service ports target the container port of the same name', () => {
    expect(find(objects, 'Service').spec).toEqual({
      type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'demo' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
    const headless = render({ ...base, services: [{ name: 'demo-cluster', headless: true, publishNotReadyAddresses: true, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }] });
    expect(find(headless, 'Service').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(find(headless, 'Service').spec.type).toBeUndefined();
    expect(find(headless, 'Service').spec.ipFamilies).toBeUndefined();
    const v6 = render({ ...base, services: [{ name: 'demo-cluster', headless: true, ipFamily: 'IPv6', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }] });
    expect(find(v6, 'Service').spec).toMatchObject({ clusterIP: 'None', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] });
  });

  test('NetworkPolicy: default deny both ways, each peer kind rendered as Kubernetes selects it', () => {
    expect(find(objects, 'NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'demo' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{
        from: [{ podSelector: { matchLabels: { client: 'yes' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      }],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
        },
        { ports: [{ port: 443, protocol: 'TCP' }] },
        { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ port: 80, protocol: 'TCP' }] },
      ],
    });
    const none = render({ ...base, networkPolicy: { ingress: [], egress: [] } });
    expect(find(none, 'NetworkPolicy').spec).toMatchObject({ ingress: [], egress: [] });
  });

  test('a ClusterRole and its binding to the ServiceAccount, named like the workload, when the plan has rules', () => {
    const withRbac = render({ ...base, clusterRole: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] } });
    expect(withRbac.slice(0, 3).map((o) => o.kind)).toEqual(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']);
    expect(find(withRbac, 'ClusterRole').rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    expect(find(withRbac, 'ClusterRoleBinding')).toMatchObject({
      metadata: { name: 'demo' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'demo' },
      subjects: [{ kind: 'ServiceAccount', name: 'demo-sa', namespace: 'ns' }],
    });
    expect(find(withRbac, 'ClusterRole').metadata.namespace).toBeUndefined();
  });

  test('optional parts are left out: no budget, no NetworkPolicy, no annotations when the plan has none', () => {
    const bare = render({ ...base, minAvailable: undefined, networkPolicy: undefined, pod: { ...base.pod, annotations: {} } });
    expect(bare.map((o) => o.kind)).not.toContain('PodDisruptionBudget');
    expect(bare.map((o) => o.kind)).not.toContain('NetworkPolicy');
    expect(find(bare, 'Deployment').spec.template.metadata.annotations).toBeUndefined();
  });
});

describe('StackPlan.workloads', () => {
  const props: DetectionStackProps = {
    cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
    sensors: { falco: {}, tetragon: {}, ownership: { falcoPatterns: [] } },
    routing: { teams: [{ name: 'payments', namespaces: ['billing'], receivers: { slack: [{ webhookUrl: { name: 's', key: 'u' }, minimumPriority: 'Critical' }] } }], alertmanager: { mode: 'bundled' } },
    durable: { bucket: { name: 'detections-prod', region: 'eu-west-1', aws: { podIdentity: true } } },
    audit: { kubernetes: { falcoPlugin: {} } },
  };

  test('lists every workload the chart runs, each rendered exactly as planned', () => {
    const chart = new DetectionStack(Testing.app(), 'stack', props);
    expect(chart.plan.workloads.map((w) => w.name)).toEqual(['falco', 'tetragon', 'tetragon-operator', 'falcosidekick', 'alertmanager', 'alert-shipper', 'falco-k8saudit']);
    const objects = Testing.synth(chart) as Obj[];
    const controllers = objects.filter((o) => ['DaemonSet', 'Deployment', 'StatefulSet'].includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(chart.plan.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual(controllers);
    for (const w of chart.plan.workloads) {
      const rendered = find(objects, w.kind, w.name);
      expect(rendered.metadata.namespace).toBe(w.namespace);
      expect(rendered.spec.template.spec.containers.map((c: { name: string; image: string }) => [c.name, c.image]))
        .toEqual(w.pod.containers.map((c) => [c.name, c.image]));
      expect(rendered.spec.template.spec.containers.map((c: { resources: unknown }) => c.resources))
        .toEqual(w.pod.containers.map((c) => c.resources));
    }
  });
});
