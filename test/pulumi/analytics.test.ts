import * as path from 'path';
import { aksLogsStack } from './fixtures/analytics-stacks';
import { dependenciesOf, ofType, policyDocument, resource } from './plan-helpers';
import { DetectionStackError } from '../../lib/core/errors';
import { OfflinePlan, planProgram } from '../../lib/pulumi/offline-plan';

// GIVEN stacks with durable.analytics WHEN their Pulumi programs run under Pulumi's mocks THEN the cloud side of each
// analytics destination exists with the retention, the encryption and the least permissions the README states.
const FIXTURES = path.join(__dirname, 'fixtures');
/** How the mocks name an azure-native resource id (offline-plan.ts mockId). */
const AZ = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mock/providers';

describe('EKS: the CloudWatch Logs group of durable.analytics.cloudWatchLogs', () => {
  let plan: OfflinePlan;
  beforeAll(async () => {
    plan = await planProgram(path.join(FIXTURES, 'analytics-eks'));
  }, 120_000);

  test('the group is created with the stack\'s retention and its KMS key, and kept on destroy', () => {
    const group = resource(plan, 'aws:cloudwatch/logGroup:LogGroup', 'analytics-analytics');
    expect(group.inputs).toMatchObject({ name: '/detection-stack/prod-eks/alerts', retentionInDays: 400 });
    expect(group.inputs.kmsKeyId).toBe('arn:aws:mock::123456789012:kms/key/analytics-key');
    expect(group.retainOnDelete).toBe(true);
  });

  test('the key lets CloudWatch Logs use it for that group (and the control-plane group) only', () => {
    const key = policyDocument(resource(plan, 'aws:kms/key:Key', 'analytics-key'));
    const logs = key.Statement.find((s) => s.Sid === 'CloudWatchLogsEncrypts')!;
    expect(logs.Condition).toEqual({
      ArnEquals: {
        'kms:EncryptionContext:aws:logs:arn': [
          'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/prod-eks/cluster',
          'arn:aws:logs:eu-west-1:123456789012:log-group:/detection-stack/prod-eks/alerts',
        ],
      },
    });
  });

  test('the shipper role may create streams and put events in that group only, once it exists', () => {
    const policy = policyDocument(resource(plan, 'aws:iam/rolePolicy:RolePolicy', 'analytics-shipper-logs'));
    expect(policy.Statement).toEqual([{
      Sid: 'PutAlertEvents',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: 'arn:aws:logs:eu-west-1:123456789012:log-group:/detection-stack/prod-eks/alerts:log-stream:*',
    }]);
    expect(dependenciesOf(plan, 'aws:iam/rolePolicy:RolePolicy', 'analytics-shipper-logs')).toContain('aws:cloudwatch/logGroup:LogGroup analytics-analytics');
  });
});

describe('AKS: the Logs Ingestion table, endpoint and rule of durable.analytics.azureLogsIngestion (dataCollection \'pulumi\')', () => {
  let plan: OfflinePlan;
  beforeAll(async () => {
    plan = await planProgram(path.join(FIXTURES, 'analytics-aks'));
  }, 120_000);

  test('the custom table has the alert columns (dateTime for the times), in the workspace', () => {
    const table = resource(plan, 'azure-native:operationalinsights:Table', 'analytics-logs-table');
    expect(table.inputs).toMatchObject({ resourceGroupName: 'monitoring-rg', workspaceName: 'security', tableName: 'DetectionStackAlerts_CL', retentionInDays: 90 });
    const columns = (table.inputs.schema as { columns: { name: string; type: string }[] }).columns;
    expect(columns.filter((c) => c.type === 'dateTime').map((c) => c.name)).toEqual(['TimeGenerated', 'time']);
    expect(columns.map((c) => c.name)).toEqual(expect.arrayContaining(['rule', 'priority', 'output_fields', 'tags', 'cluster', 'node_name']));
  });

  test('the rule declares Custom-<table> and sends it unchanged into the table, through the endpoint', () => {
    const rule = resource(plan, 'azure-native:monitor:DataCollectionRule', 'analytics-logs-rule');
    expect(Object.keys(rule.inputs.streamDeclarations as object)).toEqual(['Custom-DetectionStackAlerts_CL']);
    expect(rule.inputs.dataFlows).toEqual([{
      streams: ['Custom-DetectionStackAlerts_CL'], destinations: ['workspace'], transformKql: 'source', outputStream: 'Custom-DetectionStackAlerts_CL',
    }]);
    expect(rule.inputs.destinations).toEqual({ logAnalytics: [{ name: 'workspace', workspaceResourceId: expect.stringMatching(/\/workspaces\/security$/) }] });
    expect(rule.inputs.dataCollectionEndpointId).toBe(`${AZ}/DataCollectionEndpoint/analytics-logs-endpoint`);
    expect(dependenciesOf(plan, 'azure-native:monitor:DataCollectionRule', 'analytics-logs-rule')).toContain('azure-native:operationalinsights:Table analytics-logs-table');
  });

  test('the app may publish to that rule only (Monitoring Metrics Publisher, scope: the rule)', () => {
    const [assignment] = ofType(plan, 'azure-native:authorization:RoleAssignment');
    expect(assignment.inputs).toMatchObject({
      principalId: '33333333-3333-3333-3333-333333333333',
      principalType: 'ServicePrincipal',
      roleDefinitionId: '/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/3913510d-42f4-4e42-8a64-420c390055eb',
      scope: `${AZ}/DataCollectionRule/analytics-logs-rule`,
    });
  });

  test('the shipper\'s DaemonSet gets the endpoint URL and rule id in the env vars its config reads', () => {
    const shipper = ofType(plan, 'kubernetes:apps/v1:DaemonSet').filter((d) => (d.inputs.metadata as { name: string }).name === 'alert-shipper');
    expect(shipper).toHaveLength(1);
    const container = (shipper[0].inputs.spec as { template: { spec: { containers: { env: unknown }[] } } }).template.spec.containers[0];
    const env = Object.values(container.env as Record<string, { name: string; value?: string }>);
    const value = (n: string) => env.find((e) => e.name === n)?.value;
    expect(value('AZURE_LOGS_DCE_URL')).toBe('https://analytics-logs-endpoint.westeurope-1.ingest.monitor.azure.com');
    expect(value('AZURE_LOGS_DCR_ID')).toMatch(/^dcr-[0-9a-f]{32}$/);
    // The client secret stays a Secret reference.
    expect(env.find((e) => e.name === 'AZURE_LOGS_CLIENT_SECRET')).toEqual({
      name: 'AZURE_LOGS_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'azure-logs', key: 'client-secret', optional: false } },
    });
  });
});

describe('the AKS component and the stack agree on who creates the rule', () => {
  const stack = aksLogsStack;
  const component = async (props: ReturnType<typeof stack>, logsIngestion: boolean): Promise<DetectionStackError> => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AksDetectionStack } = require('../../lib/pulumi/azure') as typeof import('../../lib/pulumi/azure');
    try {
      new AksDetectionStack('logs', {
        stack: props,
        resourceGroupName: 'rg',
        cluster: { id: 'cluster-id' },
        allowSharedKeyAccess: true,
        ...(logsIngestion ? { logsIngestion: { workspaceResourceGroupName: 'rg', workspaceName: 'ws', workspaceId: 'ws-id', servicePrincipalObjectId: 'sp' } } : {}),
      });
    } catch (e) {
      return e as DetectionStackError;
    }
    throw new Error('expected the component to refuse its args');
  };

  test('dataCollection \'pulumi\' without logsIngestion is refused (DS-PULUMI-045)', async () => {
    const e = await component(stack('pulumi'), false);
    expect([e.code, e.where]).toEqual(['DS-PULUMI-045', 'logs/logsIngestion']);
  });

  test('logsIngestion for a stack that names its own endpoint and rule is refused (DS-PULUMI-046)', async () => {
    const e = await component(stack({ endpointUrl: 'https://x.westeurope-1.ingest.monitor.azure.com', ruleImmutableId: `dcr-${'0'.repeat(32)}` }), true);
    expect([e.code, e.where]).toEqual(['DS-PULUMI-046', 'logs/logsIngestion']);
  });
});
