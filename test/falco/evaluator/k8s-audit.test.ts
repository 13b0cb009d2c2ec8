import { evaluator, rule, ruleNames } from './helpers';
import {
  extractK8sAuditField, isK8sAuditEvent, isK8sAuditListField, k8sAuditTimestampNs, splitK8sAuditEvents,
} from '../../../lib/falco/evaluator/k8s-audit';

/** A hand-written audit event: a privileged pod with a host path volume, created by a service account. */
const createPod = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'RequestResponse',
  auditID: '7e1a3f4c-0000-4000-8000-000000000001',
  stage: 'ResponseComplete',
  requestURI: '/api/v1/namespaces/payments/pods?fieldManager=kubectl-client-side-apply&dryRun=All',
  verb: 'create',
  user: { username: 'system:serviceaccount:ci:deployer', groups: ['system:serviceaccounts', 'system:authenticated'] },
  impersonatedUser: { username: 'bob' },
  sourceIPs: ['10.0.0.7'],
  userAgent: 'kubectl/v1.30.0',
  objectRef: { resource: 'pods', namespace: 'payments', name: 'api-7d9', apiVersion: 'v1' },
  responseStatus: { metadata: {}, code: 201 },
  requestObject: {
    kind: 'Pod',
    spec: {
      hostNetwork: true,
      securityContext: { runAsUser: 1000, supplementalGroups: [4, 5] },
      containers: [
        {
          name: 'api',
          image: 'registry.example.com/pay/api:1.2@sha256:abc',
          command: ['/bin/api', '--port', '80'],
          securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN'] } },
          ports: [{ containerPort: 8080, hostPort: 80 }],
        },
        { name: 'sidecar', image: 'envoy:v1', securityContext: { runAsUser: 0 }, ports: [{ containerPort: 9901 }] },
      ],
      initContainers: [{ name: 'init', image: 'busybox', args: ['sh', '-c', 'true'] }],
      volumes: [{ name: 'host', hostPath: { path: '/var/run/docker.sock' } }, { name: 'cfg', configMap: { name: 'c' } }],
    },
  },
  responseObject: { metadata: { name: 'api-7d9' } },
  requestReceivedTimestamp: '2024-05-01T10:00:00.000000Z',
  stageTimestamp: '2024-05-01T10:00:00.123456789Z',
  annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed' },
};

const bindRole = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  auditID: '7e1a3f4c-0000-4000-8000-000000000002',
  stage: 'ResponseComplete',
  verb: 'create',
  user: { username: 'alice' },
  objectRef: { resource: 'clusterrolebindings', name: 'bind-admin' },
  requestObject: {
    roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [
      { kind: 'User', name: 'mallory' },
      { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
      { kind: 'Group', name: 'devs' },
    ],
  },
  stageTimestamp: '2024-05-01T10:00:01Z',
};

const createRole = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  auditID: '7e1a3f4c-0000-4000-8000-000000000003',
  verb: 'create',
  objectRef: { resource: 'clusterroles', name: 'wide' },
  requestObject: {
    rules: [
      { apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['get', 'create'] },
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    ],
  },
};

describe('k8saudit field extraction', () => {
  it.each([
    ['ka.auditid', undefined, '7e1a3f4c-0000-4000-8000-000000000001'],
    ['ka.stage', undefined, 'ResponseComplete'],
    ['ka.auth.decision', undefined, 'allow'],
    ['ka.auth.reason', undefined, 'RBAC: allowed'],
    ['ka.user.name', undefined, 'system:serviceaccount:ci:deployer'],
    ['ka.user.groups', undefined, ['system:serviceaccounts', 'system:authenticated']],
    ['ka.impuser.name', undefined, 'bob'],
    ['ka.verb', undefined, 'create'],
    ['ka.uri', undefined, '/api/v1/namespaces/payments/pods?fieldManager=kubectl-client-side-apply&dryRun=All'],
    ['ka.uri.param', 'dryRun', 'All'],
    ['ka.uri.param', 'missing', undefined],
    ['ka.target.name', undefined, 'api-7d9'],
    ['ka.target.namespace', undefined, 'payments'],
    ['ka.target.resource', undefined, 'pods'],
    ['ka.target.subresource', undefined, undefined],
    ['ka.target.pod.name', undefined, 'api-7d9'],
    ['ka.req.pod.host_network', undefined, 'true'], // JSON booleans become strings
    ['ka.req.pod.host_pid', undefined, undefined],
    ['ka.req.pod.run_as_user', undefined, '1000'],
    ['ka.req.pod.supplemental_groups', undefined, ['4', '5']],
    ['ka.req.pod.containers.name', undefined, ['api', 'sidecar']],
    ['ka.req.pod.containers.image', undefined, ['registry.example.com/pay/api:1.2@sha256:abc', 'envoy:v1']],
    ['ka.req.pod.containers.image', '1', ['envoy:v1']],
    ['ka.req.pod.containers.image.repository', undefined, ['registry.example.com/pay/api', 'envoy']],
    ['ka.req.pod.containers.command', undefined, ['/bin/api --port 80']],
    ['ka.req.pod.containers.privileged', undefined, ['true']], // containers without the key are skipped
    ['ka.req.pod.containers.run_as_user', undefined, ['0']],
    ['ka.req.pod.containers.eff_run_as_user', undefined, ['0', '0']],
    ['ka.req.pod.containers.host_port', undefined, ['80', '9901']],
    ['ka.req.pod.containers.add_capabilities', undefined, ['["NET_ADMIN"]']], // each container's list, as JSON
    ['ka.req.pod.initContainers.name', undefined, ['init']],
    ['ka.req.pod.initContainers.args', undefined, ['sh -c true']],
    ['ka.req.pod.ephemeralContainers.name', undefined, undefined],
    ['ka.req.container.image', undefined, 'registry.example.com/pay/api:1.2@sha256:abc'],
    ['ka.req.container.image.repository', undefined, 'registry.example.com/pay/api'],
    ['ka.req.container.privileged', undefined, 'true'],
    ['ka.req.pod.volumes.hostpath', undefined, ['/var/run/docker.sock']],
    ['ka.req.pod.volumes.volume_type', undefined, ['hostPath', 'configMap']],
    ['ka.req.volume.hostpath', '/var/run/*', 'true'],
    ['ka.req.volume.hostpath', '/etc', 'false'],
    ['ka.resp.name', undefined, 'api-7d9'],
    ['ka.response.code', undefined, '201'],
    ['ka.useragent', undefined, 'kubectl/v1.30.0'],
    ['ka.req.binding.subject.has_name', 'x', 'true'],
    ['jevt.value', '/objectRef/namespace', 'payments'],
    ['jevt.value', '/requestObject/spec/containers/1/name', 'sidecar'],
    ['jevt.value', '/requestObject/spec/securityContext', '{"runAsUser":1000,"supplementalGroups":[4,5]}'],
    ['jevt.value', '/nope', undefined],
    ['json.value', '/verb', 'create'],
    ['jevt.rawtime', undefined, '1714557600123456789'],
  ])('%s[%s] of a pod creation', (field, arg, expected) => {
    expect(extractK8sAuditField(createPod, field, arg)).toEqual(expected);
  });

  it.each([
    ['ka.req.binding.role', 'cluster-admin'],
    ['ka.req.binding.subjects.user_names', ['mallory']],
    ['ka.req.binding.subjects.serviceaccount_names', ['builder']],
    ['ka.req.binding.subjects.serviceaccount_ns_names', ['ci:builder']],
    ['ka.req.binding.subjects.group_names', ['devs']],
    ['ka.req.binding.subjects', ['{"kind":"User","name":"mallory"}', '{"kind":"ServiceAccount","name":"builder","namespace":"ci"}', '{"kind":"Group","name":"devs"}']],
    ['ka.target.pod.name', undefined],
    ['ka.req.pod.containers.name', undefined],
  ])('%s of a cluster role binding', (field, expected) => {
    expect(extractK8sAuditField(bindRole, field)).toEqual(expected);
  });

  it.each([
    ['ka.req.role.rules.verbs', undefined, ['get', 'create', '*']],
    ['ka.req.role.rules.resources', undefined, ['pods', 'pods/exec', '*']],
    ['ka.req.role.rules.apiGroups', '1', ['*']],
    ['ka.req.role.rules.nonResourceURLs', undefined, undefined],
  ])('%s[%s] of a cluster role', (field, arg, expected) => {
    expect(extractK8sAuditField(createRole, field, arg)).toEqual(expected);
  });

  it('extracts no ka.* field from JSON without an auditID (the plugin ignores it)', () => {
    const { auditID: _ignored, ...noId } = createPod;
    expect(extractK8sAuditField(noId, 'ka.verb')).toBeUndefined();
    expect(extractK8sAuditField(noId, 'jevt.value', '/verb')).toBe('create');
  });

  it('knows which fields are lists', () => {
    expect(isK8sAuditListField('ka.user.groups')).toBe(true);
    expect(isK8sAuditListField('ka.req.pod.containers.image')).toBe(true);
    expect(isK8sAuditListField('ka.req.pod.initContainers.privileged')).toBe(true);
    expect(isK8sAuditListField('ka.user.name')).toBe(false);
  });

  it('throws for a field it does not know', () => {
    expect(() => extractK8sAuditField(createPod, 'ka.nope')).toThrow(/unknown k8s_audit field 'ka.nope'/);
  });

  it('recognizes and splits audit payloads', () => {
    expect(isK8sAuditEvent(createPod)).toBe(true);
    expect(isK8sAuditEvent({ kind: 'Pod', apiVersion: 'v1' })).toBe(false);
    expect(splitK8sAuditEvents({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [createPod, bindRole] })).toEqual([createPod, bindRole]);
    expect(splitK8sAuditEvents(createPod)).toEqual([createPod]);
    expect(k8sAuditTimestampNs({ stageTimestamp: '1970-01-01T00:00:01.5Z' })).toBe('1500000000');
    expect(k8sAuditTimestampNs({ stageTimestamp: 'yesterday' })).toBeUndefined();
  });
});

describe('k8s_audit rules on raw audit events', () => {
  const k8sRules = [
    rule('Create Privileged Pod', 'ka.target.resource = pods and ka.verb = create and ka.req.pod.containers.privileged intersects (true)',
      { source: 'k8s_audit', output: 'Pod started with privileged container (user=%ka.user.name pod=%ka.resp.name ns=%ka.target.namespace images=%ka.req.pod.containers.image)' }),
    rule('Sensitive Mount', 'ka.verb = create and ka.req.pod.volumes.hostpath intersects (/proc, /var/run/docker.sock)',
      { source: 'k8s_audit', output: 'mount %ka.req.pod.volumes.hostpath' }),
    rule('Attach Cluster Admin', 'ka.verb = create and ka.target.resource = clusterrolebindings and ka.req.binding.role = cluster-admin',
      { source: 'k8s_audit', output: 'admin bound to %ka.req.binding.subjects.user_names by %ka.user.name', priority: 'CRITICAL' }),
    rule('Wildcard Role', 'ka.target.resource = clusterroles and ka.verb = create and ka.req.role.rules.verbs intersects ("*")',
      { source: 'k8s_audit', output: 'wildcard role %ka.target.name' }),
    rule('Only Trusted Images', 'ka.verb = create and ka.target.resource = pods and not ka.req.pod.containers.image.repository in (envoy)',
      { source: 'k8s_audit' }),
  ];

  it('GIVEN rule_matching all WHEN a privileged pod with a docker socket is created THEN both rules fire with their outputs', () => {
    const detections = evaluator(k8sRules, { ruleMatching: 'all' }).evaluate(createPod);
    expect(detections).toEqual([
      {
        rule: 'Create Privileged Pod',
        priority: 'Warning',
        source: 'k8s_audit',
        output: 'Pod started with privileged container (user=system:serviceaccount:ci:deployer pod=api-7d9 ns=payments images=(registry.example.com/pay/api:1.2@sha256:abc,envoy:v1))',
      },
      { rule: 'Sensitive Mount', priority: 'Warning', source: 'k8s_audit', output: 'mount (/var/run/docker.sock)' },
      { rule: 'Only Trusted Images', priority: 'Warning', source: 'k8s_audit', output: 'Only Trusted Images fired' },
    ]);
  });

  it('matches role bindings and roles', () => {
    const ev = evaluator(k8sRules, { ruleMatching: 'all' });
    expect(ev.evaluate(bindRole)).toEqual([
      { rule: 'Attach Cluster Admin', priority: 'Critical', source: 'k8s_audit', output: 'admin bound to (mallory) by alice' },
    ]);
    expect(ruleNames(ev.evaluate(createRole))).toEqual(['Wildcard Role']);
  });

  it('refuses an EventList as one event, naming what to do', () => {
    const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [createPod] };
    expect(() => evaluator(k8sRules).evaluate(list)).toThrow(/EVAL_EVENT_LIST .*evaluate each of its items \(see splitK8sAuditEvents\)/);
  });

  it('`in` on a list field needs every value in the set', () => {
    const onlyEnvoy = { ...createPod, requestObject: { spec: { containers: [{ name: 'e', image: 'envoy:v2' }] } } };
    expect(ruleNames(evaluator(k8sRules, { ruleMatching: 'all' }).evaluate(onlyEnvoy))).toEqual([]);
  });
});
