// The AKS cloud side on @pulumi/azure-native. Submodules only: the whole SDK is large to load and type-check.
import * as eventhub from '@pulumi/azure-native/eventhub';
import * as monitor from '@pulumi/azure-native/monitor';
import * as storage from '@pulumi/azure-native/storage';
import * as command from '@pulumi/command';
import * as pulumi from '@pulumi/pulumi';
import { analyticsDestination } from './analytics-policies';
import { AksDetectionStackArgsSchema } from './args-schemas';
import { AzureLogsIngestion, AzureLogsIngestionArgs, logsIngestionBindings } from './azure-logs-ingestion';
import {
  ACTIVITY_LOG_CATEGORIES, ACTIVITY_LOG_CONTAINER, containerNameProblem, evidenceLifecycleRules, immutabilityLockCommand, resourceLogContainer,
  SHARED_KEY_LOOSENING, storageAccountNameProblem,
} from './azure-names';
import { DetectionStackObjects, StackSecret } from './kubernetes';
import type { ObjectFieldBinding } from './objects';
import { checkExpireAfterDays, durableTarget, planForProvider, resolveBucketName } from './stack-plan';
import { DetectionStackError } from '../core/errors';
import type { StackPlan } from '../stack/plan';
import type { DetectionStackProps } from '../stack/props';
import { validateProps } from '../validation/report';

/** The pure planning behind these components (names, policy documents), for review and tests. */
export * from './azure-names';

export interface AksDetectionStackArgs {
  /** The stack definition, the same one the cdk8s path takes (`cluster.provider: 'aks'`, `cluster.region` set). */
  readonly stack: DetectionStackProps;
  readonly resourceGroupName: pulumi.Input<string>;
  /** The AKS cluster: its resource id (diagnostic settings). */
  readonly cluster: { readonly id: pulumi.Input<string> };
  /** Storage account name (globally unique). @default the stack's `durable.bucket.azure.storageAccount` */
  readonly storageAccountName?: string;
  /** Blob container for alerts. @default the stack's `durable.bucket.name` */
  readonly containerName?: string;
  /**
   * Days blobs cannot be changed or deleted (time-based immutability), in the alerts container and in
   * the containers Azure Monitor writes the Activity Log and kube-audit to. @default 365
   */
  readonly immutabilityDays?: number;
  /**
   * Lock the immutability policies (a locked policy can only be extended, never shortened or removed,
   * and its container goes only when empty). Azure creates policies unlocked and azure-native has no
   * lock operation, so the component runs `az storage container immutability-policy lock` once per
   * container (the Azure CLI, logged in, is needed where `pulumi up` runs). `false` is a named loosening.
   * @default true
   */
  readonly lockImmutability?: boolean;
  /** Days after which the audit and alert blobs are deleted by lifecycle management (never before immutability ends). @default never */
  readonly expireAfterDays?: number;
  /**
   * Allow shared-key access (account key, service SAS) on the storage account. Fluent Bit 5.1.1's
   * azure_blob output authenticates only with a shared key or a SAS (`auth_type key|sas`): a stack
   * that ships alerts needs this set to `true`, a named loosening the component reports
   * (`loosenings`, and a warning on every `pulumi up`). Without a shipper it stays off, so only Entra
   * ID identities reach the data.
   * @default false
   */
  readonly allowSharedKeyAccess?: boolean;
  /**
   * Keep the storage account, its evidence containers and their immutability policies when the stack is
   * destroyed (`retainOnDelete`): Azure refuses to delete a locked policy, and a container under one until its
   * blobs expire, so `pulumi destroy` would fail on them. `false` is a named loosening. @default true
   */
  readonly retainOnDestroy?: boolean;
  /** Secrets the stack references (routing credentials), as Pulumi secrets. @default none */
  readonly secrets?: readonly StackSecret[];
  /** Kubernetes provider for the cluster. @default the default provider */
  readonly kubernetesProvider?: pulumi.ProviderResource;
  /**
   * Where the shipper's Logs Ingestion output sends alerts when the stack says
   * `durable.analytics.azureLogsIngestion.dataCollection: 'pulumi'`: the component creates the table, a Data
   * Collection Endpoint and Rule, grants the app `Monitoring Metrics Publisher` on the rule, and sets the endpoint
   * and rule into the shipper. Required then, refused otherwise.
   * @default none
   */
  readonly logsIngestion?: AzureLogsIngestionArgs;
}

/**
 * Storage account (HTTPS only, TLS 1.2, no public blob access, infrastructure encryption) with an
 * immutable alerts container; the subscription Activity Log and the AKS audit categories sent to it,
 * into immutable, lifecycle-managed containers; and the chart's objects.
 */
export class AksDetectionStack extends pulumi.ComponentResource {
  public readonly plan: StackPlan;
  public readonly account: storage.StorageAccount;
  public readonly container: storage.BlobContainer;
  /** The containers Azure Monitor writes to (created first, so they are immutable from the first blob). */
  public readonly auditContainers: storage.BlobContainer[];
  public readonly objects: DetectionStackObjects;
  /** The named loosenings this stack runs with (reported on every `pulumi up`). */
  public readonly loosenings: readonly string[];
  /** The table, endpoint and rule of the shipper's Logs Ingestion output (with `logsIngestion`). */
  public readonly logsIngestion?: AzureLogsIngestion;

  constructor(name: string, args: AksDetectionStackArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('detection-stack:aks:DetectionStack', name, {}, opts);
    validateProps(AksDetectionStackArgsSchema, args, name);
    this.plan = planForProvider(args.stack, 'aks', name);
    const target = resolveBucketName(this.plan, args.containerName, `${name}/containerName`);
    // Who creates the Logs Ingestion endpoint and rule: checked before anything is created.
    const logs = analyticsDestination(this.plan, 'azure-logs-ingestion');
    if (logs?.dataCollection === 'pulumi' && !args.logsIngestion) {
      throw new DetectionStackError('DS-PULUMI-045', `${name}/logsIngestion`,
        'the stack\'s durable.analytics.azureLogsIngestion has dataCollection \'pulumi\' but this component is given no workspace for it',
        'set logsIngestion { workspaceResourceGroupName, workspaceName, workspaceId, servicePrincipalObjectId }');
    }
    if (logs?.dataCollection !== 'pulumi' && args.logsIngestion) {
      throw new DetectionStackError('DS-PULUMI-046', `${name}/logsIngestion`,
        'logsIngestion is given, but the stack does not ask for a Data Collection Rule from Pulumi',
        'set durable.analytics.azureLogsIngestion.dataCollection to \'pulumi\' in the stack, or drop logsIngestion');
    }
    const containerName = target.bucket;
    const accountName = this.resolveAccount(name, args.storageAccountName, durableTarget(this.plan)?.storageAccount);
    const containerProblem = containerNameProblem(containerName);
    if (containerProblem) {
      throw new DetectionStackError('DS-PULUMI-013', `${name}/containerName`, `'${containerName}' ${containerProblem}`, 'set containerName to 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit, e.g. \'detection-alerts\'');
    }
    const audit = this.plan.audit!;
    const cluster = this.plan.cluster.name;
    const child = { parent: this };
    const shipping = durableTarget(this.plan) !== undefined;
    if (shipping && args.allowSharedKeyAccess !== true) {
      throw new DetectionStackError('DS-PULUMI-037', `${name}/allowSharedKeyAccess`,
        "the stack ships alerts with Fluent Bit's azure_blob output, which authenticates only with a shared key or a SAS (auth_type key|sas), " +
        'and a storage account without shared-key access refuses both',
        'set allowSharedKeyAccess: true (a named loosening, reported), or ship no alerts to Blob Storage');
    }
    this.loosenings = args.allowSharedKeyAccess === true ? [SHARED_KEY_LOOSENING] : [];
    for (const loosening of this.loosenings) void pulumi.log.warn(`${name}: ${loosening}`, this);
    const immutabilityDays = args.immutabilityDays ?? 365;
    checkExpireAfterDays(name, args.expireAfterDays, immutabilityDays, 'immutability period');

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
    }, { parent: this, retainOnDelete: args.retainOnDestroy ?? true });
    // Azure Storage REST "Blob Containers - Delete Immutability Policy": deleting a locked policy is not allowed; the
    // only way is to delete the container after deleting its expired blobs. Both are kept with the account.
    const kept = { parent: this, retainOnDelete: args.retainOnDestroy ?? true };

    // Azure Monitor appends to hourly append blobs: its containers need protected append writes.
    const lock = args.lockImmutability ?? true;
    const immutable = (id: string, container: string, appends: boolean): storage.BlobContainer => {
      const created = new storage.BlobContainer(id, {
        accountName: this.account.name, resourceGroupName: args.resourceGroupName, containerName: container, publicAccess: 'None',
      }, kept);
      const policy = new storage.BlobContainerImmutabilityPolicy(id, {
        accountName: this.account.name,
        resourceGroupName: args.resourceGroupName,
        containerName: created.name,
        immutabilityPeriodSinceCreationInDays: immutabilityDays,
        allowProtectedAppendWrites: appends,
      }, kept);
      if (lock) {
        new command.local.Command(`${id}-lock`, {
          create: pulumi.all([args.resourceGroupName, this.account.name, created.name, policy.etag])
            .apply(([rg, account, c, etag]) => immutabilityLockCommand(rg, account, c, etag)),
        }, { parent: this, dependsOn: [policy] });
      }
      return created;
    };
    this.container = immutable(`${name}-alerts`, containerName, false);

    const plugin = audit.kubernetes.falcoPlugin;
    const stream = plugin ? this.k8sauditStream(name, args, accountName) : undefined;
    this.auditContainers = [];
    if (audit.cloud.enabled) {
      const activity = immutable(`${name}-activity-log`, ACTIVITY_LOG_CONTAINER, true);
      this.auditContainers.push(activity);
      new monitor.SubscriptionDiagnosticSetting(`${name}-activity-log`, {
        name: `${cluster}-activity-log`,
        storageAccountId: this.account.id,
        logs: ACTIVITY_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
      }, { parent: this, dependsOn: [activity] });
    }
    if (audit.kubernetes.aksCategories.length > 0) {
      const containers = audit.kubernetes.aksCategories.map((category) => immutable(`${name}-${category}`, resourceLogContainer(category), true));
      this.auditContainers.push(...containers);
      new monitor.DiagnosticSetting(`${name}-kube-audit`, {
        name: `${cluster}-kube-audit`,
        resourceUri: args.cluster.id,
        storageAccountId: this.account.id,
        // With the k8saudit-aks plugin the same categories also stream to its Event Hub.
        ...(stream ? { eventHubName: stream.eventHubName, eventHubAuthorizationRuleId: stream.sendRuleId } : {}),
        logs: audit.kubernetes.aksCategories.map((category) => ({ category, enabled: true })),
      }, { parent: this, dependsOn: containers });
    }

    // Lifecycle management: colder tiers over time, deletion only when asked and never inside the immutability period.
    new storage.ManagementPolicy(`${name}-lifecycle`, {
      accountName: this.account.name,
      resourceGroupName: args.resourceGroupName,
      managementPolicyName: 'default',
      policy: {
        rules: evidenceLifecycleRules(containerName, [...(audit.cloud.enabled ? [ACTIVITY_LOG_CONTAINER] : []),
          ...audit.kubernetes.aksCategories.map(resourceLogContainer)], args.expireAfterDays),
      },
    }, { parent: this, dependsOn: [this.container, ...this.auditContainers] });

    const bindings: ObjectFieldBinding[] = [];
    if (logs?.dataCollection === 'pulumi' && args.logsIngestion) {
      this.logsIngestion = new AzureLogsIngestion(`${name}-logs`, {
        ...args.logsIngestion, destination: logs, resourceGroupName: args.resourceGroupName, location: this.plan.cluster.region!,
      }, child);
      bindings.push(...logsIngestionBindings(this.plan, this.logsIngestion.endpointUrl, this.logsIngestion.ruleImmutableId));
    }

    this.objects = new DetectionStackObjects(`${name}-k8s`, {
      stack: args.stack,
      secrets: [...(args.secrets ?? []), ...(stream ? [stream.secret] : [])],
      bindings,
    }, { parent: this, providers: args.kubernetesProvider ? { kubernetes: args.kubernetesProvider } : undefined });

    this.registerOutputs({
      storageAccountName: this.account.name,
      containerName: this.container.name,
      loosenings: this.loosenings,
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
