// The schema of DetectionStackProps: the door every stack definition goes through before any planner runs.
import { z } from 'zod';
import { AuditPropsSchema } from './audit';
import { DurableStoragePropsSchema } from './durable';
import { FalcoSensorPropsSchema } from './falco';
import { MonitoringPropsSchema } from './monitoring';
import { DetectionPackPropsSchema } from './packs';
import { RoutingPropsSchema } from './routing';
import { SensorOwnershipPropsSchema, TetragonSensorPropsSchema } from './tetragon';
import type { Suppression } from '../../checks/finding';
import { requireClusterName, requireDnsLabel, requireProvider, requireRegion } from '../../core/names';
import type { CloudProvider } from '../../core/providers';
import type { DetectionStackProps } from '../../stack/props';
import { props, withCheck } from '../build';
import { durableBucketNameProblem, PROVIDER_NAME_CODE, storageAccountNameProblem } from '../cloud';
import { quote, RuleIssueParams } from '../report';
import { assertSameType, SameType } from '../same-type';

// A string first (a type error otherwise), then the provider check with its own code (DS-PROPS-003).
const provider = withCheck(z.string(), (v) => requireProvider('', v)) as z.ZodType<string> as z.ZodType<CloudProvider>;

export const ClusterPropsSchema = props('ClusterProps', {
  name: withCheck(z.string(), (v) => requireClusterName('', v)),
  provider,
  region: withCheck(z.string(), (v) => requireRegion('', v)).optional(),
  ipFamily: z.enum(['IPv4', 'IPv6']).optional(),
});

export const SuppressionSchema = props('Suppression', { id: z.string(), path: z.string().optional(), reason: z.string() });

export const DetectionStackPropsSchema = props('DetectionStackProps', {
  cluster: ClusterPropsSchema,
  namespace: withCheck(z.string(), (v) => requireDnsLabel('', v, 'namespace')).optional(),
  routingNamespace: withCheck(z.string(), (v) => requireDnsLabel('', v, 'namespace')).optional(),
  createNamespace: z.boolean().optional(),
  sensors: props('SensorsProps', {
    falco: FalcoSensorPropsSchema.optional(),
    tetragon: TetragonSensorPropsSchema.optional(),
    ownership: SensorOwnershipPropsSchema.optional(),
  }).optional(),
  packs: DetectionPackPropsSchema.optional(),
  routing: RoutingPropsSchema.optional(),
  durable: DurableStoragePropsSchema.optional(),
  audit: AuditPropsSchema.optional(),
  monitoring: MonitoringPropsSchema.optional(),
  suppressions: z.array(SuppressionSchema).optional(),
}).superRefine((stack, ctx) => {
  // Names the provider's API takes verbatim: the durable bucket (a Blob container on AKS) and storage account.
  const bucket = stack.durable?.bucket;
  if (!bucket) return;
  const nameProblem = durableBucketNameProblem(stack.cluster.provider, bucket.name);
  if (nameProblem) {
    const what = stack.cluster.provider === 'aks' ? 'Blob container name' : 'bucket name';
    const params: RuleIssueParams = { code: 'DS-DURABLE-004', fix: `rename it: it ${nameProblem}` };
    ctx.addIssue({ code: 'custom', path: ['durable', 'bucket', 'name'], message: `${quote(bucket.name)} is not a valid ${what} on ${stack.cluster.provider}`, params });
  }
  const account = bucket.azure?.storageAccount;
  const accountProblem = account === undefined ? undefined : storageAccountNameProblem(account);
  if (account !== undefined && accountProblem) {
    const params: RuleIssueParams = { code: PROVIDER_NAME_CODE, fix: 'use the storage account name: 3-24 lowercase letters and digits' };
    ctx.addIssue({ code: 'custom', path: ['durable', 'bucket', 'azure', 'storageAccount'], message: `storage account name ${quote(account)} ${accountProblem}`, params });
  }
});

assertSameType<SameType<z.output<typeof ClusterPropsSchema>, DetectionStackProps['cluster']>>();
assertSameType<SameType<z.output<typeof SuppressionSchema>, Suppression>>();
assertSameType<SameType<z.output<typeof DetectionStackPropsSchema>, DetectionStackProps>>();
