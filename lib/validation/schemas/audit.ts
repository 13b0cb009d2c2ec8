// Schemas of the audit layer props (AuditProps and the audit Policy rules they carry).
import { z } from 'zod';
import type { AuditLevel, AuditPolicyRule, AuditStage } from '../../audit/policy';
import { AUDIT_LEVELS, AUDIT_STAGES } from '../../audit/policy';
import type { AuditProps } from '../../audit/props';
import { props } from '../build';
import { assertSameType, SameType } from '../same-type';

const strings = z.array(z.string());

export const AuditPolicyRuleSchema = props('AuditPolicyRule', {
  level: z.enum(AUDIT_LEVELS as [AuditLevel, ...AuditLevel[]]),
  users: strings.optional(),
  userGroups: strings.optional(),
  verbs: strings.optional(),
  resources: z.array(props('AuditGroupResources', {
    group: z.string(),
    resources: strings.optional(),
    resourceNames: strings.optional(),
  })).optional(),
  namespaces: strings.optional(),
  nonResourceURLs: strings.optional(),
  omitStages: z.array(z.enum(AUDIT_STAGES as [AuditStage, ...AuditStage[]])).optional(),
});

export const AuditPropsSchema = props('AuditProps', {
  cloud: props('CloudAuditProps', {
    enabled: z.boolean().optional(),
    retentionDays: z.number().optional(),
    athenaTable: z.string().optional(),
    ociCompartmentId: z.string().optional(),
  }).optional(),
  kubernetes: props('KubernetesAuditProps', {
    controlPlaneLogs: z.boolean().optional(),
    retentionDays: z.number().optional(),
    eksLogTypes: z.array(z.enum(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'])).optional(),
    aksCategory: z.enum(['kube-audit', 'kube-audit-admin']).optional(),
    falcoPlugin: props('K8sAuditPluginProps', {
      pollingIntervalSeconds: z.number().optional(),
      rateLimitEventsPerSecond: z.number().optional(),
    }).optional(),
    policyRules: z.array(AuditPolicyRuleSchema).optional(),
  }).optional(),
});

assertSameType<SameType<z.output<typeof AuditPolicyRuleSchema>, AuditPolicyRule>>();
assertSameType<SameType<z.output<typeof AuditPropsSchema>, AuditProps>>();
