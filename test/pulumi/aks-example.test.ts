import * as fs from 'fs';
import * as path from 'path';
import { cloudSnapshot, dependenciesOf, EXAMPLES, ofType, resource, retained, retiringParagraph } from './plan-helpers';
import { OfflinePlan, planProgram } from '../../lib/pulumi/offline-plan';

// GIVEN the aks-pulumi example WHEN it runs under Pulumi's mocks THEN the security properties hold exactly.
let plan: OfflinePlan;
beforeAll(async () => {
  plan = await planProgram(path.join(EXAMPLES, 'aks-pulumi'));
}, 60_000);

const NAME = 'prod-aks-detection';
const doc = (file: string) => fs.readFileSync(path.join(__dirname, '..', '..', 'node_modules', '@pulumi', file), 'utf8');
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

test('the storage account is HTTPS only, TLS 1.2, without public blob access, with infrastructure encryption, retained on destroy', () => {
  const account = resource(plan, 'azure-native:storage:StorageAccount', `${NAME}-durable`);
  expect(account.inputs).toMatchObject({
    accountName: 'prodaksdetection',
    enableHttpsTrafficOnly: true,
    minimumTlsVersion: 'TLS1_2',
    allowBlobPublicAccess: false,
    encryption: { keySource: 'Microsoft.Storage', requireInfrastructureEncryption: true },
  });
  expect(account.retainOnDelete).toBe(true);
});

test('shared-key access is on only as the named loosening the shipper needs; no identity is created for nothing', () => {
  // Fluent Bit 5.1.1 `fluent-bit -o azure_blob -h`: "auth_type  Set the auth type: key or sas" (plugins/out_azure_blob);
  // Azure Storage refuses both shared-key and service SAS requests when allowSharedKeyAccess is false.
  expect(resource(plan, 'azure-native:storage:StorageAccount', `${NAME}-durable`).inputs.allowSharedKeyAccess).toBe(true);
  expect(ofType(plan, 'azure-native:managedidentity:UserAssignedIdentity')).toEqual([]);
  expect(ofType(plan, 'azure-native:managedidentity:FederatedIdentityCredential')).toEqual([]);
});

test('pulumi destroy leaves the evidence: the account, its immutable containers and their policies are retained, and nothing else is', () => {
  // Azure Storage REST "Blob Containers - Delete Immutability Policy": "Deleting a locked immutability policy is not
  // allowed, the only way is to delete the container after deleting all expired blobs inside the policy locked container".
  const containers = ['activity-log', 'alerts', 'guard', 'kube-audit'];
  expect(retained(plan)).toEqual([
    ...containers.map((c) => `azure-native:storage:BlobContainer ${NAME}-${c}`),
    ...containers.map((c) => `azure-native:storage:BlobContainerImmutabilityPolicy ${NAME}-${c}`),
    `azure-native:storage:StorageAccount ${NAME}-durable`,
  ]);
  // The README says how to retire them, in that order.
  expect(fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8'))
    .toContain('| storage account, its containers and their immutability policies (Azure refuses to delete a locked policy) |');
  expect(retiringParagraph()).toContain('AKS, blobs can be deleted once past the immutability period, then the containers (which take their locked policies with them) and the account.');
});

test('alerts, Activity Log and kube-audit containers are immutable for 365 days, Azure Monitor\'s with protected append writes', () => {
  // Azure Storage, "Configure immutability policies for containers": append blobs (what Azure Monitor writes) need
  // allowProtectedAppendWrites under a time-based retention policy.
  const policies = ofType(plan, 'azure-native:storage:BlobContainerImmutabilityPolicy');
  const facts = policies.map((p) => [
    p.name, p.inputs.containerName, p.inputs.immutabilityPeriodSinceCreationInDays, p.inputs.allowProtectedAppendWrites,
  ]);
  expect(facts).toEqual([
    [`${NAME}-activity-log`, 'insights-activity-logs', 365, true],
    [`${NAME}-alerts`, 'alerts', 365, false],
    [`${NAME}-guard`, 'insights-logs-guard', 365, true],
    [`${NAME}-kube-audit`, 'insights-logs-kube-audit', 365, true],
  ]);
});

test('every immutability policy is locked once it exists (Azure creates policies unlocked)', () => {
  // Azure Storage REST "Blob Containers - Lock Immutability Policy" (If-Match: the policy's etag); azure-cli
  // `az storage container immutability-policy lock`. A locked policy can only be extended.
  for (const container of ['activity-log', 'alerts', 'guard', 'kube-audit']) {
    expect(dependenciesOf(plan, 'command:local:Command', `${NAME}-${container}-lock`)).toEqual([
      `azure-native:storage:BlobContainer ${NAME}-${container}`,
      `azure-native:storage:BlobContainerImmutabilityPolicy ${NAME}-${container}`,
      `azure-native:storage:StorageAccount ${NAME}-durable`,
    ]);
    expect(resource(plan, 'command:local:Command', `${NAME}-${container}-lock`).inputs.create).toMatch(
      /^az storage container immutability-policy lock --resource-group 'prod-aks-rg' --account-name 'prodaksdetection' --container-name '[a-z-]+' --if-match '"0x8D\d+MOCK"'$/);
  }
});

test('the diagnostic settings start after their immutable containers exist, so no blob lands before the policy', () => {
  expect(dependenciesOf(plan, 'azure-native:monitor:SubscriptionDiagnosticSetting', `${NAME}-activity-log`)).toEqual([
    `azure-native:storage:BlobContainer ${NAME}-activity-log`, `azure-native:storage:StorageAccount ${NAME}-durable`,
  ]);
  expect(dependenciesOf(plan, 'azure-native:monitor:DiagnosticSetting', `${NAME}-kube-audit`)).toEqual([
    `azure-native:eventhub:EventHub ${NAME}-kube-audit`,
    `azure-native:eventhub:NamespaceAuthorizationRule ${NAME}-kube-audit-diagnostics`,
    `azure-native:storage:BlobContainer ${NAME}-guard`,
    `azure-native:storage:BlobContainer ${NAME}-kube-audit`,
    `azure-native:storage:StorageAccount ${NAME}-durable`,
  ]);
  expect(dependenciesOf(plan, 'azure-native:storage:ManagementPolicy', `${NAME}-lifecycle`)).toEqual([
    ...['activity-log', 'alerts', 'guard', 'kube-audit'].map((c) => `azure-native:storage:BlobContainer ${NAME}-${c}`),
    `azure-native:storage:StorageAccount ${NAME}-durable`,
  ]);
});

test('lifecycle management tiers the block blobs to cool after 30 days and deletes nothing unless asked', () => {
  // azure-native 3.x ManagementPolicyFilter.blobTypes: "Currently blockBlob supports all tiering and delete actions. Only
  // delete actions are supported for appendBlob." Azure Monitor's containers hold append blobs: no tiering rule names them.
  expect(doc('azure-native/types/input.d.ts')).toContain('Currently blockBlob supports all tiering and delete actions. Only delete actions are supported for appendBlob.');
  expect(resource(plan, 'azure-native:storage:ManagementPolicy', `${NAME}-lifecycle`).inputs.policy).toEqual({
    rules: [{
      name: 'evidence',
      enabled: true,
      type: 'Lifecycle',
      definition: {
        filters: { blobTypes: ['blockBlob'], prefixMatch: ['alerts/', 'insights-activity-logs/', 'insights-logs-kube-audit/', 'insights-logs-guard/'] },
        actions: { baseBlob: { tierToCool: { daysAfterModificationGreaterThan: 30 } } },
      },
    }],
  });
});

test('the subscription Activity Log sends Administrative, Security, Policy and Alert to the account', () => {
  const setting = resource(plan, 'azure-native:monitor:SubscriptionDiagnosticSetting', `${NAME}-activity-log`);
  expect(setting.inputs.logs).toEqual(['Administrative', 'Security', 'Policy', 'Alert'].map((category) => ({ category, enabled: true })));
  expect(setting.inputs.storageAccountId).toBe(`/subscriptions/${SUBSCRIPTION}/resourceGroups/mock/providers/StorageAccount/${NAME}-durable`);
});

test('the cluster diagnostic setting sends kube-audit and guard to the account, and streams them to the k8saudit Event Hub', () => {
  const setting = resource(plan, 'azure-native:monitor:DiagnosticSetting', `${NAME}-kube-audit`);
  expect(setting.inputs.logs).toEqual([{ category: 'kube-audit', enabled: true }, { category: 'guard', enabled: true }]);
  expect(setting.inputs).toMatchObject({
    eventHubName: 'prod-aks-kube-audit',
    eventHubAuthorizationRuleId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/mock/providers/NamespaceAuthorizationRule/${NAME}-kube-audit-diagnostics`,
  });
  expect(setting.inputs.resourceUri).toBe(`/subscriptions/${SUBSCRIPTION}/resourceGroups/prod-aks-rg/providers/Microsoft.ContainerService/managedClusters/prod-aks`);
});

test('Secrets come from Pulumi secrets and their values never print', () => {
  const ours = ofType(plan, 'kubernetes:core/v1:Secret').filter((s) => s.parent === `${NAME}-k8s`);
  expect(ours.map((s) => [(s.inputs.metadata as { name: string }).name, s.inputs.stringData])).toEqual([
    ['alert-shipper-blob', '[secret]'], ['falco-k8saudit-aks', '[secret]'], ['routing-slack', '[secret]'],
  ]);
  expect(JSON.stringify(plan)).not.toContain('plan-placeholder');
});

test('k8saudit-aks: Falco listens only, its checkpoints live outside the evidence account, both strings reach a Secret as secrets', () => {
  expect(resource(plan, 'azure-native:eventhub:NamespaceAuthorizationRule', `${NAME}-kube-audit-falco`).inputs.rights).toEqual(['Listen']);
  expect(resource(plan, 'azure-native:eventhub:NamespaceAuthorizationRule', `${NAME}-kube-audit-diagnostics`).inputs.rights).toEqual(['Manage', 'Send', 'Listen']);
  expect(resource(plan, 'azure-native:eventhub:Namespace', `${NAME}-kube-audit`).inputs.minimumTlsVersion).toBe('1.2');
  expect(resource(plan, 'azure-native:storage:StorageAccount', `${NAME}-k8saudit-checkpoints`).inputs).toMatchObject({
    accountName: 'prodaksdetectionckpt', allowSharedKeyAccess: true, allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2',
  });
  const secret = resource(plan, 'kubernetes:core/v1:Secret', `${NAME}-k8s-falco-k8saudit-aks`);
  expect(secret.inputs.stringData).toBe('[secret]');
  resource(plan, 'kubernetes:apps/v1:Deployment', `${NAME}-k8s-falco/falco-k8saudit`);
});

test('plan snapshot (cloud resources in full, Kubernetes objects by type and name)', () => {
  expect(cloudSnapshot(plan)).toMatchSnapshot();
});
