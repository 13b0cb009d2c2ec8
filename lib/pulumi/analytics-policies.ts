// The analytics destinations' cloud side, as pure data (no provider SDK): what the Pulumi components create for
// `durable.analytics` and the least permissions the shipper gets on it.
import { AwsAccountFacts, logGroupArn, PolicyDocument } from './aws-policies';
import type { AnalyticsDestinationPlan } from '../durable/analytics';
import { AZURE_ALERT_COLUMNS } from '../durable/analytics';
import type { StackPlan } from '../stack/plan';

type Destination<K extends AnalyticsDestinationPlan['kind']> = Extract<AnalyticsDestinationPlan, { kind: K }>;

/** The stack's analytics destination of one kind, if it has one. */
export function analyticsDestination<K extends AnalyticsDestinationPlan['kind']>(plan: StackPlan, kind: K): Destination<K> | undefined {
  return plan.durable?.shipper?.analytics?.destinations.find((d): d is Destination<K> => d.kind === kind);
}

/**
 * The shipper may create its streams in the analytics log group and put events there, nothing else: no read, no
 * delete, no other group (Fluent Bit's cloudwatch_logs calls CreateLogStream and PutLogEvents; CreateLogGroup and
 * PutRetentionPolicy only with auto_create_group, which the stack turns off).
 */
export function shipperLogsPolicy(f: AwsAccountFacts, logGroupName: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'PutAlertEvents',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${logGroupArn(f, logGroupName)}:log-stream:*`,
    }],
  };
}

/** Azure's built-in role that may send data to a Data Collection Rule (Azure built-in roles, "Monitoring Metrics Publisher"). */
export const MONITORING_METRICS_PUBLISHER_ROLE = '3913510d-42f4-4e42-8a64-420c390055eb';

/** Column types as the rule's stream declares them and as the Log Analytics table names them. */
export function streamColumns(): { name: string; type: string }[] {
  return AZURE_ALERT_COLUMNS.map((c) => ({ name: c.name, type: c.type }));
}

export function tableColumns(): { name: string; type: string }[] {
  return AZURE_ALERT_COLUMNS.map((c) => ({ name: c.name, type: c.type === 'datetime' ? 'dateTime' : c.type }));
}

/**
 * The rule's data flow: the declared stream, unchanged (`source`), into the custom table of the workspace. The output
 * stream of a custom table is `Custom-<table>`, the name Fluent Bit posts to.
 */
export function logsIngestionDataFlow(stream: string, destination: string) {
  return { streams: [stream], destinations: [destination], transformKql: 'source', outputStream: stream };
}
