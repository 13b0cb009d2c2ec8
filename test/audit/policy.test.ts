import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { AuditPolicy, AuditPolicyRule, detectionAuditPolicy, validateAuditPolicy } from '../../lib/audit/policy';
import { auditPolicyYaml, writeAuditPolicyFile } from '../../lib/audit/policy-file';

// kubernetes-models v4 has no audit.k8s.io group, so the Policy's shape is asserted exactly here.

/** The level the API server would record for a request: the first rule that matches decides. */
interface Request {
  user?: string;
  groups?: string[];
  verb: string;
  group?: string;
  resource?: string;
  namespace?: string;
  url?: string;
}

function levelFor(policy: AuditPolicy, req: Request): string {
  const matches = (r: AuditPolicyRule) =>
    (!r.users || r.users.includes(req.user ?? '')) &&
    (!r.userGroups || r.userGroups.some((g) => (req.groups ?? []).includes(g))) &&
    (!r.verbs || r.verbs.includes(req.verb)) &&
    (!r.namespaces || r.namespaces.includes(req.namespace ?? '')) &&
    (!r.nonResourceURLs || (req.url !== undefined && r.nonResourceURLs.some((u) => (u.endsWith('*') ? req.url!.startsWith(u.slice(0, -1)) : req.url === u)))) &&
    (!r.resources || (req.resource !== undefined && r.resources.some((g) => g.group === (req.group ?? '') && (!g.resources || g.resources.includes(req.resource!)))));
  return policy.rules.find(matches)?.level ?? 'None';
}

describe('detectionAuditPolicy', () => {
  const policy = detectionAuditPolicy();

  test('is an audit.k8s.io/v1 Policy that omits RequestReceived and managed fields', () => {
    expect(policy.apiVersion).toBe('audit.k8s.io/v1');
    expect(policy.kind).toBe('Policy');
    expect(policy.omitStages).toEqual(['RequestReceived']);
    expect(policy.omitManagedFields).toBe(true);
    expect(policy.rules[policy.rules.length - 1]).toEqual({ level: 'Metadata' });
  });

  test('exec, attach and port-forward are recorded with request and response', () => {
    for (const resource of ['pods/exec', 'pods/attach', 'pods/portforward']) {
      expect(levelFor(policy, { user: 'alice', verb: 'create', resource })).toBe('RequestResponse');
    }
  });

  test('secrets, configmaps and tokens are recorded at Metadata only, whatever the verb', () => {
    for (const resource of ['secrets', 'configmaps', 'serviceaccounts/token']) {
      for (const verb of ['get', 'list', 'create', 'update', 'delete']) {
        expect(levelFor(policy, { user: 'alice', verb, resource })).toBe('Metadata');
      }
    }
    expect(levelFor(policy, { user: 'alice', verb: 'create', group: 'authentication.k8s.io', resource: 'tokenreviews' })).toBe('Metadata');
  });

  test('RBAC and workload changes are recorded with request and response; reads stay at Metadata', () => {
    expect(levelFor(policy, { user: 'alice', verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' })).toBe('RequestResponse');
    expect(levelFor(policy, { user: 'alice', verb: 'patch', group: 'apps', resource: 'deployments' })).toBe('RequestResponse');
    expect(levelFor(policy, { user: 'alice', verb: 'delete', group: 'apps', resource: 'daemonsets' })).toBe('RequestResponse');
    expect(levelFor(policy, { user: 'alice', verb: 'get', group: 'apps', resource: 'deployments' })).toBe('Metadata');
  });

  test('noisy read-only system traffic is dropped, but not its writes', () => {
    expect(levelFor(policy, { user: 'system:kube-proxy', verb: 'watch', resource: 'endpoints' })).toBe('None');
    expect(levelFor(policy, { user: 'kubelet', groups: ['system:nodes'], verb: 'get', resource: 'nodes' })).toBe('None');
    expect(levelFor(policy, { user: 'alice', verb: 'get', url: '/healthz/ready' })).toBe('None');
    expect(levelFor(policy, { user: 'alice', verb: 'list', resource: 'events' })).toBe('None');
    expect(levelFor(policy, { user: 'system:kube-proxy', verb: 'create', resource: 'pods' })).toBe('RequestResponse');
  });

  test('extra rules come first, so they can drop an in-house controller before the presets', () => {
    const custom = detectionAuditPolicy({ extraRules: [{ level: 'None', users: ['system:serviceaccount:ops:reconciler'] }] });
    expect(custom.rules[0]).toEqual({ level: 'None', users: ['system:serviceaccount:ops:reconciler'] });
    expect(levelFor(custom, { user: 'system:serviceaccount:ops:reconciler', verb: 'patch', group: 'apps', resource: 'deployments' })).toBe('None');
  });
});

describe('validateAuditPolicy', () => {
  const base = detectionAuditPolicy();
  test('rejects an unknown level, naming the rule', () => {
    expect(() => detectionAuditPolicy({ extraRules: [{ level: 'Everything' as never }] }, 'stack/audit')).toThrow(/DS-AUDIT-001 at stack\/audit.rules\[0\].level: unknown audit level 'Everything'/);
  });
  test('rejects an unknown stage', () => {
    expect(() => validateAuditPolicy({ ...base, omitStages: ['RequestSent' as never] }, 'p')).toThrow(/DS-AUDIT-002 at p.omitStages/);
  });
  test('rejects a policy with no rules', () => {
    expect(() => validateAuditPolicy({ ...base, rules: [] }, 'p')).toThrow(/DS-AUDIT-003/);
  });
  test('rejects a rule mixing URLs and resources, and a URL with an inner wildcard', () => {
    expect(() => validateAuditPolicy({ ...base, rules: [{ level: 'None', nonResourceURLs: ['/x'], resources: [{ group: '' }] }] }, 'p')).toThrow(/DS-AUDIT-004/);
    expect(() => validateAuditPolicy({ ...base, rules: [{ level: 'None', nonResourceURLs: ['/a*/b'] }] }, 'p')).toThrow(/DS-AUDIT-005/);
  });
});

describe('audit policy file', () => {
  test('is written as YAML that reads back to the same Policy', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-policy-'));
    const file = writeAuditPolicyFile(path.join(dir, 'dist', 'example'), detectionAuditPolicy());
    expect(path.basename(file)).toBe('audit-policy.yaml');
    expect(parse(fs.readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(detectionAuditPolicy())));
    expect(auditPolicyYaml(detectionAuditPolicy())).toMatch(/^apiVersion: audit\.k8s\.io\/v1\nkind: Policy\nomitStages:\n {2}- RequestReceived\n/);
  });
});
