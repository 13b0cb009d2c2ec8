import { defineCodes } from './entry';

/** Cloud and Kubernetes audit: the audit.k8s.io Policy, the k8saudit plugin (lib/audit). */
export const AUDIT_CODES = defineCodes({
  'DS-AUDIT-001': { level: 'error', meaning: 'an audit policy rule has an unknown level', fix: 'use one of None, Metadata, Request, RequestResponse' },
  'DS-AUDIT-002': { level: 'error', meaning: 'an audit policy names an unknown stage', fix: 'use RequestReceived, ResponseStarted, ResponseComplete or Panic' },
  'DS-AUDIT-003': { level: 'error', meaning: 'the audit policy has no rules, so nothing is audited', fix: 'keep at least the preset rules' },
  'DS-AUDIT-004': { level: 'error', meaning: 'an audit policy rule matches both nonResourceURLs and resources or namespaces', fix: 'split it into one rule for URLs and one for resources' },
  'DS-AUDIT-005': { level: 'error', meaning: 'a nonResourceURLs entry is not a path with at most a trailing \'*\'', fix: 'write it as \'/healthz\' or \'/healthz*\'' },
  'DS-AUDIT-006': { level: 'error', meaning: 'an audit log retention the provider cannot keep', fix: 'use a retention the message lists for the provider' },
  'DS-AUDIT-009': { level: 'error', meaning: 'the Falco k8saudit plugin is asked for on a provider that has none', fix: 'remove audit.kubernetes.falcoPlugin; API-server events are in the cloud audit trail on this provider' },
  'DS-AUDIT-010': { level: 'error', meaning: 'the k8saudit-eks plugin needs the cluster region', fix: 'set cluster.region (e.g. \'eu-west-1\')' },
  'DS-AUDIT-011': { level: 'error', meaning: 'a k8saudit plugin setting is not a positive whole number', fix: 'give a whole number above 0' },
  'DS-AUDIT-012': { level: 'error', meaning: 'an audit setting for another provider', fix: 'remove it, or move it to a stack of that provider' },
  'DS-AUDIT-013': { level: 'error', meaning: 'an audit setting of the wrong kind of value', fix: 'give the kind of value the message names' },
  'DS-AUDIT-101': { level: 'info', meaning: 'the managed control plane accepts no custom Kubernetes audit policy', fix: 'nothing to do on a managed cluster; for a self-managed control plane pass the emitted audit-policy.yaml to kube-apiserver --audit-policy-file' },
  'DS-AUDIT-102': { level: 'warning', meaning: 'the Kubernetes control-plane audit logs are turned off', fix: 'remove audit.kubernetes.controlPlaneLogs: false (or suppress DS-AUDIT-102 with the reason)' },
});
