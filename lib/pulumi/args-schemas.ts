// One schema per Pulumi component's args, checked at the component's door before anything is planned or
// registered: types, unknown keys (with a did-you-mean) and provider kinds, in the project's error form
// (code, component name + prop path, problem, fix). Built from the same blocks as the stack props schemas;
// the stack definition inside is checked by the stack's own schema when it is planned. Loads no Pulumi SDK.
import type * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import type { KubernetesObject } from './objects';
import { regionProblem } from './regions';
import type { DetectionStackProps } from '../stack/props';
import { plainObject, props, rule } from '../validation/build';


const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
/** `@pulumi/pulumi` marks its objects with true boolean members (utils.isInstance), across SDK copies. */
const marked = (v: unknown, member: string): boolean => isObject(v) && v[member] === true;
const isEventual = (v: unknown): boolean => marked(v, '__pulumiOutput') || (isObject(v) && typeof v.then === 'function');

/** `pulumi.Input<T>`: the value itself, a Promise or an Output of it (their content is checked by the provider). */
function input<T extends z.ZodType>(schema: T) {
  const eventual = z.custom<Promise<z.output<T>> | pulumi.OutputInstance<z.output<T>>>(isEventual, { error: 'must be a value, a Promise or a Pulumi Output' });
  return z.union([schema, eventual]);
}

/** A Pulumi resource of the given kind (`__pulumiResource`, `__pulumiCustomResource`, `__pulumiComponentResource`). */
function resource<T>(member: string, what: string) {
  return z.custom<T>((v) => marked(v, member), { error: `must be ${what}` });
}

/** An explicit provider of one package: another package's provider would place the resources through the wrong cloud. */
function provider(pkg: string, example: string) {
  const any = z.custom<pulumi.ProviderResource>((v) => marked(v, '__pulumiCustomResource') && typeof (v as { pkg?: unknown }).pkg === 'string',
    { error: `must be a Pulumi provider (${example})` });
  return rule(any, 'DS-PULUMI-038', (p) => (p as unknown as { pkg: string }).pkg === pkg,
    (p) => `this is a provider of '${(p as unknown as { pkg: string }).pkg}', not of '${pkg}'`, `pass ${example}`);
}

const stack = plainObject<DetectionStackProps>(
  'the stack definition the cdk8s chart takes (DetectionStackProps: { cluster: { name, provider, region }, sensors, routing, durable })');
const tags = z.record(z.string(), z.string());
const kubernetesProvider = provider('kubernetes', "new k8s.Provider('cluster', { kubeconfig })");

/** `StackSecret`: a Secret the stack references, filled from Pulumi. */
export const StackSecretSchema = props('StackSecret', {
  name: z.string(),
  data: z.record(z.string(), input(z.string())),
});
const secrets = z.array(StackSecretSchema);

export const DetectionStackObjectsArgsSchema = props('DetectionStackObjectsArgs', {
  stack,
  bindings: z.array(props('ObjectFieldBinding', { kind: z.string(), name: z.string(), path: z.array(z.string()), value: z.unknown() })).optional(),
  secrets: secrets.optional(),
  workloadsDependOn: z.array(resource<pulumi.Resource>('__pulumiResource', 'a Pulumi resource')).optional(),
  tetragonCrds: z.union([
    props('tetragonCrds (files)', { files: z.array(z.string()) }),
    props('tetragonCrds (objs)', { objs: z.array(plainObject<KubernetesObject>('a Kubernetes object (apiVersion, kind, metadata)')) }),
  ]).optional(),
});

const objectLockMode = z.enum(['COMPLIANCE', 'GOVERNANCE']);

export const AwsDurableBucketArgsSchema = props('AwsDurableBucketArgs', {
  bucketName: z.string(),
  kmsKeyArn: input(z.string()),
  account: input(props('AwsAccountFacts', { partition: z.string(), accountId: z.string(), region: z.string() })),
  trailName: z.string().optional(),
  objectLockMode: objectLockMode.optional(),
  retentionDays: z.number().optional(),
  coldAfterDays: z.number().optional(),
  accessLogRetentionDays: z.number().optional(),
  expireAfterDays: z.number().optional(),
  retainOnDestroy: z.boolean().optional(),
  tags: tags.optional(),
});

export const EksCloudAuditArgsSchema = props('EksCloudAuditArgs', {
  stack,
  bucketName: z.string().optional(),
  objectLockMode: objectLockMode.optional(),
  retentionDays: z.number().optional(),
  trailName: z.string().optional(),
  expireAfterDays: z.number().optional(),
  keyDeletionWindowDays: z.number().optional(),
  retainOnDestroy: z.boolean().optional(),
  trailCloudWatchLogs: props('TrailCloudWatchLogs', {
    retentionDays: z.number().optional(),
    cisMetricFilters: z.boolean().optional(),
    alarmTopicArn: input(z.string()).optional(),
  }).optional(),
  s3DataEvents: z.boolean().optional(),
  tags: tags.optional(),
});

export const EksDetectionStackArgsSchema = props('EksDetectionStackArgs', {
  // The component itself: its plan is what the stack deploys.
  cloudAudit: z.custom<pulumi.ComponentResource>((v) => marked(v, '__pulumiComponentResource') && isObject((v as { plan?: unknown }).plan),
    { error: "must be the EksCloudAudit component (new EksCloudAudit('audit', { stack }))" }),
  cluster: resource<pulumi.CustomResource>('__pulumiCustomResource', 'the EKS cluster resource (new aws.eks.Cluster(...) or aws.eks.Cluster.get(...))'),
  installPodIdentityAgent: z.boolean().optional(),
  secrets: secrets.optional(),
  kubernetesProvider: kubernetesProvider.optional(),
});

export const OkeDetectionStackArgsSchema = props('OkeDetectionStackArgs', {
  stack,
  tenancyId: input(z.string()),
  compartmentId: input(z.string()),
  bucketName: z.string().optional(),
  kmsKeyId: input(z.string()).optional(),
  vaultType: z.enum(['DEFAULT', 'VIRTUAL_PRIVATE']).optional(),
  keyRotationDays: z.number().optional(),
  retentionDays: z.number().optional(),
  expireAfterDays: z.number().optional(),
  lockRetention: z.boolean().optional(),
  homeRegion: rule(z.string(), 'DS-PULUMI-033', (r) => regionProblem('oke', r) === undefined, (r) => regionProblem('oke', r)!,
    "use the tenancy's home region (oci iam region-subscription list --query \"data[?\\\"is-home-region\\\"]\")").optional(),
  homeRegionProvider: provider('oci', "new oci.Provider('home', { region: '<home region>' })").optional(),
  includeSubcompartments: z.boolean().optional(),
  secrets: secrets.optional(),
  kubernetesProvider: kubernetesProvider.optional(),
});

export const AksDetectionStackArgsSchema = props('AksDetectionStackArgs', {
  stack,
  resourceGroupName: input(z.string()),
  cluster: props('AksDetectionStackArgs.cluster', { id: input(z.string()) }),
  storageAccountName: z.string().optional(),
  containerName: z.string().optional(),
  immutabilityDays: z.number().optional(),
  lockImmutability: z.boolean().optional(),
  expireAfterDays: z.number().optional(),
  allowSharedKeyAccess: z.boolean().optional(),
  retainOnDestroy: z.boolean().optional(),
  secrets: secrets.optional(),
  kubernetesProvider: kubernetesProvider.optional(),
  logsIngestion: props('AzureLogsIngestionArgs', {
    workspaceResourceGroupName: input(z.string()),
    workspaceName: input(z.string()),
    workspaceId: input(z.string()),
    servicePrincipalObjectId: input(z.string()),
    retentionDays: z.number().optional(),
  }).optional(),
});

export const DetectionStackHelmReleasesArgsSchema = props('DetectionStackHelmReleasesArgs', {
  stack,
  waitForReady: z.boolean().optional(),
});
