// The AKS cloud side on @pulumi/azure-native. Submodules only: the whole SDK is large to load and type-check.
import * as authorization from '@pulumi/azure-native/authorization';
import * as eventhub from '@pulumi/azure-native/eventhub';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import * as monitor from '@pulumi/azure-native/monitor';
import * as storage from '@pulumi/azure-native/storage';
import * as pulumi from '@pulumi/pulumi';
import {
  ACTIVITY_LOG_CATEGORIES, containerNameProblem, roleDefinitionId, serviceAccountSubject, STORAGE_BLOB_DATA_CONTRIBUTOR,
  storageAccountNameProblem, WORKLOAD_IDENTITY_AUDIENCE, WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION,
} from './azure-names';
import { DetectionStackObjects, StackSecret } from './kubernetes';
import { durableTarget, planForProvider, resolveBucketName } from './stack-plan';
import { DetectionStackError } from '../core/errors';
import type { StackPlan } from '../stack/plan';
import type { DetectionStackProps } from '../stack/props';

/** The pure planning behind these components (names, policy documents), for review and tests. */
export * from './azure-names';

export interface AksDetectionStackArgs {
  /** The stack definition, the same one the cdk8s path takes (`cluster.provider: 'aks'`, `cluster.region` set). */
  readonly stack: DetectionStackProps;
  readonly resourceGroupName: pulumi.Input<string>;
  /** The AKS cluster: its resource id (diagnostic setting) and OIDC issuer URL (workload identity). */
  readonly cluster: { readonly id: pulumi.Input<string>; readonly oidcIssuerUrl: pulumi.Input<string> };
  /** Storage account name (globally unique). @default the stack's `durable.bucket.azure.storageAccount` */
  readonly storageAccountName?: string;
  /** Blob container for alerts. @default the stack's `durable.bucket.name` */
  readonly containerName?: string;
  /** Days blobs in the alerts container cannot be changed or deleted (time-based immutability). @default 365 */
  readonly immutabilityDays?: number;
  /**
   * Allow shared-key (account key, SAS) access. Off by default so only Entra ID identities reach the
   * data; a named loosening for tools that need connection strings.
   * @default false
   */
  readonly allowSharedKeyAccess?: boolean;
  /** Secrets the stack references (routing credentials), as Pulumi secrets. @default none */
  readonly secrets?: readonly StackSecret[];
  /** Kubernetes provider for the cluster. @default the default provider */
  readonly kubernetesProvider?: pulumi.ProviderResource;
}

/**
 * Storage account (HTTPS only, TLS 1.2, no public blob access, infrastructure encryption) with an
 * immutable alerts container; the subscription Activity Log and the AKS audit categories sent to it;
 * workload identity for the shipper scoped to the container; and the chart's objects.
 */
export class AksDetectionStack extends pulumi.ComponentResource {
  public readonly plan: StackPlan;
  public readonly account: storage.StorageAccount;
  public readonly container: storage.BlobContainer;
  public readonly identity: managedidentity.UserAssignedIdentity;
  public readonly objects: DetectionStackObjects;

  constructor(name: string, args: AksDetectionStackArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('detection-stack:aks:DetectionStack', name, {}, opts);
    this.plan = planForProvider(args.stack, 'aks', name);
    const target = resolveBucketName(this.plan, args.containerName, `${name}/containerName`);
    const containerName = target.bucket;
    const accountName = this.resolveAccount(name, args.storageAccountName, durableTarget(this.plan)?.storageAccount);
    const containerProblem = containerNameProblem(containerName);
    if (containerProblem) {
      throw new DetectionStackError('DS-PULUMI-013', `${name}/containerName`, `'${containerName}' ${containerProblem}`, 'choose a valid container name');
    }
    const audit = this.plan.audit!;
    const cluster = this.plan.cluster.name;
    const namespace = this.plan.namespace;
    const child = { parent: this };
    const client = authorization.getClientConfigOutput(child);

    this.account = new storage.StorageAccount(`${name}-durable`, {
      accountName: accountName,
      resourceGroupName: args.resourceGroupName,
      location: this.plan.cluster.region,
      kind: 'StorageV2',
      sku: { name: 'Standard_ZRS' },
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: args.allowSharedKeyAccess ?? false,
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      encryption: {
        keySource: 'Microsoft.Storage',
        requireInfrastructureEncryption: true,
        services: { blob: { enabled: true, keyType: 'Account' }, file: { enabled: true, keyType: 'Account' } },
      },
    }, child);

    this.container = new storage.BlobContainer(`${name}-alerts`, {
      accountName: this.account.name,
      resourceGroupName: args.resourceGroupName,
      containerName,
      publicAccess: 'None',
    }, child);
    new storage.BlobContainerImmutabilityPolicy(`${name}-alerts`, {
      accountName: this.account.name,
      resourceGroupName: args.resourceGroupName,
      containerName: this.container.name,
      immutabilityPeriodSinceCreationInDays: args.immutabilityDays ?? 365,
      allowProtectedAppendWrites: false,
    }, child);

    if (audit.cloud.enabled) {
      new monitor.SubscriptionDiagnosticSetting(`${name}-activity-log`, {
        name: `${cluster}-activity-log`,
        storageAccountId: this.account.id,
        logs: ACTIVITY_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
      }, child);
    }
    const plugin = audit.kubernetes.falcoPlugin;
    const stream = plugin ? this.k8sauditStream(name, args, accountName) : undefined;
    if (audit.kubernetes.aksCategories.length > 0) {
      new monitor.DiagnosticSetting(`${name}-kube-audit`, {
        name: `${cluster}-kube-audit`,
        resourceUri: args.cluster.id,
        storageAccountId: this.account.id,
        // With the k8saudit-aks plugin the same categories also stream to its Event Hub.
        ...(stream ? { eventHubName: stream.eventHubName, eventHubAuthorizationRuleId: stream.sendRuleId } : {}),
        logs: audit.kubernetes.aksCategories.map((category) => ({ category, enabled: true })),
      }, child);
    }

    this.identity = new managedidentity.UserAssignedIdentity(`${name}-shipper`, {
      resourceName: `${cluster}-alert-shipper`,
      resourceGroupName: args.resourceGroupName,
      location: this.plan.cluster.region,
    }, child);
    new managedidentity.FederatedIdentityCredential(`${name}-shipper`, {
      resourceName: this.identity.name,
      resourceGroupName: args.resourceGroupName,
      federatedIdentityCredentialResourceName: `${cluster}-alert-shipper`,
      issuer: args.cluster.oidcIssuerUrl,
      subject: serviceAccountSubject(namespace, target.serviceAccount),
      audiences: [WORKLOAD_IDENTITY_AUDIENCE],
    }, child);
    new authorization.RoleAssignment(`${name}-shipper`, {
      principalId: this.identity.principalId,
      principalType: 'ServicePrincipal',
      roleDefinitionId: client.subscriptionId.apply((s) => roleDefinitionId(s, STORAGE_BLOB_DATA_CONTRIBUTOR)),
      scope: this.container.id,
      description: `detection-stack ${cluster}: alert shipper writes to ${accountName}/${containerName}`,
    }, child);

    // The shipper's ServiceAccount is in the chart only when the stack ships alerts.
    const shipperInChart = durableTarget(this.plan) !== undefined;
    this.objects = new DetectionStackObjects(`${name}-k8s`, {
      stack: args.stack,
      secrets: [...(args.secrets ?? []), ...(stream ? [stream.secret] : [])],
      bindings: shipperInChart ? [{
        kind: 'ServiceAccount',
        name: target.serviceAccount,
        path: ['metadata', 'annotations', WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION],
        value: this.identity.clientId,
      }] : [],
    }, { parent: this, providers: args.kubernetesProvider ? { kubernetes: args.kubernetesProvider } : undefined });

    this.registerOutputs({
      storageAccountName: this.account.name,
      containerName: this.container.name,
      shipperClientId: this.identity.clientId,
    });
  }

  private resolveAccount(name: string, explicit: string | undefined, fromStack: string | undefined): string {
    if (explicit !== undefined && fromStack !== undefined && explicit !== fromStack) {
      throw new DetectionStackError('DS-PULUMI-006', `${name}/storageAccountName`,
        `storageAccountName '${explicit}' differs from the stack's durable.bucket.azure.storageAccount '${fromStack}'`,
        'drop storageAccountName: the stack definition names the account');
    }
    const account = fromStack ?? explicit;
    const problem = account === undefined ? 'is missing' : storageAccountNameProblem(account);
    if (account === undefined || problem) {
      throw new DetectionStackError('DS-PULUMI-012', `${name}/storageAccountName`, `storage account name '${account ?? ''}' ${problem}`,
        'set durable.bucket.azure.storageAccount in the stack (or storageAccountName): 3-24 lowercase letters and digits');
    }
    return account;
  }

  /**
   * What k8saudit-aks reads from: an Event Hub the kube-audit diagnostic setting streams to, a
   * Listen-only connection string, and a separate checkpoint account (the plugin needs a connection
   * string for it, so shared keys are on there; the evidence account keeps them off).
   */
  private k8sauditStream(name: string, args: AksDetectionStackArgs, accountName: string) {
    const plugin = this.plan.audit!.kubernetes.falcoPlugin!;
    const cluster = this.plan.cluster.name;
    const child = { parent: this };
    const rg = args.resourceGroupName;
    const ns = new eventhub.Namespace(`${name}-kube-audit`, {
      resourceGroupName: rg,
      location: this.plan.cluster.region,
      namespaceName: `${cluster}-kube-audit`,
      sku: { name: 'Standard', tier: 'Standard', capacity: 1 },
      minimumTlsVersion: '1.2',
    }, child);
    const hubName = String(plugin.initConfig.event_hub_name);
    const hub = new eventhub.EventHub(`${name}-kube-audit`, {
      resourceGroupName: rg, namespaceName: ns.name, eventHubName: hubName, partitionCount: 2, messageRetentionInDays: 1,
    }, child);
    // Diagnostic settings need Manage, Send and Listen on the namespace rule they stream through.
    const send = new eventhub.NamespaceAuthorizationRule(`${name}-kube-audit-diagnostics`, {
      resourceGroupName: rg, namespaceName: ns.name, authorizationRuleName: 'diagnostics', rights: ['Manage', 'Send', 'Listen'],
    }, child);
    const listen = new eventhub.NamespaceAuthorizationRule(`${name}-kube-audit-falco`, {
      resourceGroupName: rg, namespaceName: ns.name, authorizationRuleName: 'falco-k8saudit', rights: ['Listen'],
    }, child);
    const listenKeys = eventhub.listNamespaceKeysOutput({ resourceGroupName: rg, namespaceName: ns.name, authorizationRuleName: listen.name }, child);

    const checkpointName = `${accountName.slice(0, 20)}ckpt`;
    const checkpoints = new storage.StorageAccount(`${name}-k8saudit-checkpoints`, {
      accountName: checkpointName,
      resourceGroupName: rg,
      location: this.plan.cluster.region,
      kind: 'StorageV2',
      sku: { name: 'Standard_LRS' },
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: true,
      encryption: { keySource: 'Microsoft.Storage', requireInfrastructureEncryption: true, services: { blob: { enabled: true, keyType: 'Account' } } },
    }, child);
    new storage.BlobContainer(`${name}-k8saudit-checkpoints`, {
      accountName: checkpoints.name, resourceGroupName: rg, containerName: String(plugin.initConfig.blob_storage_container_name), publicAccess: 'None',
    }, child);
    const keys = storage.listStorageAccountKeysOutput({ resourceGroupName: rg, accountName: checkpoints.name }, child);
    const checkpointConnection = pulumi.interpolate`DefaultEndpointsProtocol=https;AccountName=${checkpoints.name};AccountKey=${keys.keys[0].value};EndpointSuffix=core.windows.net`;

    const secretName = plugin.secretEnv[0].secretName;
    const data: Record<string, pulumi.Input<string>> = {};
    for (const e of plugin.secretEnv) {
      data[e.key] = e.env === 'K8SAUDIT_EVENTHUB_CONNECTION_STRING' ? listenKeys.primaryConnectionString : checkpointConnection;
    }
    return { eventHubName: hub.name, sendRuleId: send.id, secret: { name: secretName, data } as StackSecret };
  }
}
