import { DetectionStackProps, planStack } from '../../lib';
import { DEFAULT_TETRAGON_IMAGES, SEED_PATTERNS, TetragonDetection, TetragonSensorProps } from '../../lib/tetragon';

const stack = (tetragon: TetragonSensorProps, extra: Partial<DetectionStackProps> = {}): DetectionStackProps => ({
  cluster: { name: 'prod', provider: 'eks', region: 'us-east-1' },
  namespace: 'tetragon',
  sensors: { tetragon },
  ...extra,
});

describe('planTetragon: defaults', () => {
  const plan = planStack(stack({ productNamespaces: ['billing', 'checkout', 'identity'] }), 'S').tetragon!;

  test('the export file is on the host where the shipper can read it', () => {
    expect(plan.exportDirectory).toBe('/var/log/tetragon');
    expect(plan.exportHostPath).toBe('/var/log/tetragon/tetragon.log');
    expect(plan.agentConfig['export-filename']).toBe('/var/log/tetragon/tetragon.log');
  });

  test('system namespaces and the stack namespace are not exported; health checks neither', () => {
    expect(plan.agentConfig['export-denylist'].split('\n').map((l) => JSON.parse(l))).toEqual([
      { health_check: true },
      { namespace: ['kube-system', 'kube-public', 'kube-node-lease', 'tetragon'] },
    ]);
    expect(JSON.parse(plan.agentConfig['export-allowlist']).event_set).toContain('PROCESS_KPROBE');
  });

  test('with routing, the routing namespace (Falcosidekick, Alertmanager) is not exported either', () => {
    const routed = planStack(stack({}, { routing: { sidekick: {} } }), 'S').tetragon!;
    expect(JSON.parse(routed.agentConfig['export-denylist'].split('\n')[1])).toEqual({
      namespace: ['kube-system', 'kube-public', 'kube-node-lease', 'tetragon', 'tetragon-routing'],
    });
    const named = planStack(stack({}, { routing: { sidekick: {} }, routingNamespace: 'alerting' }), 'S').tetragon!;
    expect(JSON.parse(named.agentConfig['export-denylist'].split('\n')[1]).namespace).toEqual(['kube-system', 'kube-public', 'kube-node-lease', 'tetragon', 'alerting']);
  });

  test('cluster name, rate limit, redaction, policy filter and health server are configured', () => {
    expect(plan.agentConfig).toMatchObject({
      'cluster-name': 'prod',
      'export-rate-limit': '-1',
      'enable-policy-filter': 'true',
      'health-server-address': ':6789',
      'server-address': 'unix:///var/run/tetragon/tetragon.sock',
      'procfs': '/procRoot',
    });
    const redactions = plan.agentConfig['redaction-filters'].split('\n').map((l) => JSON.parse(l));
    expect(redactions).toHaveLength(2);
    const [argPattern] = redactions[0].redact as string[];
    expect(new RegExp(argPattern.replace('(?i)', ''), 'i').exec('--password=hunter2')?.[1]).toBe('hunter2');
  });

  test('images are the pinned release with digests', () => {
    expect(plan.images).toEqual(DEFAULT_TETRAGON_IMAGES);
    expect(plan.images.agent).toMatch(/^quay\.io\/cilium\/tetragon:v1\.7\.0@sha256:[0-9a-f]{64}$/);
    expect(plan.images.operator).toMatch(/^quay\.io\/cilium\/tetragon-operator:v1\.7\.0@sha256:[0-9a-f]{64}$/);
  });

  test('one seed detection per pattern, one namespaced policy per product namespace, all in monitor mode', () => {
    expect(plan.detections.map((d) => d.id)).toEqual([...SEED_PATTERNS]);
    for (const d of plan.detections) {
      expect(d.owner).toBe('platform-security');
      expect(d.tags).toContain(`pattern:${d.pattern}`);
      expect(d.policies.map((p) => `${p.kind}/${p.metadata.namespace}/${p.metadata.name}`)).toEqual(
        ['billing', 'checkout', 'identity'].map((ns) => `TracingPolicyNamespaced/${ns}/ds-${d.pattern}`));
      for (const p of d.policies) {
        expect(p.spec.options).toEqual([{ name: 'policy-mode', value: 'monitor' }]);
        expect(p.metadata.labels).toMatchObject({ 'detection-stack.io/owner': 'platform-security', 'detection-stack.io/pattern': d.pattern });
      }
    }
    expect(plan.enforcement).toEqual({ enabled: false });
  });

  test('without product namespaces no seed detection is deployed', () => {
    expect(planStack(stack({}), 'S').tetragon!.detections).toEqual([]);
  });

  test('seedPatterns selects patterns and noNetworkBinaries feeds unexpected-outbound', () => {
    const p = planStack(stack({ productNamespaces: ['billing'], seedPatterns: ['unexpected-outbound'], noNetworkBinaries: ['/usr/bin/python3'] }), 'S').tetragon!;
    expect(p.detections.map((d) => d.id)).toEqual(['unexpected-outbound']);
    expect(p.detections[0].policies[0].spec.kprobes?.[0].selectors?.[0].matchBinaries).toEqual([{ operator: 'In', values: ['/usr/bin/python3'] }]);
  });
});

const sigkillDetection: TetragonDetection = {
  id: 'kill-miner',
  pattern: 'crypto-miner',
  owner: 'sec',
  policies: [{
    apiVersion: 'cilium.io/v1alpha1',
    kind: 'TracingPolicy',
    metadata: { name: 'kill-miner' },
    spec: { kprobes: [{ call: 'security_bprm_check', syscall: false, args: [{ index: 0, type: 'linux_binprm' }], selectors: [{ matchArgs: [{ index: 0, operator: 'Postfix', values: ['/xmrig'] }], matchActions: [{ action: 'Sigkill' }] }] }] },
  }],
};

describe('planTetragon: bad props fail with the prop path', () => {
  test.each([
    ['a bad product namespace', { productNamespaces: ['Billing'] }, /DS-TETRA-002 at S\/sensors\.tetragon\.productNamespaces\[0\]/],
    ['a duplicate product namespace', { productNamespaces: ['a', 'a'] }, /DS-TETRA-052 .*listed twice/],
    ['the stack namespace as product namespace', { productNamespaces: ['tetragon'] }, /DS-TETRA-053 .*stack's own namespace/],
    ['an unknown seed pattern', { productNamespaces: ['a'], seedPatterns: ['nope' as never] }, /DS-PROPS-012 at S\/sensors\.tetragon\.seedPatterns\[0\]: .*'nope', not one of the allowed values/],
    ['a relative no-network binary', { productNamespaces: ['a'], noNetworkBinaries: ['bash'] }, /DS-TETRA-056 at S\/sensors\.tetragon\.noNetworkBinaries\[0\]/],
    ['a bad export directory', { export: { directory: 'var/log' } }, /DS-TETRA-056 at S\/sensors\.tetragon\.export\.directory/],
    ['a bad rate limit', { export: { rateLimitPerMinute: 0 } }, /DS-TETRA-051 at S\/sensors\.tetragon\.export\.rateLimitPerMinute/],
    ['a bad quantity', { agentResources: { limits: { memory: '1 GB' } } }, /DS-TETRA-055 at S\/sensors\.tetragon\.agentResources\.limits\.memory/],
    ['enforcement without a reason', { enforcement: { enabled: true, reason: 'yes' } }, /DS-TETRA-003 at S\/sensors\.tetragon\.enforcement\.reason/],
    ['an unpinned image', { images: { agent: 'quay.io/cilium/tetragon:latest' } }, /DS-TETRA-004 at S\/sensors\.tetragon\.images\.agent/],
    ['an untagged image', { images: { operator: 'quay.io/cilium/tetragon-operator' } }, /DS-TETRA-004 at S\/sensors\.tetragon\.images\.operator/],
    ['a duplicate detection id', { detections: [{ ...sigkillDetection, id: 'ptrace' }], productNamespaces: ['a'], enforcement: { enabled: true, reason: 'miners are killed on sight' } }, /DS-TETRA-008 at S\/sensors\.tetragon\.detections\[0\]\.id: detection id 'ptrace' is used twice/],
    ['two policies with the same name', {
      detections: [{ ...sigkillDetection, id: 'a', policies: [{ ...sigkillDetection.policies[0], spec: {} }] },
        { ...sigkillDetection, id: 'b', policies: [{ ...sigkillDetection.policies[0], spec: {} }] }],
    }, /DS-TETRA-013 at S\/sensors\.tetragon\.detections\[1\]\.policies\[0\]\.metadata\.name: TracingPolicy 'kill-miner' is defined twice/],
    ['a pattern that is not kebab-case', { detections: [{ ...sigkillDetection, pattern: 'Kill_Miner' }] },
      /DS-TETRA-005 at S\/sensors\.tetragon\.detections\[0\]\.pattern: pattern 'Kill_Miner' is not a kebab-case id/],
    ['a detection without policy', { detections: [{ ...sigkillDetection, policies: [] }] }, /DS-TETRA-009 at S\/sensors\.tetragon\.detections\[0\]\.policies: detection 'kill-miner' has no policy/],
    ['a policy with enforcement and no opt-in', { detections: [sigkillDetection] },
      /DS-TETRA-041 at S\/sensors\.tetragon\.detections\[0\]\.policies\[0\]\.spec\.kprobes\[0\]\.selectors\[0\]\.matchActions\[0\]\.action/],
  ])('%s', (_name, props, error) => {
    expect(() => planStack(stack(props as TetragonSensorProps), 'S')).toThrow(error);
  });

  test('GIVEN enforcement opted in with a reason THEN the Sigkill policy is planned', () => {
    const p = planStack(stack({ detections: [sigkillDetection], enforcement: { enabled: true, reason: 'miners are killed on sight' } }), 'S').tetragon!;
    expect(p.enforcement).toEqual({ enabled: true, reason: 'miners are killed on sight' });
    expect(p.detections.map((d) => d.id)).toEqual(['kill-miner']);
  });
});
