// Azure Monitor Logs for the shipper's analytics output (durable.analytics.azureLogsIngestion with dataCollection
// 'pulumi'): the custom table, a Data Collection Endpoint, the Data Collection Rule that takes the alerts' stream into
// the table, and the app's right to send to that rule only.
import * as authorization from '@pulumi/azure-native/authorization';
import * as monitor from '@pulumi/azure-native/monitor';
import * as operationalinsights from '@pulumi/azure-native/operationalinsights';
import * as pulumi from '@pulumi/pulumi';
import { logsIngestionDataFlow, MONITORING_METRICS_PUBLISHER_ROLE, streamColumns, tableColumns } from './analytics-policies';
import type { ObjectFieldBinding } from './objects';
import type { AnalyticsDestinationPlan } from '../durable/analytics';
import { AZURE_DCE_ENV, AZURE_DCR_ENV } from '../durable/analytics';
import type { StackPlan } from '../stack/plan';

/** The Log Analytics workspace the alerts go to, and who sends them. */
export interface AzureLogsIngestionArgs {
  /** Resource group of the workspace. */
  readonly workspaceResourceGroupName: pulumi.Input<string>;
  /** Workspace name. */
  readonly workspaceName: pulumi.Input<string>;
  /** Workspace resource id. */
  readonly workspaceId: pulumi.Input<string>;
  /**
   * Object id of the service principal of the app registration whose client id and secret the stack gives the shipper
   * (`durable.analytics.azureLogsIngestion.clientId`). It gets `Monitoring Metrics Publisher` on the rule only.
   */
  readonly servicePrincipalObjectId: pulumi.Input<string>;
  /** Days the table keeps the alerts (interactive retention). @default 90 */
  readonly retentionDays?: number;
}

/**
 * Table `<table>` (the columns of AZURE_ALERT_COLUMNS), a Data Collection Endpoint, a Data Collection Rule with the
 * stream `Custom-<table>` flowing unchanged into the table, and the role assignment on the rule.
 */
export class AzureLogsIngestion extends pulumi.ComponentResource {
  public readonly table: operationalinsights.Table;
  public readonly endpoint: monitor.DataCollectionEndpoint;
  public readonly rule: monitor.DataCollectionRule;
  /** The endpoint's logs ingestion URL (Fluent Bit's `dce_url`). */
  public readonly endpointUrl: pulumi.Output<string>;
  /** The rule's immutable id (Fluent Bit's `dcr_id`). */
  public readonly ruleImmutableId: pulumi.Output<string>;

  constructor(name: string, args: AzureLogsIngestionArgs & {
    readonly destination: Extract<AnalyticsDestinationPlan, { kind: 'azure-logs-ingestion' }>;
    readonly resourceGroupName: pulumi.Input<string>;
    readonly location: string;
  }, opts: pulumi.ComponentResourceOptions = {}) {
    super('detection-stack:aks:LogsIngestion', name, {}, opts);
    const child = { parent: this };
    const d = args.destination;
    this.table = new operationalinsights.Table(`${name}-table`, {
      resourceGroupName: args.workspaceResourceGroupName,
      workspaceName: args.workspaceName,
      tableName: d.table,
      plan: 'Analytics',
      retentionInDays: args.retentionDays ?? 90,
      schema: { name: d.table, description: 'detection-stack alerts (Falco and Tetragon)', columns: tableColumns() },
    }, child);
    this.endpoint = new monitor.DataCollectionEndpoint(`${name}-endpoint`, {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      description: 'detection-stack: the alert shipper posts alerts here',
      networkAcls: { publicNetworkAccess: 'Enabled' },
    }, child);
    const workspace = 'workspace';
    this.rule = new monitor.DataCollectionRule(`${name}-rule`, {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      description: `detection-stack: alerts into ${d.table}`,
      dataCollectionEndpointId: this.endpoint.id,
      streamDeclarations: { [d.stream]: { columns: streamColumns() } },
      destinations: { logAnalytics: [{ name: workspace, workspaceResourceId: args.workspaceId }] },
      dataFlows: [logsIngestionDataFlow(d.stream, workspace)],
    }, { parent: this, dependsOn: [this.table] });
    const client = authorization.getClientConfigOutput(child);
    new authorization.RoleAssignment(`${name}-publisher`, {
      principalId: args.servicePrincipalObjectId,
      principalType: 'ServicePrincipal',
      roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${MONITORING_METRICS_PUBLISHER_ROLE}`,
      scope: this.rule.id,
      description: `detection-stack: the alert shipper (client ${d.clientId}) sends to this rule only`,
    }, child);
    this.endpointUrl = this.endpoint.logsIngestion.apply((l) => l?.endpoint ?? '');
    this.ruleImmutableId = this.rule.immutableId;
    this.registerOutputs({ endpointUrl: this.endpointUrl, ruleImmutableId: this.ruleImmutableId, table: d.table });
  }
}

/**
 * Sets the endpoint URL and rule id the component created into the shipper's env vars (`AZURE_LOGS_DCE_URL`,
 * `AZURE_LOGS_DCR_ID`, which fluent-bit.conf reads), at their index in the container the chart synthesizes.
 */
export function logsIngestionBindings(plan: StackPlan, endpointUrl: unknown, ruleImmutableId: unknown): ObjectFieldBinding[] {
  const shipper = plan.durable?.shipper;
  const container = shipper?.workload.pod.containers[0];
  const env = container?.env ?? [];
  return ([[AZURE_DCE_ENV, endpointUrl], [AZURE_DCR_ENV, ruleImmutableId]] as const).map(([envName, value]) => {
    const index = env.findIndex((e) => e.name === envName);
    if (!shipper || index < 0) throw new Error(`the shipper has no ${envName} env var to bind`);
    return { kind: 'DaemonSet', name: shipper.workload.name, path: ['spec', 'template', 'spec', 'containers', '0', 'env', String(index), 'value'], value };
  });
}
