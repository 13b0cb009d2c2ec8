import * as path from 'path';
import { cloudSnapshot, EXAMPLES, ofType, resource } from './plan-helpers';
import { OfflinePlan, planProgram } from '../../lib/pulumi/offline-plan';

// GIVEN the aks-pulumi example WHEN it runs under Pulumi's mocks THEN the security properties hold exactly.
let plan: OfflinePlan;
beforeAll(async () => {
  plan = await planProgram(path.join(EXAMPLES, 'aks-pulumi'));
}, 60_000);

const NAME = 'prod-aks-detection';
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

test('the storage account is HTTPS only, TLS 1.2, without public blob access or shared keys, with infrastructure encryption', () => {
  expect(resource(plan, 'azure-native:storage:StorageAccount', `${NAME}-durable`).inputs).toMatchObject({
    accountName: 'prodaksdetection',
    enableHttpsTrafficOnly: true,
    minimumTlsVersion: 'TLS1_2',
    allowBlobPublicAccess: false,
    allowSharedKeyAccess: false,
    encryption: { keySource: 'Microsoft.Storage', requireInfrastructureEncryption: true },
  });
});

test('the alerts container is private and under a 365-day immutability policy', () => {
  expect(resource(plan, 'azure-native:storage:BlobContainer', `${NAME}-alerts`).inputs).toMatchObject({ containerName: 'alerts', publicAccess: 'None' });
  expect(resource(plan, 'azure-native:storage:BlobContainerImmutabilityPolicy', `${NAME}-alerts`).inputs).toMatchObject({
    containerName: 'alerts', immutabilityPeriodSinceCreationInDays: 365, allowProtectedAppendWrites: false,
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

test('workload identity: federated with the shipper ServiceAccount, Storage Blob Data Contributor on the container only', () => {
  expect(resource(plan, 'azure-native:managedidentity:FederatedIdentityCredential', `${NAME}-shipper`).inputs).toMatchObject({
    subject: 'system:serviceaccount:falco:alert-shipper',
    audiences: ['api://AzureADTokenExchange'],
    issuer: 'https://westeurope.oic.prod-aks.azure.com/11111111-1111-1111-1111-111111111111/plan/',
  });
  expect(resource(plan, 'azure-native:authorization:RoleAssignment', `${NAME}-shipper`).inputs).toMatchObject({
    principalId: `${NAME}-shipper-principal-id`,
    principalType: 'ServicePrincipal',
    roleDefinitionId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe`,
    scope: `/subscriptions/${SUBSCRIPTION}/resourceGroups/mock/providers/BlobContainer/${NAME}-alerts`,
  });
});

test('Secrets come from Pulumi secrets and their values never print', () => {
  const ours = ofType(plan, 'kubernetes:core/v1:Secret').filter((s) => s.parent === `${NAME}-k8s`);
  expect(ours.map((s) => [(s.inputs.metadata as { name: string }).name, s.inputs.stringData])).toEqual([
    ['alert-shipper-blob', '[secret]'], ['falco-k8saudit-aks', '[secret]'], ['routing-slack', '[secret]'],
  ]);
  expect(JSON.stringify(plan)).not.toContain('plan-placeholder');
});

test('the shipper ServiceAccount the chart synthesizes carries the identity client id (bound from Pulumi)', () => {
  const sa = resource(plan, 'kubernetes:core/v1:ServiceAccount', `${NAME}-k8s-falco/alert-shipper`);
  expect((sa.inputs.metadata as { annotations: Record<string, string> }).annotations['azure.workload.identity/client-id']).toBe(`${NAME}-shipper-client-id`);
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
