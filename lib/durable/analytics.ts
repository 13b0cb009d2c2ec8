// Provider-native analytics destinations of the shipper, beside the bucket: OCI Logging Analytics, OCI Streaming
// (Kafka), CloudWatch Logs and Azure Monitor Logs (Logs Ingestion API). Pure planning and the Fluent Bit sections.
// Every user value lands in fluent-bit.conf or the OCI config file, so each is checked against the character set
// its service allows: none can end a line, start a section or expand an `${ENV}` reference.
import type { AzureLogsIngestionProps, DurableAnalyticsProps } from './analytics-props';
import { ALERT_TAG_PREFIX, FluentBitSection } from './tetragon-alerts';
import { CLOUDWATCH_RETENTION_DAYS } from '../core/cloudwatch';
import type { PlanContext } from '../core/context';
import type { EgressPlan } from '../core/egress';
import type { StackCode } from '../core/error-codes';
import { DetectionStackError } from '../core/errors';
import { requireSecretRef, SecretEnvPlan, SecretKeyRef } from '../core/secrets';

export { CLOUDWATCH_RETENTION_DAYS };

/** Where the OCI API key is mounted in the shipper (a Secret volume, mode 0400). */
export const OCI_KEY_DIR = '/fluent-bit/secrets/oci-log-analytics';
export const OCI_KEY_FILE = 'key.pem';
/** The OCI config file the oracle_log_analytics output reads (in the shipper's ConfigMap). */
export const OCI_CONFIG_FILE = 'oci-config';
/** Env vars the Pulumi path sets to the Data Collection Endpoint and Rule it creates (AksDetectionStack). */
export const AZURE_DCE_ENV = 'AZURE_LOGS_DCE_URL';
export const AZURE_DCR_ENV = 'AZURE_LOGS_DCR_ID';
/** The env values before Pulumi sets them: the output fails loudly on them, never posts elsewhere. */
export const AZURE_PENDING_VALUE = 'set-by-pulumi';
export const DEFAULT_AZURE_TABLE = 'DetectionStackAlerts_CL';

/**
 * The alert record as the Logs Ingestion stream declares it: the keys Falco's JSON alerts carry (json_output with
 * json_include_output_property, json_include_tags_property), the shipper's `cluster` and `node_name`, and Tetragon
 * alerts' `owner` (lib/durable/tetragon-alerts.ts). The Data Collection Rule and the table use the same columns.
 */
export const AZURE_ALERT_COLUMNS: readonly { readonly name: string; readonly type: 'string' | 'datetime' | 'dynamic' }[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'time', type: 'datetime' },
  { name: 'rule', type: 'string' },
  { name: 'priority', type: 'string' },
  { name: 'source', type: 'string' },
  { name: 'output', type: 'string' },
  { name: 'hostname', type: 'string' },
  { name: 'tags', type: 'dynamic' },
  { name: 'output_fields', type: 'dynamic' },
  { name: 'owner', type: 'string' },
  { name: 'uuid', type: 'string' },
  { name: 'cluster', type: 'string' },
  { name: 'node_name', type: 'string' },
];


export type AnalyticsDestinationPlan =
  | {
    readonly kind: 'oci-log-analytics';
    readonly namespace: string;
    readonly logGroupId: string;
    readonly logSourceName: string;
    readonly region: string;
    readonly user: string;
    readonly tenancy: string;
    readonly fingerprint: string;
  }
  | { readonly kind: 'oci-streaming'; readonly bootstrapServer: string; readonly topic: string; readonly saslUser: string }
  | { readonly kind: 'cloudwatch-logs'; readonly region: string; readonly logGroupName: string; readonly retentionDays: number }
  | {
    readonly kind: 'azure-logs-ingestion';
    readonly tenantId: string;
    readonly clientId: string;
    readonly table: string;
    /** `Custom-<table>`: the stream the output posts to and the rule declares. */
    readonly stream: string;
    /** Existing endpoint and rule, or created on the Pulumi path (then read from env vars it sets). */
    readonly dataCollection: { readonly endpointUrl: string; readonly ruleImmutableId: string } | 'pulumi';
  };

/** The analytics side of the shipper, as plain data. */
export interface AnalyticsPlan {
  readonly destinations: readonly AnalyticsDestinationPlan[];
  readonly secretEnv: readonly SecretEnvPlan[];
  /** Secret keys mounted as files (the OCI API key). */
  readonly secretFiles: readonly { readonly secret: SecretKeyRef; readonly dir: string; readonly file: string; readonly where: string }[];
  /** Literal env vars (the Azure endpoint and rule when Pulumi creates them). */
  readonly env: readonly { readonly name: string; readonly value: string }[];
  /** Extra files of the shipper's ConfigMap (the OCI config file). */
  readonly files: Readonly<Record<string, string>>;
  readonly egress: readonly EgressPlan[];
}

const OCID = (type: string) => new RegExp(`^ocid1\\.${type}\\.oc[0-9]+\\.[a-z0-9-]*\\.[a-z0-9]{1,255}$`);
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HOST_PORT = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+:[0-9]{1,5}$/;

function check(ok: boolean, code: StackCode, where: string, problem: string, fix: string): void {
  if (!ok) throw new DetectionStackError(code, where, problem, fix);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

function region(value: string | undefined, ctx: PlanContext, code: StackCode, where: string): string {
  const r = value ?? ctx.cluster.region;
  check(r !== undefined && REGION.test(r), code, `${where}.region`, `the region '${text(r)}' is missing or not valid`,
    'set the destination\'s region or cluster.region (e.g. eu-frankfurt-1, eu-west-1)');
  return r as string;
}

/** Plans the analytics destinations; `undefined` when none is configured. */
export function planAnalytics(props: DurableAnalyticsProps | undefined, ctx: PlanContext, where: string): AnalyticsPlan | undefined {
  if (!props || Object.values(props).every((v) => v === undefined)) return undefined;
  const destinations: AnalyticsDestinationPlan[] = [];
  const secretEnv: SecretEnvPlan[] = [];
  const secretFiles: AnalyticsPlan['secretFiles'][number][] = [];
  const env: { name: string; value: string }[] = [];
  const files: Record<string, string> = {};
  const egress: EgressPlan[] = [];

  if (props.ociLoggingAnalytics) {
    const o = props.ociLoggingAnalytics; const w = `${where}.ociLoggingAnalytics`; const code = 'DS-DURABLE-048';
    check(/^[a-z0-9]{1,64}$/.test(text(o.namespace)), code, `${w}.namespace`, `'${text(o.namespace)}' is not an Object Storage namespace`,
      'use the tenancy\'s Object Storage namespace (oci os ns get)');
    check(OCID('loganalyticsloggroup').test(text(o.logGroupId)), code, `${w}.logGroupId`, `'${text(o.logGroupId)}' is not a Logging Analytics log group OCID`,
      'use the log group\'s OCID, ocid1.loganalyticsloggroup.oc1.<region>.<id>');
    check(/^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,254}$/.test(text(o.logSourceName)) && !/ $/.test(text(o.logSourceName)), code, `${w}.logSourceName`,
      `'${text(o.logSourceName)}' is not a Logging Analytics source name`, 'use the source\'s name: letters, digits, spaces, \'.\', \'_\', \'-\', \'(\' and \')\'');
    const k = o.apiKey ?? ({} as never); const kw = `${w}.apiKey`;
    check(OCID('user').test(text(k.user)), code, `${kw}.user`, `'${text(k.user)}' is not a user OCID`, 'use the user\'s OCID, ocid1.user.oc1..<id>');
    check(OCID('tenancy').test(text(k.tenancy)), code, `${kw}.tenancy`, `'${text(k.tenancy)}' is not a tenancy OCID`, 'use the tenancy\'s OCID, ocid1.tenancy.oc1..<id>');
    check(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/.test(text(k.fingerprint)), code, `${kw}.fingerprint`, `'${text(k.fingerprint)}' is not an API key fingerprint`,
      'use the fingerprint the console shows for the key: 16 lowercase hex pairs separated by \':\'');
    const r = region(o.region, ctx, code, w);
    secretFiles.push({ secret: requireSecretRef(`${kw}.privateKey`, k.privateKey), dir: OCI_KEY_DIR, file: OCI_KEY_FILE, where: `${kw}.privateKey` });
    destinations.push({
      kind: 'oci-log-analytics',
      namespace: o.namespace,
      logGroupId: o.logGroupId,
      logSourceName: o.logSourceName,
      region: r,
      user: k.user,
      tenancy: k.tenancy,
      fingerprint: k.fingerprint,
    });
    // Read by oci_logan_conf.c load_oci_credentials: `key=value` lines under the profile's `[NAME]` line.
    files[OCI_CONFIG_FILE] = ['[DEFAULT]', `user=${k.user}`, `fingerprint=${k.fingerprint}`, `tenancy=${k.tenancy}`, `region=${r}`,
      `key_file=${OCI_KEY_DIR}/${OCI_KEY_FILE}`, ''].join('\n');
    egress.push({ kind: 'external', port: 443, protocol: 'TCP' });
  }

  if (props.ociStreaming) {
    const o = props.ociStreaming; const w = `${where}.ociStreaming`; const code = 'DS-DURABLE-049';
    check(OCID('streampool').test(text(o.streamPoolId)), code, `${w}.streamPoolId`, `'${text(o.streamPoolId)}' is not a stream pool OCID`,
      'use the stream pool\'s OCID, ocid1.streampool.oc1.<region>.<id>');
    // Stream names: 1-255 of letters, digits, '.', '_' and '-' (a Kafka topic name).
    check(/^[A-Za-z0-9._-]{1,255}$/.test(text(o.stream)), code, `${w}.stream`, `'${text(o.stream)}' is not a stream name`,
      'use the stream\'s name: letters, digits, \'.\', \'_\' or \'-\'');
    check(/^[A-Za-z0-9._@+-]+(\/[A-Za-z0-9._@+-]+){1,2}$/.test(text(o.user)), code, `${w}.user`, `'${text(o.user)}' is not '<tenancy>/<user>' or '<tenancy>/<domain>/<user>'`,
      'give the tenancy name and the user name (with its identity domain when it has one), separated by \'/\', without the stream pool');
    const r = region(o.region, ctx, code, w);
    const bootstrapServer = o.bootstrapServer ?? `streaming.${r}.oci.oraclecloud.com:9092`;
    check(HOST_PORT.test(bootstrapServer), code, `${w}.bootstrapServer`, `'${bootstrapServer}' is not a host:port`, 'give the bootstrap server as host:port, e.g. streaming.eu-frankfurt-1.oci.oraclecloud.com:9092');
    secretEnv.push({ env: 'OCI_STREAMING_AUTH_TOKEN', secret: requireSecretRef(`${w}.authToken`, o.authToken), where: `${w}.authToken` });
    destinations.push({ kind: 'oci-streaming', bootstrapServer, topic: o.stream, saslUser: `${o.user}/${o.streamPoolId}` });
    egress.push({ kind: 'external', port: Number(bootstrapServer.split(':')[1]), protocol: 'TCP' });
  }

  if (props.cloudWatchLogs) {
    const o = props.cloudWatchLogs; const w = `${where}.cloudWatchLogs`;
    check(ctx.cluster.provider === 'eks', 'DS-DURABLE-051', w, `CloudWatch Logs takes the shipper's AWS identity, which only an EKS cluster gives (this one is on ${ctx.cluster.provider})`,
      'use the provider\'s own analytics destination (ociLoggingAnalytics or ociStreaming on OKE, azureLogsIngestion on AKS)');
    const logGroupName = o.logGroupName ?? `/detection-stack/${ctx.cluster.name}/alerts`;
    check(/^[A-Za-z0-9_./#-]{1,512}$/.test(logGroupName), 'DS-DURABLE-050', `${w}.logGroupName`, `'${logGroupName}' is not a log group name`,
      'use 1-512 letters, digits, \'_\', \'-\', \'/\', \'.\' or \'#\'');
    const retentionDays = o.retentionDays ?? 365;
    check((CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(retentionDays), 'DS-DURABLE-050', `${w}.retentionDays`,
      `${text(retentionDays)} is not a CloudWatch Logs retention`, `use one of ${CLOUDWATCH_RETENTION_DAYS.join(', ')}`);
    destinations.push({ kind: 'cloudwatch-logs', region: region(undefined, ctx, 'DS-DURABLE-050', w), logGroupName, retentionDays });
    egress.push({ kind: 'external', port: 443, protocol: 'TCP' });
  }

  if (props.azureLogsIngestion) {
    const planned = planAzure(props.azureLogsIngestion, `${where}.azureLogsIngestion`);
    destinations.push(planned.destination);
    secretEnv.push(planned.secret);
    env.push(...planned.env);
    egress.push({ kind: 'external', port: 443, protocol: 'TCP' });
  }
  return { destinations, secretEnv, secretFiles, env, files, egress };
}

function planAzure(o: AzureLogsIngestionProps, w: string) {
  const code = 'DS-DURABLE-052';
  check(GUID.test(text(o.tenantId)), code, `${w}.tenantId`, `'${text(o.tenantId)}' is not a tenant id`, 'use the Entra ID tenant id (a GUID)');
  check(GUID.test(text(o.clientId)), code, `${w}.clientId`, `'${text(o.clientId)}' is not a client id`, 'use the app registration\'s client (application) id (a GUID)');
  const table = o.table ?? DEFAULT_AZURE_TABLE;
  // Custom tables: letters, digits and '_', starting with a letter, with the `_CL` suffix (45 characters before it).
  check(/^[A-Za-z][A-Za-z0-9_]{0,44}_CL$/.test(table), code, `${w}.table`, `'${table}' is not a custom table name`,
    'use letters, digits and \'_\', starting with a letter and ending in _CL, e.g. DetectionStackAlerts_CL');
  const dc = o.dataCollection;
  if (dc !== 'pulumi') {
    check(typeof dc === 'object' && dc !== null, code, `${w}.dataCollection`, 'the endpoint and rule are missing',
      'give { endpointUrl, ruleImmutableId } of an existing Data Collection Endpoint and Rule, or \'pulumi\' to create them on the Pulumi path');
    check(/^https:\/\/[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(text(dc.endpointUrl)), code, `${w}.dataCollection.endpointUrl`,
      `'${text(dc.endpointUrl)}' is not a Data Collection Endpoint URL`, 'use the endpoint\'s logs ingestion URL, https://<name>.<region>-1.ingest.monitor.azure.com, without a path');
    check(/^dcr-[0-9a-f]{32}$/.test(text(dc.ruleImmutableId)), code, `${w}.dataCollection.ruleImmutableId`,
      `'${text(dc.ruleImmutableId)}' is not a Data Collection Rule immutable id`, 'use the rule\'s immutableId (dcr- and 32 hex digits), not its resource id');
  }
  return {
    destination: {
      kind: 'azure-logs-ingestion' as const,
      tenantId: o.tenantId,
      clientId: o.clientId,
      table,
      stream: `Custom-${table}`,
      dataCollection: dc === 'pulumi' ? 'pulumi' as const : { endpointUrl: dc.endpointUrl, ruleImmutableId: dc.ruleImmutableId },
    },
    secret: { env: 'AZURE_LOGS_CLIENT_SECRET', secret: requireSecretRef(`${w}.clientSecret`, o.clientSecret), where: `${w}.clientSecret` },
    env: dc === 'pulumi' ? [{ name: AZURE_DCE_ENV, value: AZURE_PENDING_VALUE }, { name: AZURE_DCR_ENV, value: AZURE_PENDING_VALUE }] : [],
  };
}

/**
 * The tags of the records analytics receive: alerts only (Falco's `alerts.<source>` with a `rule` filter, and the
 * Tetragon alerts), never the raw Tetragon events or extra sources, which only the bucket keeps.
 */
export function analyticsMatchRegex(alertSources: readonly string[], tetragonAlerts: boolean): string {
  const alternatives = [...alertSources.map((s) => s.replace(/[.-]/g, (c) => `\\${c}`)), ...(tetragonAlerts ? [`${ALERT_TAG_PREFIX.slice('alerts.'.length).replace(/-/g, '\\-')}\\..+`] : [])];
  return `^alerts\\.(${alternatives.join('|')})$`;
}

/** The tag of the copies of Falco's raw alert lines that OCI Logging Analytics gets (see `analyticsSourceFilters`). */
export const OCI_LA_TAG_PREFIX = 'oci-la';

/**
 * Filters on a source before its line is parsed. Fluent Bit 5.1.1's oracle_log_analytics output sends, of each
 * record, only the string under `log` (or `message`), and a record with neither breaks its payload (it then crashes,
 * found with the loopback test; oci_logan.c total_flush): OCI Logging Analytics gets a copy of each Falco alert line
 * as Falco wrote it (JSON, parsed by the Logging Analytics source), with the cluster and node as metadata.
 */
export function analyticsSourceFilters(plan: AnalyticsPlan | undefined, source: { readonly name: string; readonly format: 'json' | 'cri'; readonly alertsOnly: boolean }): FluentBitSection[] {
  if (!plan?.destinations.some((d) => d.kind === 'oci-log-analytics') || source.format !== 'cri' || !source.alertsOnly) return [];
  return [['FILTER', [
    ['Name', 'rewrite_tag'],
    ['Match', `alerts.${source.name}`],
    // Falco's JSON alert carries "rule":"<name>"; its own log lines do not. ('.' stands for the quotes: a rule is split at spaces and quotes.)
    ['Rule', `$log ^\\{.*.rule.:. ${OCI_LA_TAG_PREFIX}.${source.name} true`],
    ['Emitter_Name', `${OCI_LA_TAG_PREFIX}-${source.name}`],
    ['Emitter_Storage.type', 'filesystem'],
  ]]];
}

/**
 * One OUTPUT per destination. Each keeps its own filesystem queue of at most `bufferLimit` and retries without a
 * limit: an analytics outage fills that queue (then its oldest chunks are dropped, counted in
 * `fluentbit_output_dropped_records_total`) and never holds back the bucket.
 */
export function analyticsOutputs(plan: AnalyticsPlan | undefined, match: string, bufferLimit: string, configDir: string,
  cluster: string): FluentBitSection[] {
  const common = (name: string, alias: string): [string, string][] => [['Name', name], ['Alias', alias], ['Match_Regex', match]];
  const tail: [string, string | number][] = [['Retry_Limit', 'no_limits'], ['storage.total_limit_size', bufferLimit]];
  return (plan?.destinations ?? []).map((d): FluentBitSection => {
    switch (d.kind) {
      case 'oci-log-analytics':
        return ['OUTPUT', [
          ['Name', 'oracle_log_analytics'],
          ['Alias', 'analytics-oci-log-analytics'],
          ['Match', `${OCI_LA_TAG_PREFIX}.*`],
          ['config_file_location', `${configDir}/${OCI_CONFIG_FILE}`],
          ['profile_name', 'DEFAULT'],
          ['namespace', d.namespace],
          ['oci_la_log_group_id', d.logGroupId],
          ['oci_la_log_source_name', d.logSourceName],
          ['oci_la_global_metadata', `cluster ${cluster}`],
          ['oci_la_global_metadata', 'node_name ${NODE_NAME}'],
          // The output's defaults are plain HTTP on port 80 (oci_logan_conf.c): TLS is set, and with it port 443.
          ['tls', 'On'],
          ['tls.verify', 'On'],
          ...tail,
        ]];
      case 'oci-streaming':
        return ['OUTPUT', [
          ...common('kafka', 'analytics-oci-streaming'),
          ['brokers', d.bootstrapServer],
          ['topics', d.topic],
          ['format', 'json'],
          ['rdkafka.security.protocol', 'SASL_SSL'],
          ['rdkafka.sasl.mechanisms', 'PLAIN'],
          ['rdkafka.sasl.username', d.saslUser],
          ['rdkafka.sasl.password', '${OCI_STREAMING_AUTH_TOKEN}'],
          ['rdkafka.ssl.endpoint.identification.algorithm', 'https'],
          // Streaming has no idempotent producer ("Kafka Compatibility", unimplemented APIs).
          ['rdkafka.enable.idempotence', 'false'],
          ['rdkafka.request.required.acks', -1],
          // librdkafka's own queue is memory: kept small so an outage backs up into Fluent Bit's disk queue (queue full -> retry).
          ['rdkafka.queue.buffering.max.kbytes', 16384],
          ['rdkafka.message.timeout.ms', 0],
          ...tail,
        ]];
      case 'cloudwatch-logs':
        return ['OUTPUT', [
          ...common('cloudwatch_logs', 'analytics-cloudwatch-logs'),
          ['region', d.region],
          ['log_group_name', d.logGroupName],
          // One stream per node and source: <node>.alerts.<source>.
          ['log_stream_prefix', '${NODE_NAME}.'],
          // The group is created with retention and KMS (Pulumi path) or by the user, never with the provider's defaults.
          ['auto_create_group', 'Off'],
          ...tail,
        ]];
      case 'azure-logs-ingestion': {
        const dc = d.dataCollection;
        return ['OUTPUT', [
          ...common('azure_logs_ingestion', 'analytics-azure-logs-ingestion'),
          ['tenant_id', d.tenantId],
          ['client_id', d.clientId],
          ['client_secret', '${AZURE_LOGS_CLIENT_SECRET}'],
          ['dce_url', dc === 'pulumi' ? `\${${AZURE_DCE_ENV}}` : dc.endpointUrl],
          ['dcr_id', dc === 'pulumi' ? `\${${AZURE_DCR_ENV}}` : dc.ruleImmutableId],
          ['table_name', d.table],
          ['time_generated', 'On'],
          ['time_key', 'TimeGenerated'],
          ['compress', 'On'],
          ...tail,
        ]];
      }
    }
  });
}
