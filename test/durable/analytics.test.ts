import { Testing } from 'cdk8s';
import { ANALYTICS_STACKS, AZURE_LOGS, OCI_LA, OCI_STREAMING, TETRAGON_ANALYTICS_STACKS } from './analytics-fixtures';
import { DetectionStack } from '../../lib';
import type { DetectionStackError } from '../../lib/core/errors';
import { AZURE_ALERT_COLUMNS, analyticsMatchRegex } from '../../lib/durable/analytics';
import type { DurableAnalyticsProps } from '../../lib/durable/analytics-props';
import { renderReportMarkdown } from '../../lib/report/markdown';
import { planStack, requiredSecrets } from '../../lib/stack/plan';
import type { DetectionStackProps } from '../../lib/stack/props';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type K8sObject = any;
const synth = (props: DetectionStackProps) => {
  const chart = new DetectionStack(Testing.app(), 'test', props);
  return { chart, shipper: chart.plan.durable!.shipper!, objects: chart.toJson() as K8sObject[] };
};
const outputs = (conf: string): string[][] => conf.split('\n\n')
  .filter((s) => s.startsWith('[OUTPUT]'))
  .map((s) => s.split('\n').slice(1).filter(Boolean).map((l) => l.trim().replace(/\s+/, ' ')));
const analyticsOutputs = (conf: string) => outputs(conf).filter((o) => o.some((l) => l.startsWith('Alias analytics-')));
const daemonSet = (objects: K8sObject[]) => objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'alert-shipper');
const ALERTS_ONLY = 'Match_Regex ^alerts\\.(falco)$';

const withAnalytics = (base: string, analytics: DurableAnalyticsProps): DetectionStackProps => {
  const b = ANALYTICS_STACKS[base];
  return { ...b, durable: { ...b.durable, analytics } };
};
const failure = (props: DetectionStackProps): DetectionStackError => {
  try {
    synth(props);
  } catch (e) {
    return e as DetectionStackError;
  }
  throw new Error('expected the stack to be refused');
};

describe('analytics destinations beside the bucket', () => {
  test('OCI Logging Analytics: oracle_log_analytics over TLS, the OCI config file in the ConfigMap, the API key from a Secret file', () => {
    const { shipper, objects } = synth(ANALYTICS_STACKS['oke-analytics']);
    const [la] = analyticsOutputs(shipper.files['fluent-bit.conf']);
    expect(la).toEqual([
      'Name oracle_log_analytics', 'Alias analytics-oci-log-analytics', 'Match oci-la.*',
      'config_file_location /fluent-bit/etc/oci-config', 'profile_name DEFAULT', 'namespace axyzexample',
      `oci_la_log_group_id ${OCI_LA.logGroupId}`, 'oci_la_log_source_name Detection Stack Alerts',
      'oci_la_global_metadata cluster prod-oke', 'oci_la_global_metadata node_name ${NODE_NAME}', 'tls On', 'tls.verify On', 'Retry_Limit no_limits', 'storage.total_limit_size 2G',
    ]);
    // The output sends only a record's `log` string: a copy of each raw Falco alert line, taken before it is parsed.
    const filters = shipper.files['fluent-bit.conf'].split('\n\n').filter((x) => x.startsWith('[FILTER]'))
      .map((x) => x.split('\n').slice(1).map((l) => l.trim().replace(/\s+/, ' ')));
    expect(filters[0]).toEqual(['Name rewrite_tag', 'Match alerts.falco', 'Rule $log ^\\{.*.rule.:. oci-la.falco true', 'Emitter_Name oci-la-falco',
      'Emitter_Storage.type filesystem']);
    expect(filters[1][0]).toBe('Name parser');
    expect(shipper.files['oci-config']).toBe([
      '[DEFAULT]', `user=${OCI_LA.apiKey.user}`, `fingerprint=${OCI_LA.apiKey.fingerprint}`, `tenancy=${OCI_LA.apiKey.tenancy}`,
      'region=eu-frankfurt-1', 'key_file=/fluent-bit/secrets/oci-log-analytics/key.pem', '',
    ].join('\n'));
    const pod = daemonSet(objects).spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'analytics-secret-0', secret: { secretName: 'oci-log-analytics', defaultMode: 0o400, items: [{ key: 'key.pem', path: 'key.pem' }] } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'analytics-secret-0', mountPath: '/fluent-bit/secrets/oci-log-analytics', readOnly: true });
    // The key is a file: no env var carries it, and nothing of it is in the ConfigMap.
    expect(JSON.stringify(pod.containers[0].env)).not.toContain('oci-log-analytics');
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'alert-shipper-config');
    expect(Object.keys(config.data).sort()).toEqual(['fluent-bit.conf', 'oci-config', 'parsers.conf']);
  });

  test('OCI Streaming: the kafka output with SASL/PLAIN over TLS, the auth token from a Secret env var, egress to 9092', () => {
    const { shipper, objects } = synth(ANALYTICS_STACKS['oke-analytics']);
    const [, kafka] = analyticsOutputs(shipper.files['fluent-bit.conf']);
    expect(kafka).toEqual([
      'Name kafka', 'Alias analytics-oci-streaming', ALERTS_ONLY, 'brokers streaming.eu-frankfurt-1.oci.oraclecloud.com:9092', 'topics detections',
      'format json', 'rdkafka.security.protocol SASL_SSL', 'rdkafka.sasl.mechanisms PLAIN',
      `rdkafka.sasl.username acme/Default/alert-shipper/${OCI_STREAMING.streamPoolId}`, 'rdkafka.sasl.password ${OCI_STREAMING_AUTH_TOKEN}',
      'rdkafka.ssl.endpoint.identification.algorithm https', 'rdkafka.enable.idempotence false', 'rdkafka.request.required.acks -1',
      'rdkafka.queue.buffering.max.kbytes 16384', 'rdkafka.message.timeout.ms 0', 'Retry_Limit no_limits', 'storage.total_limit_size 2G',
    ]);
    const env = daemonSet(objects).spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'OCI_STREAMING_AUTH_TOKEN', valueFrom: { secretKeyRef: { name: 'oci-streaming', key: 'auth-token', optional: false } } });
    expect(shipper.egress).toContainEqual({ kind: 'external', port: 9092, protocol: 'TCP' });
    // The Pulumi path creates every Secret key the stack reads: both OCI credentials are among them.
    expect(requiredSecrets(synth(ANALYTICS_STACKS['oke-analytics']).chart.plan).map((u) => `${u.secret.name}/${u.secret.key} ${u.where}`)).toEqual(expect.arrayContaining([
      'oci-streaming/auth-token test/durable.analytics.ociStreaming.authToken',
      'oci-log-analytics/key.pem test/durable.analytics.ociLoggingAnalytics.apiKey.privateKey',
    ]));
  });

  test('CloudWatch Logs: the shipper\'s own identity, one stream per node and source, the group never auto-created', () => {
    const { shipper } = synth(ANALYTICS_STACKS['eks-analytics']);
    expect(analyticsOutputs(shipper.files['fluent-bit.conf'])).toEqual([[
      'Name cloudwatch_logs', 'Alias analytics-cloudwatch-logs', ALERTS_ONLY, 'region eu-west-1', 'log_group_name /detection-stack/prod-eks/alerts',
      'log_stream_prefix ${NODE_NAME}.', 'auto_create_group Off', 'Retry_Limit no_limits', 'storage.total_limit_size 2G',
    ]]);
    expect(shipper.analytics?.destinations).toEqual([{ kind: 'cloudwatch-logs', region: 'eu-west-1', logGroupName: '/detection-stack/prod-eks/alerts', retentionDays: 400 }]);
    expect(shipper.secretEnv).toEqual([]);
  });

  test('Azure Logs Ingestion: client secret from a Secret, the stream Custom-<table>, endpoint and rule given', () => {
    const { shipper, objects } = synth(ANALYTICS_STACKS['aks-analytics']);
    expect(analyticsOutputs(shipper.files['fluent-bit.conf'])).toEqual([[
      'Name azure_logs_ingestion', 'Alias analytics-azure-logs-ingestion', ALERTS_ONLY, `tenant_id ${AZURE_LOGS.tenantId}`, `client_id ${AZURE_LOGS.clientId}`,
      'client_secret ${AZURE_LOGS_CLIENT_SECRET}', 'dce_url https://detections-ab12.westeurope-1.ingest.monitor.azure.com',
      'dcr_id dcr-0123456789abcdef0123456789abcdef', 'table_name DetectionStackAlerts_CL', 'time_generated On', 'time_key TimeGenerated',
      'compress On', 'Retry_Limit no_limits', 'storage.total_limit_size 2G',
    ]]);
    expect(shipper.analytics?.destinations[0]).toMatchObject({ stream: 'Custom-DetectionStackAlerts_CL' });
    const env = daemonSet(objects).spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'AZURE_LOGS_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'azure-logs', key: 'client-secret', optional: false } } });
    expect(env.map((e: { name: string }) => e.name)).not.toContain('AZURE_LOGS_DCE_URL');
  });

  test('Azure Logs Ingestion with dataCollection \'pulumi\': endpoint and rule read from env vars the Pulumi path sets', () => {
    const { shipper, objects } = synth(ANALYTICS_STACKS['aks-analytics-pulumi']);
    const [out] = analyticsOutputs(shipper.files['fluent-bit.conf']);
    expect(out).toEqual(expect.arrayContaining(['dce_url ${AZURE_LOGS_DCE_URL}', 'dcr_id ${AZURE_LOGS_DCR_ID}', 'table_name Alerts_CL']));
    const env = daemonSet(objects).spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([{ name: 'AZURE_LOGS_DCE_URL', value: 'set-by-pulumi' }, { name: 'AZURE_LOGS_DCR_ID', value: 'set-by-pulumi' }]));
  });

  test('analytics get alerts only: Falco\'s alert sources and the Tetragon alerts, never the raw Tetragon events', () => {
    const regex = new RegExp(analyticsMatchRegex(['falco', 'k8s-audit'], true));
    expect(['alerts.falco', 'alerts.k8s-audit', 'alerts.tetragon-alerts.shell-in-pod'].filter((t) => regex.test(t))).toHaveLength(3);
    expect(['alerts.tetragon', 'alerts.falcox', 'alerts.extra', 'routes.tetragon', 'alerts.tetragon-alerts.'].filter((t) => regex.test(t))).toEqual([]);
    expect(new RegExp(analyticsMatchRegex(['falco'], false)).test('alerts.tetragon-alerts.x')).toBe(false);
  });

  test('the Logs Ingestion columns cover every key of a Falco alert as the shipper sends it', () => {
    const alert = { time: '2026-01-01T00:00:00.000000000Z', rule: 'r', priority: 'Warning', source: 'syscall', output: 'o', hostname: 'h', tags: [], output_fields: {}, uuid: 'u' };
    const shipped = { ...alert, cluster: 'c', node_name: 'n', TimeGenerated: 't' };
    expect(Object.keys(shipped).filter((k) => !AZURE_ALERT_COLUMNS.some((c) => c.name === k))).toEqual([]);
  });

  test('no analytics: no analytics output, file, env or volume', () => {
    const b = ANALYTICS_STACKS['eks-analytics'];
    const { shipper } = synth({ ...b, durable: { bucket: b.durable!.bucket } });
    expect(shipper.analytics).toBeUndefined();
    expect(analyticsOutputs(shipper.files['fluent-bit.conf'])).toEqual([]);
    expect(Object.keys(shipper.files).sort()).toEqual(['fluent-bit.conf', 'parsers.conf']);
  });
});

describe('bad analytics settings are refused with the prop path, and no value can change the config\'s structure', () => {
  test.each([
    ['a log source name with a newline', { ociLoggingAnalytics: { ...OCI_LA, logSourceName: 'x\n[OUTPUT]' } }, 'DS-DURABLE-048', 'ociLoggingAnalytics.logSourceName'],
    ['a log group that is not an OCID', { ociLoggingAnalytics: { ...OCI_LA, logGroupId: 'my-group' } }, 'DS-DURABLE-048', 'ociLoggingAnalytics.logGroupId'],
    ['a fingerprint in upper case', { ociLoggingAnalytics: { ...OCI_LA, apiKey: { ...OCI_LA.apiKey, fingerprint: OCI_LA.apiKey.fingerprint.toUpperCase() } } },
      'DS-DURABLE-048', 'ociLoggingAnalytics.apiKey.fingerprint'],
    ['a user OCID with an env reference', { ociLoggingAnalytics: { ...OCI_LA, apiKey: { ...OCI_LA.apiKey, user: 'ocid1.user.oc1..${HOME}' } } },
      'DS-DURABLE-048', 'ociLoggingAnalytics.apiKey.user'],
    ['a private key Secret with a bad name', { ociLoggingAnalytics: { ...OCI_LA, apiKey: { ...OCI_LA.apiKey, privateKey: { name: 'Bad_Name', key: 'k' } } } },
      'DS-ROUTE-002', 'ociLoggingAnalytics.apiKey.privateKey'],
    ['a stream pool that is not an OCID', { ociStreaming: { ...OCI_STREAMING, streamPoolId: 'pool' } }, 'DS-DURABLE-049', 'ociStreaming.streamPoolId'],
    ['a SASL user with the pool already in it', { ociStreaming: { ...OCI_STREAMING, user: 'acme/Default/me/pool' } }, 'DS-DURABLE-049', 'ociStreaming.user'],
    ['a stream with a space', { ociStreaming: { ...OCI_STREAMING, stream: 'my stream' } }, 'DS-DURABLE-049', 'ociStreaming.stream'],
    ['a bootstrap server without a port', { ociStreaming: { ...OCI_STREAMING, bootstrapServer: 'cell-1.streaming.example.com' } }, 'DS-DURABLE-049', 'ociStreaming.bootstrapServer'],
  ] as const)('OKE: %s', (_what, analytics, code, prop) => {
    const e = failure(withAnalytics('oke-analytics', analytics as DurableAnalyticsProps));
    expect(e.code).toBe(code);
    expect(e.where).toBe(`test/durable.analytics.${prop}`);
  });

  test.each([
    ['a retention CloudWatch does not offer', { cloudWatchLogs: { retentionDays: 100 } }, 'DS-DURABLE-050', 'cloudWatchLogs.retentionDays'],
    ['a log group name with a space', { cloudWatchLogs: { logGroupName: '/a b' } }, 'DS-DURABLE-050', 'cloudWatchLogs.logGroupName'],
  ] as const)('EKS: %s', (_what, analytics, code, prop) => {
    const e = failure(withAnalytics('eks-analytics', analytics));
    expect(e.code).toBe(code);
    expect(e.where).toBe(`test/durable.analytics.${prop}`);
  });

  test('CloudWatch Logs on AKS is refused: only EKS gives the shipper an AWS identity', () => {
    const e = failure(withAnalytics('aks-analytics', { cloudWatchLogs: {} }));
    expect(e.code).toBe('DS-DURABLE-051');
    expect(e.where).toBe('test/durable.analytics.cloudWatchLogs');
    expect(e.fix).toContain('azureLogsIngestion');
  });

  test.each([
    ['a tenant that is not a GUID', { ...AZURE_LOGS, tenantId: 'contoso.onmicrosoft.com' }, 'azureLogsIngestion.tenantId'],
    ['a table without _CL', { ...AZURE_LOGS, table: 'Alerts' }, 'azureLogsIngestion.table'],
    ['an endpoint over http', { ...AZURE_LOGS, dataCollection: { ...AZURE_LOGS.dataCollection as object, endpointUrl: 'http://x.westeurope-1.ingest.monitor.azure.com' } },
      'azureLogsIngestion.dataCollection.endpointUrl'],
    ['the rule\'s resource id instead of its immutable id',
      { ...AZURE_LOGS, dataCollection: { endpointUrl: 'https://x.westeurope-1.ingest.monitor.azure.com', ruleImmutableId: '/subscriptions/x/dataCollectionRules/y' } },
      'azureLogsIngestion.dataCollection.ruleImmutableId'],
  ] as const)('AKS: %s', (_what, azureLogsIngestion, prop) => {
    const e = failure(withAnalytics('aks-analytics', { azureLogsIngestion } as DurableAnalyticsProps));
    expect(e.code).toBe('DS-DURABLE-052');
    expect(e.where).toBe(`test/durable.analytics.${prop}`);
  });

  test('an unknown analytics key is refused with the closest one', () => {
    const e = failure(withAnalytics('eks-analytics', { cloudwatchLogs: {} } as unknown as DurableAnalyticsProps));
    expect(e.problem).toMatch(/'cloudwatchLogs' is not a prop of DurableAnalyticsProps \(did you mean 'cloudWatchLogs'\?\)/);
  });
});

describe('Tetragon alerts in the analytics, as REPORT.md says', () => {
  const md = (name: string) => renderReportMarkdown(planStack(TETRAGON_ANALYTICS_STACKS[name], name));

  test('OKE: OCI Streaming takes them, OCI Logging Analytics cannot, and the report says so with where to read them', () => {
    const report = md('oke-analytics-tetragon');
    expect(report).toContain('- Tetragon\'s alerts, with their owner and investigation fields, reach: oci-streaming.');
    expect(report).toContain('- oci-log-analytics does not receive Tetragon\'s alerts: Fluent Bit 5.1.1\'s oracle_log_analytics output sends only a record\'s `log` string');
  });

  test('EKS and AKS: every destination takes them; without Tetragon the report has no such section', () => {
    expect(md('eks-analytics-tetragon')).toContain('reach: cloudwatch-logs.');
    expect(md('aks-analytics-tetragon')).toContain('reach: azure-logs-ingestion.');
    expect(md('aks-analytics-tetragon')).not.toContain('does not receive');
    expect(renderReportMarkdown(planStack(ANALYTICS_STACKS['oke-analytics'], 'oke'))).not.toContain('Tetragon alerts in the analytics');
  });
});

