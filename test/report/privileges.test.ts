import { Testing } from 'cdk8s';
import { eksTetragonStack } from '../../examples/eks-tetragon/main';
import { IMAGE_PINS } from '../../lib/core/images';
import { K8SMETA_PLUGIN } from '../../lib/falco/sensor/k8smeta';
import { renderReportMarkdown } from '../../lib/report/markdown';
import { pinAndPrivilegeLines, tagOnlyPins, workloadPrivileges } from '../../lib/report/privileges';
import { planStack } from '../../lib/stack/plan';

// REPORT.md states what is pulled by tag alone and what runs with privileges, each with its reason. Both lists are
// read from the planned workloads' specs (not from the reasons), so a new privilege or an unpinned image shows up.
const tetragon = () => eksTetragonStack(Testing.app()).plan;
const k8smeta = () => planStack({
  cluster: { name: 'c1', provider: 'eks', region: 'us-east-1' },
  sensors: { falco: { kubernetesMetadata: { tls: { serverSecret: 'k8s-metacollector-tls', caConfigMap: 'k8s-metacollector-ca' }, collector: { image: { tag: '0.1.1' } } } } },
}, 's');

describe('REPORT.md: images pinned by tag only, and privileges with their reasons', () => {
  test('Tetragon: no image by tag only (the export-stdout sidecar, the one release without a verified digest, is an opt-in with the user\'s digest)', () => {
    expect(tagOnlyPins(tetragon())).toEqual([]);
    expect(renderReportMarkdown(tetragon())).not.toContain('## Images and artifacts pinned by tag only');
  });

  test('Tetragon: the agent\'s privileged container and host network, and the operator\'s CRD create without resourceNames, each with why', () => {
    const plan = tetragon();
    expect(plan.workloads.flatMap(workloadPrivileges).map((p) => [p.workload, p.privilege, p.what])).toEqual([
      ['tetragon', 'privileged', 'privileged container tetragon'],
      ['tetragon', 'hostNetwork', 'hostNetwork: true'],
      ['tetragon-operator', 'unnamedCreate', 'ClusterRole `create` on customresourcedefinitions.apiextensions.k8s.io without resourceNames'],
    ]);
    const md = renderReportMarkdown(plan);
    expect(md).toContain('| tetragon | privileged container tetragon | it loads kprobe and LSM BPF programs and pins their maps under /sys/fs/bpf '
      + 'with Bidirectional mount propagation, which Kubernetes allows only in privileged containers |');
    expect(md).toContain('| tetragon | hostNetwork: true | Tetragon requires the host network for process visibility (tetragon chart v1.7.0 '
      + 'values.yaml `hostNetwork`); its metrics and health listeners are bound to the pod IP, so they are node ports |');
    expect(md).toContain('| tetragon-operator | ClusterRole `create` on customresourcedefinitions.apiextensions.k8s.io without resourceNames | '
      + 'it installs the TracingPolicy CRDs when it starts, and RBAC cannot limit `create` by resourceNames (the name of a new object is not known '
      + 'when the request is authorized: kubernetes.io RBAC "Referring to resources"); its get, list, watch and update are limited to '
      + 'tracingpolicies.cilium.io and tracingpoliciesnamespaced.cilium.io |');
  });

  test('the list is read from the spec: a workload without recorded reasons still shows, and says it has none', () => {
    const agent = tetragon().tetragon!.workloads.agent;
    const bare = workloadPrivileges({ ...agent, privilegeReasons: undefined });
    expect(bare.map((p) => p.why)).toEqual(['no reason recorded in the plan', 'no reason recorded in the plan']);
    expect(workloadPrivileges({ ...agent, pod: { ...agent.pod, hostNetwork: false } }).map((p) => p.privilege)).toEqual(['privileged']);
  });

  test('k8smeta: the collector image and the plugin artifact by tag, with why', () => {
    const plan = k8smeta();
    expect(tagOnlyPins(plan)).toEqual([
      { reference: 'docker.io/falcosecurity/k8s-metacollector:0.1.1', usedBy: 'Deployment falco/k8s-metacollector, container k8s-metacollector', why: IMAGE_PINS.k8sMetacollector.source },
      { reference: 'ghcr.io/falcosecurity/plugins/plugin/k8smeta:0.4.1', usedBy: 'falcoctl artifact install in the falco DaemonSet\'s init container', why: K8SMETA_PLUGIN.source },
    ]);
    expect(renderReportMarkdown(plan)).toContain(`| ghcr.io/falcosecurity/plugins/plugin/k8smeta:0.4.1 | falcoctl artifact install in the falco DaemonSet's init container | ${K8SMETA_PLUGIN.source} |`);
  });

  test('Falco by default: everything by digest, no privilege, no section; a tag-only image the user gives is named as theirs', () => {
    const plain = planStack({ cluster: { name: 'c1', provider: 'eks', region: 'us-east-1' }, sensors: { falco: {} } }, 's');
    expect(pinAndPrivilegeLines(plain)).toEqual([]);
    const byTag = planStack({ cluster: { name: 'c1', provider: 'eks', region: 'us-east-1' }, sensors: { falco: { image: { tag: '0.44.0' } } } }, 's');
    expect(tagOnlyPins(byTag)).toEqual([{
      reference: 'docker.io/falcosecurity/falco:0.44.0',
      usedBy: 'DaemonSet falco/falco, container falco',
      why: 'given in the stack props without a digest: add `@sha256:<digest>` to pin it',
    }]);
    const privileged = planStack({ cluster: { name: 'c1', provider: 'eks', region: 'us-east-1' }, sensors: { falco: { privileged: true } } }, 's');
    expect(privileged.workloads.flatMap(workloadPrivileges)).toEqual([
      { workload: 'falco', privilege: 'privileged', what: 'privileged container falco', why: 'privileged: true was requested (sensors.falco.privileged)' },
    ]);
  });
});
