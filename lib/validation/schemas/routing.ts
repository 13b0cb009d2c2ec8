// The schema of the routing props (RoutingProps: Falcosidekick outputs, teams, Alertmanager).
import { z } from 'zod';
import { clientId, optOut, plainUrl, resources, roleArn, secret, urlOrSecret } from './common';
import type { RoutingProps } from '../../routing/props';
import { props } from '../build';
import { labels } from '../kubernetes';
import { assertSameType, SameType } from '../same-type';

const strings = z.array(z.string());
const priority = z.enum(['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug']);

const common = { minimumPriority: priority.optional() };
const http = { allowInsecureHttp: optOut.optional() };
const chat = { allowBelowChatThreshold: optOut.optional() };

const SidekickOutputsSchema = props('SidekickOutputsProps', {
  webhook: props('WebhookOutputProps', {
    ...common, ...http, address: urlOrSecret, method: z.enum(['POST', 'PUT']).optional(), customHeaders: secret.optional(),
  }).optional(),
  slack: props('SlackOutputProps', {
    ...common, ...chat, webhookUrl: secret, channel: z.string().optional(), outputFormat: z.enum(['all', 'text', 'fields']).optional(),
  }).optional(),
  teams: props('TeamsOutputProps', { ...common, ...chat, webhookUrl: secret, outputFormat: z.enum(['all', 'text', 'facts']).optional() }).optional(),
  smtp: props('SmtpOutputProps', {
    ...common,
    hostPort: z.string(),
    from: z.string(),
    to: strings,
    authMechanism: z.enum(['plain', 'oauthbearer', 'external', 'anonymous', 'none']).optional(),
    user: z.string().optional(),
    password: secret.optional(),
    token: secret.optional(),
    outputFormat: z.enum(['html', 'text']).optional(),
    allowPlaintext: optOut.optional(),
  }).optional(),
  loki: props('LokiOutputProps', {
    ...common,
    ...http,
    hostPort: plainUrl(false),
    user: z.string().optional(),
    apiKey: secret.optional(),
    tenant: z.string().optional(),
    format: z.enum(['json', 'text']).optional(),
    extraLabels: strings.optional(),
  }).optional(),
  elasticsearch: props('ElasticsearchOutputProps', {
    ...common,
    ...http,
    hostPort: plainUrl(false),
    index: z.string().optional(),
    suffix: z.enum(['daily', 'monthly', 'annually', 'none']).optional(),
    username: z.string().optional(),
    password: secret.optional(),
    apiKey: secret.optional(),
    pipeline: z.string().optional(),
  }).optional(),
  awsS3: props('AwsS3OutputProps', { ...common, bucket: z.string(), prefix: z.string().optional(), endpoint: plainUrl(false).optional() }).optional(),
  awsCloudWatchLogs: props('AwsCloudWatchLogsOutputProps', { ...common, logGroup: z.string(), logStream: z.string().optional(), retentionDays: z.number().optional() }).optional(),
  azureEventHubs: props('AzureEventHubsOutputProps', { ...common, namespace: z.string(), name: z.string() }).optional(),
  kafka: props('KafkaOutputProps', {
    ...common,
    brokers: strings,
    topic: z.string(),
    sasl: z.enum(['PLAIN', 'SCRAM_SHA256', 'SCRAM_SHA512']).optional(),
    username: z.string().optional(),
    password: secret.optional(),
    requiredAcks: z.enum(['NONE', 'ONE', 'ALL']).optional(),
    compression: z.enum(['NONE', 'GZIP', 'SNAPPY', 'LZ4', 'ZSTD']).optional(),
    allowPlaintext: optOut.optional(),
  }).optional(),
  alertmanager: props('AlertmanagerOutputProps', { ...common, ...http, hostPorts: z.array(plainUrl(false)) }).optional(),
  pagerduty: props('PagerDutyOutputProps', { ...common, routingKey: secret, region: z.enum(['us', 'eu']).optional() }).optional(),
  opsgenie: props('OpsgenieOutputProps', { ...common, apiKey: secret, region: z.enum(['us', 'eu']).optional() }).optional(),
  syslog: props('SyslogOutputProps', {
    ...common,
    host: z.string(),
    port: z.number().int(),
    protocol: z.enum(['tcp', 'udp']).optional(),
    format: z.enum(['json', 'cef']).optional(),
    allowPlaintext: optOut.optional(),
  }).optional(),
});

const receiverPriority = { minimumPriority: priority };
const TeamReceiversSchema = (name: string) => props(name, {
  slack: z.array(props('SlackReceiverProps', { ...chat, ...receiverPriority, webhookUrl: secret, channel: z.string().optional() })).optional(),
  msTeams: z.array(props('MsTeamsReceiverProps', {
    ...chat, ...receiverPriority, webhookUrl: secret, api: z.enum(['workflows', 'connector']).optional(),
  })).optional(),
  email: z.array(props('EmailReceiverProps', {
    ...receiverPriority,
    to: strings,
    from: z.string(),
    smarthost: z.string(),
    authUsername: z.string().optional(),
    authPassword: secret.optional(),
    allowPlaintext: optOut.optional(),
  })).optional(),
  pagerDuty: z.array(props('PagerDutyReceiverProps', { ...receiverPriority, routingKey: secret })).optional(),
  opsgenie: z.array(props('OpsgenieReceiverProps', { ...receiverPriority, apiKey: secret })).optional(),
  webhook: z.array(props('WebhookReceiverProps', { ...http, ...receiverPriority, url: urlOrSecret })).optional(),
});

export const RoutingPropsSchema = props('RoutingProps', {
  sidekick: props('SidekickProps', {
    replicas: z.number().int().optional(),
    resources: resources('SidekickProps.resources'),
    outputs: SidekickOutputsSchema.optional(),
    aws: props('SidekickProps.aws', { roleArn: roleArn.optional(), region: z.string().optional() }).optional(),
    azure: props('SidekickProps.azure', { workloadIdentityClientId: clientId }).optional(),
  }).optional(),
  teams: z.array(props('TeamProps', { name: z.string(), namespaces: strings, receivers: TeamReceiversSchema('TeamReceiversProps') })).optional(),
  unowned: TeamReceiversSchema('TeamReceiversProps').optional(),
  alertmanager: props('AlertmanagerProps', {
    mode: z.enum(['bundled', 'operator']).optional(),
    replicas: z.number().int().optional(),
    resources: resources('AlertmanagerProps.resources'),
    storage: props('AlertmanagerProps.storage', { size: z.string(), storageClassName: z.string().optional() }).optional(),
    grouping: props('GroupingProps', {
      groupBy: strings.optional(),
      groupWait: z.string().optional(),
      groupInterval: z.string().optional(),
      repeatInterval: z.string().optional(),
    }).optional(),
    operator: props('AlertmanagerProps.operator', {
      alertmanagerUrls: z.array(plainUrl(false)),
      configLabels: labels().optional(),
    }).optional(),
  }).optional(),
  chatThreshold: priority.optional(),
  routeBy: z.enum(['namespace', 'owner-first']).optional(),
});

assertSameType<SameType<z.output<typeof RoutingPropsSchema>, RoutingProps>>();
