import { Chart, Testing } from 'cdk8s';
import { planStack, TetragonSensor, TetragonSensorProps, TetragonTracingPolicy } from '../../lib';
import { expectValidManifests, Manifest } from '../helpers/k8s-schema';

const TRACING_POLICY_CRDS = ['cilium.io/v1alpha1/TracingPolicy', 'cilium.io/v1alpha1/TracingPolicyNamespaced'];

// The sensor alone, rendered from the stack plan (the other layers have their own tests).
function synth(clusterName = 'prod', extra: Partial<TetragonSensorProps> = {}): Manifest[] {
  const plan = planStack({
    cluster: { name: clusterName, provider: 'aks', region: 'westeurope' },
    namespace: 'runtime',
    sensors: { tetragon: { productNamespaces: ['shop'], seedPatterns: ['shell-in-container'], ...extra } },
  }, 'stack');
  const chart = new Chart(Testing.app(), 'stack');
  new TetragonSensor(chart, 'Tetragon', { plan: plan.tetragon! });
  return Testing.synth(chart) as Manifest[];
}
type Obj = Record<string, any>;
const find = (objs: Manifest[], kind: string, name: string): Obj => {
  const o = objs.find((m) => m.kind === kind && (m.metadata as Obj).name === name);
  if (!o) throw new Error(`${kind}/${name} not synthesized`);
  return o as Obj;
};

describe('TetragonSensor', () => {
  const objs = synth();
  const ds = find(objs, 'DaemonSet', 'tetragon');
  const pod = ds.spec.template.spec;
  const agent = pod.containers.find((c: Obj) => c.name === 'tetragon');

  test('snapshot of every object', () => {
    expect(objs).toMatchSnapshot();
  });

  test('every core object matches the upstream Kubernetes schemas (the TracingPolicy CRDs excluded explicitly)', () => {
    expect(() => expectValidManifests(objs, { customResources: TRACING_POLICY_CRDS })).not.toThrow();
    expect(objs.map((o) => o.kind).sort()).toEqual([
      'ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'ConfigMap', 'DaemonSet', 'Deployment', 'NetworkPolicy', 'NetworkPolicy',
      'ServiceAccount', 'ServiceAccount', 'TracingPolicyNamespaced',
    ]);
  });

  test('the DaemonSet tolerates every taint, runs the agent alone with a pinned image and limits', () => {
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.containers.map((c: Obj) => c.name)).toEqual(['tetragon']);
    expect(agent.image).toMatch(/^quay\.io\/cilium\/tetragon:v1\.7\.0@sha256:[0-9a-f]{64}$/);
    expect(Object.keys(agent.resources).sort()).toEqual(['limits', 'requests']);
    expect(agent.resources.limits).toEqual({ cpu: '1', memory: '1Gi' });
  });

  describe('the export-stdout sidecar, an opt-in (no digest of hubble-export-stdout could be verified for a default)', () => {
    const DIGEST = `sha256:${'fedcba9876543210'.repeat(4)}`;
    const IMAGE = `quay.io/cilium/hubble-export-stdout:v1.1.1@${DIGEST}`;

    test('GIVEN export.stdoutSidecar and an image with its digest THEN it copies the export file, root without capabilities, read-only', () => {
      const sidecarPod = find(synth('prod', { export: { stdoutSidecar: true }, images: { exportStdout: IMAGE } }), 'DaemonSet', 'tetragon').spec.template.spec;
      expect(sidecarPod.containers.map((c: Obj) => c.name)).toEqual(['export-stdout', 'tetragon']);
      const exporter = sidecarPod.containers[0];
      expect(exporter.image).toBe(IMAGE);
      expect(exporter.args).toEqual(['/var/log/tetragon/tetragon.log']);
      expect(exporter.securityContext).toMatchObject({ runAsUser: 0, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(exporter.volumeMounts).toEqual([{ name: 'export-logs', mountPath: '/var/log/tetragon', readOnly: true }]);
      expect(exporter.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } });
    });

    test.each([
      ['no image', { export: { stdoutSidecar: true } }, /^DS-TETRA-059 at stack\/sensors\.tetragon\.images\.exportStdout: the export-stdout sidecar has no image: .*Fix: give images\.exportStdout by tag and digest, e\.g\. 'quay\.io\/cilium\/hubble-export-stdout:v1\.1\.1@sha256:<digest>' \(`crane digest/],
      ['an image by tag only', { export: { stdoutSidecar: true }, images: { exportStdout: 'quay.io/cilium/hubble-export-stdout:v1.1.1' } }, /^DS-TETRA-059 at stack\/sensors\.tetragon\.images\.exportStdout: image 'quay\.io\/cilium\/hubble-export-stdout:v1\.1\.1' has no digest/],
      ['an image while the sidecar is off', { images: { exportStdout: IMAGE } }, /^DS-TETRA-060 at stack\/sensors\.tetragon\.images\.exportStdout: images\.exportStdout set, but the export-stdout sidecar is off\. Fix: set export\.stdoutSidecar: true/],
      ['resources while the sidecar is off', { exportStdoutResources: { limits: { cpu: '50m' } } }, /^DS-TETRA-060 at stack\/sensors\.tetragon\.exportStdoutResources: exportStdoutResources set, but the export-stdout sidecar is off/],
    ])('GIVEN %s THEN an error naming the prop and the fix', (_what, extra, message) => {
      expect(() => synth('prod', extra as Partial<TetragonSensorProps>)).toThrow(message);
    });
  });

  test('privileges: only the agent is privileged; host network (upstream requirement) but no hostPID; host /proc read-only', () => {
    expect(agent.securityContext).toEqual({ privileged: true });
    expect(pod.hostPID).toBeUndefined();
    expect(pod.hostNetwork).toBe(true);
    expect(agent.volumeMounts).toContainEqual({ name: 'host-proc', mountPath: '/procRoot', readOnly: true });
    expect(agent.volumeMounts).toContainEqual({ name: 'bpf-maps', mountPath: '/sys/fs/bpf', mountPropagation: 'Bidirectional' });
    expect(pod.volumes).toContainEqual({ name: 'export-logs', hostPath: { path: '/var/log/tetragon', type: 'DirectoryOrCreate' } });
  });

  test('the host-network listeners bind to the node\'s primary address, not every interface (tetragon 1.7.0 flags)', () => {
    // pkg/option/flags.go: metrics-server and health-server-address take <address>:<port>; a set flag wins over
    // --config-dir (cmd/tetragon/main.go viper.BindPFlags). Kubernetes expands $(POD_IP) in args from the env var.
    expect(agent.args).toEqual([
      '--config-dir=/etc/tetragon/tetragon.conf.d/', '--metrics-server=[$(POD_IP)]:2112', '--health-server-address=[$(POD_IP)]:6789',
    ]);
    expect(agent.env).toContainEqual({ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
    expect(find(objs, 'ConfigMap', 'tetragon-config').data['server-address']).toBe('unix:///var/run/tetragon/tetragon.sock');
    expect(pod.volumes).toContainEqual({ name: 'bpf-maps', hostPath: { path: '/sys/fs/bpf', type: 'Directory' } });
  });

  test('the listener addresses are valid for Go on IPv4 and IPv6-only nodes alike', () => {
    // Go's net.SplitHostPort (golang/go src/net/ipsock.go), which net.Listen and http.ListenAndServe use: "[host]:port"
    // takes the host between the brackets whatever its family; without brackets a host with a colon is refused
    // ("too many colons in address"), which is fatal for tetragon's health server (pkg/health/server.go logger.Fatal).
    const addresses = agent.args.filter((a: string) => a.startsWith('--metrics-server=') || a.startsWith('--health-server-address='))
      .map((a: string) => a.slice(a.indexOf('=') + 1));
    expect(addresses).toHaveLength(2);
    for (const podIp of ['10.0.3.7', 'fd00:10:244::7']) {
      for (const address of addresses) {
        const [host, port] = goSplitHostPort(address.replace('$(POD_IP)', podIp));
        expect(host).toBe(podIp);
        expect(['2112', '6789']).toContain(port);
      }
    }
    // The unbracketed form this replaced fails on IPv6: the test can tell them apart.
    expect(() => goSplitHostPort('fd00:10:244::7:2112')).toThrow('too many colons in address');
  });

  test('GIVEN listenOnAllInterfaces with a reason THEN the listeners keep :port; without a reason DS-TETRA-006', () => {
    const plan = (listenOnAllInterfaces: { reason: string }) => planStack({
      cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' },
      sensors: { tetragon: { productNamespaces: ['shop'], listenOnAllInterfaces } },
      durable: { waived: { reason: 'listener test: no bucket in this cluster' } },
    }, 'stack');
    const agentOf = (p: ReturnType<typeof plan>) => p.tetragon!.workloads.agent.pod.containers.find((c) => c.name === 'tetragon')!;
    expect(agentOf(plan({ reason: 'Prometheus scrapes from a second node network' })).args).toEqual(['--config-dir=/etc/tetragon/tetragon.conf.d/']);
    expect(() => plan({ reason: 'v6' })).toThrow(expect.objectContaining({ code: 'DS-TETRA-006', where: 'stack/sensors.tetragon.listenOnAllInterfaces' }));
  });

  test('NetworkPolicies: nothing in; the agent out to DNS and the API server only, the operator likewise', () => {
    const api = { ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] };
    const agentPolicy = find(objs, 'NetworkPolicy', 'tetragon').spec;
    expect(agentPolicy.ingress).toEqual([]);
    expect(agentPolicy.egress).toEqual([{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }, api]);
    const operatorPolicy = find(objs, 'NetworkPolicy', 'tetragon-operator').spec;
    expect(operatorPolicy.ingress).toEqual([]);
    expect(operatorPolicy.egress[1]).toEqual(api);
  });

  test('health probes use the agent gRPC health server', () => {
    expect(agent.livenessProbe.grpc).toEqual({ port: 6789, service: 'liveness' });
    expect(agent.readinessProbe.grpc).toEqual({ port: 6789, service: 'liveness' });
  });

  test('the config checksum annotation changes with the configuration', () => {
    const checksum = ds.spec.template.metadata.annotations['checksum/config'];
    expect(checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(find(synth('prod').slice(), 'DaemonSet', 'tetragon').spec.template.metadata.annotations['checksum/config']).toBe(checksum);
    expect(find(synth('staging'), 'DaemonSet', 'tetragon').spec.template.metadata.annotations['checksum/config']).not.toBe(checksum);
    expect(find(objs, 'ConfigMap', 'tetragon-config').data['cluster-name']).toBe('prod');
  });

  test('RBAC: the agent only reads; the operator may create CRDs and update only Tetragon\'s', () => {
    const agentRules = find(objs, 'ClusterRole', 'tetragon').rules as Obj[];
    expect(agentRules.flatMap((r) => r.verbs).every((v: string) => ['get', 'list', 'watch'].includes(v))).toBe(true);
    expect(agentRules[0]).toEqual({ apiGroups: [''], resources: ['namespaces', 'nodes', 'pods'], verbs: ['get', 'list', 'watch'] });
    const opRules = find(objs, 'ClusterRole', 'tetragon-operator').rules as Obj[];
    expect(opRules).toContainEqual({ apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['create'] });
    expect(opRules).toContainEqual({
      apiGroups: ['apiextensions.k8s.io'],
      resources: ['customresourcedefinitions'],
      resourceNames: ['tracingpolicies.cilium.io', 'tracingpoliciesnamespaced.cilium.io'],
      verbs: ['get', 'list', 'watch', 'update'],
    });
    expect(opRules).toHaveLength(2);
  });

  test('the operator runs as non-root with no capability and health probes', () => {
    const op = find(objs, 'Deployment', 'tetragon-operator').spec.template.spec;
    expect(op.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    expect(op.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(op.containers[0].livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8081 });
    expect(find(objs, 'ConfigMap', 'tetragon-operator-config').data).toMatchObject({ 'skip-crd-creation': 'false', 'skip-pod-info-crd': 'true' });
  });

  test('the seed policy is a namespaced policy in the product namespace, labelled with its owner', () => {
    const p = find(objs, 'TracingPolicyNamespaced', 'ds-shell-in-container');
    expect(p.metadata.namespace).toBe('shop');
    expect(p.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'detection-stack', 'detection-stack.io/owner': 'platform-security' });
    expect(p.spec.options).toEqual([{ name: 'policy-mode', value: 'monitor' }]);
  });
});

describe('TetragonTracingPolicy', () => {
  test('GIVEN a policy with a filter on an undeclared argument THEN synth validation names the construct and the policy path', () => {
    const chart = new Chart(Testing.app(), 'c');
    new TetragonTracingPolicy(chart, 'p', {
      policy: {
        apiVersion: 'cilium.io/v1alpha1',
        kind: 'TracingPolicy',
        metadata: { name: 'p' },
        spec: { kprobes: [{ call: 'sys_openat', args: [{ index: 1, type: 'string' }], selectors: [{ matchArgs: [{ index: 0, operator: 'Equal', values: ['/etc/shadow'] }] }] }] },
      },
    });
    expect(chart.node.findAll().flatMap((c) => c.node.validate())).toEqual([
      expect.stringMatching(/^c\/p: spec\.kprobes\[0\]\.selectors\[0\]\.matchArgs\[0\]\.index: DS-TETRA-032 matchArgs index 0 refers to no declared argument/),
    ]);
  });
});

/** Go's net.SplitHostPort (golang/go src/net/ipsock.go), as tetragon 1.7.0 (Go 1.26) parses a listen address. */
function goSplitHostPort(hostport: string): [string, string] {
  const i = hostport.lastIndexOf(':');
  if (i < 0) throw new Error('missing port in address');
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === '[') {
    const end = hostport.indexOf(']');
    if (end < 0) throw new Error("missing ']' in address");
    if (end + 1 === hostport.length) throw new Error('missing port in address');
    if (end + 1 !== i) throw new Error(hostport[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    host = hostport.slice(1, end);
    [j, k] = [1, end + 1];
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) throw new Error('too many colons in address');
    if (host.includes('%')) throw new Error('missing brackets in address');
  }
  if (hostport.slice(j).includes('[')) throw new Error("unexpected '[' in address");
  if (hostport.slice(k).includes(']')) throw new Error("unexpected ']' in address");
  return [host, hostport.slice(i + 1)];
}
