import { stringify } from 'yaml';
import type { SidekickOutputsProps, SidekickProps } from './props';
import { requireDestinationUrl, requireEmail, requireHostPort } from './validate';
import { CLOUDWATCH_RETENTION_DAYS } from '../core/cloudwatch';
import type { PlanContext } from '../core/context';
import { dedupeEgress, EgressPlan, EKS_POD_IDENTITY_AGENT, NetworkDestination } from '../core/egress';
import { DetectionStackError } from '../core/errors';
import { IMAGE_PINS, imageReference } from '../core/images';
import { requireReason } from '../core/opt-out';
import type { FalcoPriority } from '../core/priorities';
import { requirePriority, sidekickPriority } from '../core/priorities';
import { SecretUse, isSecretKeyRef, requireSecretRef } from '../core/secrets';
import type { SecretEnvPlan, SecretKeyRef } from '../core/secrets';
import {
  configChecksum, CONFIG_CHECKSUM_ANNOTATION, DNS_EGRESS_RULE, egressRules, hardenedContainer, PodPeerPlan, ProbePlan, ResourcesPlan,
  secretEnvVars, WorkloadPlan,
} from '../core/workload';

export const SIDEKICK_NAME = 'falcosidekick';
export const SIDEKICK_PORT = 2801;

/** A chat destination and the lowest priority it receives, for the chat-threshold guardrail. */
export interface ChatDestinationPlan {
  readonly where: string;
  readonly kind: 'slack' | 'teams';
  readonly minimumPriority: FalcoPriority;
  readonly allowedBelowThresholdBecause?: string;
}

/** Alertmanager instances Falcosidekick posts to (wired by the team routing). */
export interface AlertmanagerTarget {
  readonly urls: readonly string[];
  readonly minimumPriority: FalcoPriority;
  /** Labels added to every alert (e.g. the `namespace` prometheus-operator matches on). */
  readonly extraLabels: Readonly<Record<string, string>>;
  /** Pods of the bundled Alertmanager, for the egress rule. @default none: an external Alertmanager */
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly port: number;
}

/**
 * Falcosidekick as plain data: what it forwards and where; its Deployment (name, namespace, image, labels, replicas,
 * resources, ServiceAccount) is `workload`, the one place those are kept.
 */
export interface SidekickPlan {
  readonly port: number;
  /** Where Falco's `http_output` posts. */
  readonly url: string;
  /** Labels of the pods allowed to post alerts (the stack's Falco instances); empty: no ingress (no Falco in the stack). */
  readonly clients: readonly PodPeerPlan[];
  /** config.yaml (non-secret settings only). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Credentials, as env vars from Secrets. */
  readonly secretEnv: readonly SecretEnvPlan[];
  /** Names of the enabled outputs. */
  readonly outputs: readonly string[];
  readonly egress: readonly EgressPlan[];
  readonly chatDestinations: readonly ChatDestinationPlan[];
  /** config.yaml as mounted. */
  readonly configYaml: string;
  readonly workload: WorkloadPlan;
  /** The AWS side of the aws.* outputs, for the back ends that create it (Pulumi: the log group, the Pod Identity role). */
  readonly aws?: SidekickAwsPlan;
}

/** What Falcosidekick's aws.* outputs need of the account. */
export interface SidekickAwsPlan {
  readonly region: string;
  /** The IRSA role the stack names; absent: EKS Pod Identity binds a role to the ServiceAccount. */
  readonly roleArn?: string;
  readonly cloudWatchLogs?: {
    readonly logGroupName: string;
    /** The configured stream (it must exist: Falcosidekick creates only its default one). */
    readonly logStream?: string;
    readonly retentionDays: number;
  };
  readonly s3?: { readonly bucket: string; readonly prefix: string };
}

/**
 * The stream Falcosidekick 2.34.1 creates and writes when no `aws.cloudwatchlogs.logstream` is set
 * (outputs/aws.go PutCloudWatchLog: CreateLogStream `falcosidekick-logstream`, ResourceAlreadyExists reused).
 */
export const SIDEKICK_DEFAULT_LOG_STREAM = 'falcosidekick-logstream';

/** Falcosidekick reads every key from the environment too: viper maps `a.b.c` to `A_B_C`. */
export function sidekickEnvName(configKey: string): string {
  return configKey.replace(/\./g, '_').toUpperCase();
}

class SidekickBuilder {
  readonly config: Record<string, unknown> = {};
  readonly secretEnv: SecretEnvPlan[] = [];
  readonly egress: EgressPlan[] = [];
  readonly outputs: string[] = [];
  readonly chat: ChatDestinationPlan[] = [];
  aws?: SidekickAwsPlan;

  constructor(private readonly ctx: PlanContext) {}

  section(path: string): Record<string, unknown> {
    let node = this.config;
    for (const part of path.split('.')) {
      node[part] = node[part] ?? {};
      node = node[part] as Record<string, unknown>;
    }
    return node;
  }

  secret(configKey: string, ref: SecretKeyRef, where: string): void {
    this.secretEnv.push({ env: sidekickEnvName(configKey), secret: requireSecretRef(where, ref), where });
  }

  destination(dest: NetworkDestination, protocol: 'TCP' | 'UDP' = 'TCP'): void {
    this.egress.push(dest.inCluster
      ? { kind: 'namespace', namespace: dest.namespace ?? this.ctx.namespace }
      : { kind: 'external', port: dest.port, protocol });
  }

  external(port: number, protocol: 'TCP' | 'UDP' = 'TCP'): void {
    this.egress.push({ kind: 'external', port, protocol });
  }
}

/**
 * `checkcert: true` where the output speaks TLS: an https:// URL, or one from a Secret (its egress is 443). A plain
 * http:// URL (in-cluster, or with allowInsecureHttp) has no certificate to check, so the key is not written there
 * (Falcosidekick 2.34.1 reads it only for TLS: outputs/client.go, InsecureSkipVerify when it is false).
 */
function checkCert(section: Record<string, unknown>, url: string | SecretKeyRef): void {
  if (typeof url !== 'string' || !url.startsWith('http://')) section.checkcert = true;
}

function minimum(where: string, value: FalcoPriority | undefined, fallback: FalcoPriority): FalcoPriority {
  return requirePriority(`${where}.minimumPriority`, value ?? fallback);
}

function plaintextAllowed(where: string, optOut: { reason: string } | undefined, dest: NetworkDestination, what: string): void {
  requireReason(`${where}.allowPlaintext`, optOut);
  if (!dest.inCluster && !optOut) {
    throw new DetectionStackError('DS-ROUTE-013', where, `${what} '${dest.host}' is outside the cluster and would be reached in clear text`,
      'use TLS, an in-cluster Service address, or set allowPlaintext: { reason }');
  }
}

/**
 * Resolves Falcosidekick's outputs into its config.yaml, the Secret-backed env vars and the egress it needs.
 * Keys are Falcosidekick's own (config.go / config_example.yaml of falcosecurity/falcosidekick).
 */
export function planSidekick(props: SidekickProps, ctx: PlanContext, chatThreshold: FalcoPriority,
  alertmanager: AlertmanagerTarget | undefined, where: string, clients: readonly PodPeerPlan[] = []): SidekickPlan {
  const replicas = props.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 2) {
    throw new DetectionStackError('DS-ROUTE-007', `${where}.replicas`, `replicas ${replicas} leaves no Falcosidekick while one is drained`,
      'run at least 2 replicas (a PodDisruptionBudget keeps one up)');
  }
  const b = new SidekickBuilder(ctx);
  b.config.listenport = SIDEKICK_PORT;
  b.config.debug = false;
  b.config.customfields = { cluster: ctx.cluster.name };
  const outputs: SidekickOutputsProps = props.outputs ?? {};
  const ow = `${where}.outputs`;
  const ns = ctx.namespace;

  if (outputs.webhook) {
    const o = outputs.webhook; const w = `${ow}.webhook`;
    const s = b.section('webhook');
    if (isSecretKeyRef(o.address)) {
      b.secret('webhook.address', o.address, `${w}.address`);
      b.external(443);
    } else {
      b.destination(requireDestinationUrl(`${w}.address`, o.address, ns, o.allowInsecureHttp));
      s.address = o.address;
    }
    s.method = o.method ?? 'POST';
    checkCert(s, o.address);
    s.minimumpriority = sidekickPriority(minimum(w, o.minimumPriority, 'Debug'));
    if (o.customHeaders) b.secret('webhook.customheaders', o.customHeaders, `${w}.customHeaders`);
    b.outputs.push('webhook');
  }
  if (outputs.slack) {
    const o = outputs.slack; const w = `${ow}.slack`;
    requireReason(`${w}.allowBelowChatThreshold`, o.allowBelowChatThreshold);
    const p = minimum(w, o.minimumPriority, chatThreshold);
    const s = b.section('slack');
    b.secret('slack.webhookurl', o.webhookUrl, `${w}.webhookUrl`);
    if (o.channel) s.channel = o.channel;
    s.outputformat = o.outputFormat ?? 'all';
    s.minimumpriority = sidekickPriority(p);
    b.external(443);
    b.chat.push({ where: w, kind: 'slack', minimumPriority: p, allowedBelowThresholdBecause: o.allowBelowChatThreshold?.reason });
    b.outputs.push('slack');
  }
  if (outputs.teams) {
    const o = outputs.teams; const w = `${ow}.teams`;
    requireReason(`${w}.allowBelowChatThreshold`, o.allowBelowChatThreshold);
    const p = minimum(w, o.minimumPriority, chatThreshold);
    const s = b.section('teams');
    b.secret('teams.webhookurl', o.webhookUrl, `${w}.webhookUrl`);
    s.outputformat = o.outputFormat ?? 'all';
    s.minimumpriority = sidekickPriority(p);
    b.external(443);
    b.chat.push({ where: w, kind: 'teams', minimumPriority: p, allowedBelowThresholdBecause: o.allowBelowChatThreshold?.reason });
    b.outputs.push('teams');
  }
  if (outputs.smtp) {
    const o = outputs.smtp; const w = `${ow}.smtp`;
    const dest = requireHostPort(`${w}.hostPort`, o.hostPort, ns);
    if (o.allowPlaintext) plaintextAllowed(w, o.allowPlaintext, dest, 'SMTP server');
    if (o.to.length === 0) {
      throw new DetectionStackError('DS-ROUTE-011', `${w}.to`, 'no recipient', 'list at least one recipient address');
    }
    const s = b.section('smtp');
    s.hostport = o.hostPort;
    s.tls = !o.allowPlaintext;
    s.from = requireEmail(`${w}.from`, o.from);
    s.to = o.to.map((t, i) => requireEmail(`${w}.to[${i}]`, t)).join(',');
    s.authmechanism = o.authMechanism ?? 'plain';
    if (o.user) s.user = o.user;
    if (o.password) b.secret('smtp.password', o.password, `${w}.password`);
    if (o.token) b.secret('smtp.token', o.token, `${w}.token`);
    s.outputformat = o.outputFormat ?? 'html';
    s.minimumpriority = sidekickPriority(minimum(w, o.minimumPriority, 'Debug'));
    b.destination(dest);
    b.outputs.push('smtp');
  }
  if (outputs.loki) {
    const o = outputs.loki; const w = `${ow}.loki`;
    b.destination(requireDestinationUrl(`${w}.hostPort`, o.hostPort, ns, o.allowInsecureHttp));
    const s = b.section('loki');
    s.hostport = o.hostPort;
    if (o.user) s.user = o.user;
    if (o.apiKey) b.secret('loki.apikey', o.apiKey, `${w}.apiKey`);
    if (o.tenant) s.tenant = o.tenant;
    s.format = o.format ?? 'json';
    if (o.extraLabels?.length) s.extralabels = o.extraLabels.join(',');
    checkCert(s, o.hostPort);
    s.minimumpriority = sidekickPriority(minimum(w, o.minimumPriority, 'Debug'));
    b.outputs.push('loki');
  }
  if (outputs.elasticsearch) {
    const o = outputs.elasticsearch; const w = `${ow}.elasticsearch`;
    b.destination(requireDestinationUrl(`${w}.hostPort`, o.hostPort, ns, o.allowInsecureHttp));
    const s = b.section('elasticsearch');
    s.hostport = o.hostPort;
    s.index = o.index ?? 'falco';
    s.suffix = o.suffix ?? 'daily';
    if (o.username) s.username = o.username;
    if (o.password) b.secret('elasticsearch.password', o.password, `${w}.password`);
    if (o.apiKey) b.secret('elasticsearch.apikey', o.apiKey, `${w}.apiKey`);
    if (o.pipeline) s.pipeline = o.pipeline;
    checkCert(s, o.hostPort);
    s.minimumpriority = sidekickPriority(minimum(w, o.minimumPriority, 'Debug'));
    b.outputs.push('elasticsearch');
  }
  if (outputs.awsS3 || outputs.awsCloudWatchLogs) {
    if (!props.aws) {
      throw new DetectionStackError('DS-ROUTE-010', `${where}.aws`, 'an aws.* output is set but Falcosidekick has no AWS identity',
        'set sidekick.aws.roleArn (IRSA), or sidekick.aws: {} when an EKS Pod Identity association exists for the falcosidekick ServiceAccount');
    }
    const region = props.aws.region ?? ctx.cluster.region;
    if (!region) {
      throw new DetectionStackError('DS-ROUTE-028', `${where}.aws.region`, 'the AWS outputs have no region', 'set cluster.region or sidekick.aws.region');
    }
    b.section('aws').region = region;
    b.aws = { region, ...(props.aws.roleArn ? { roleArn: props.aws.roleArn } : {}) };
    b.external(443);
    if (!props.aws.roleArn) b.egress.push(...EKS_POD_IDENTITY_AGENT);
  }
  if (outputs.awsS3) {
    const o = outputs.awsS3; const w = `${ow}.awsS3`;
    const s = b.section('aws.s3');
    s.bucket = o.bucket;
    s.prefix = o.prefix ?? 'falco';
    b.aws = { ...b.aws!, s3: { bucket: o.bucket, prefix: s.prefix as string } };
    if (o.endpoint) {
      b.destination(requireDestinationUrl(`${w}.endpoint`, o.endpoint, ns));
      s.endpoint = o.endpoint;
    }
    s.minimumpriority = sidekickPriority(minimum(w, o.minimumPriority, 'Debug'));
    b.outputs.push('aws.s3');
  }
  if (outputs.awsCloudWatchLogs) {
    const o = outputs.awsCloudWatchLogs; const w = `${ow}.awsCloudWatchLogs`;
    if (!/^[A-Za-z0-9_./#-]{1,512}$/.test(o.logGroup)) {
      throw new DetectionStackError('DS-ROUTE-015', `${w}.logGroup`, `'${o.logGroup}' is not a log group name`, 'use 1-512 letters, digits, \'_\', \'-\', \'/\', \'.\' or \'#\'');
    }
    if (o.logStream !== undefined && !/^[^:*]{1,512}$/.test(o.logStream)) {
      throw new DetectionStackError('DS-ROUTE-015', `${w}.logStream`, `'${o.logStream}' is not a log stream name`, 'use 1-512 characters without \':\' or \'*\', or leave logStream out');
    }
    const retentionDays = o.retentionDays ?? 365;
    if (!(CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(retentionDays)) {
      throw new DetectionStackError('DS-ROUTE-015', `${w}.retentionDays`, `${retentionDays} is not a CloudWatch Logs retention`, `use one of ${CLOUDWATCH_RETENTION_DAYS.join(', ')}`);
    }
    const s = b.section('aws.cloudwatchlogs');
    s.loggroup = o.logGroup;
    if (o.logStream) s.logstream = o.logStream;
    b.aws = { ...b.aws!, cloudWatchLogs: { logGroupName: o.logGroup, ...(o.logStream ? { logStream: o.logStream } : {}), retentionDays } };
    s.minimumpriority = sidekickPriority(minimum(w, o.minimumPriority, 'Debug'));
    b.outputs.push('aws.cloudwatchlogs');
  }
  if (outputs.azureEventHubs) {
    const o = outputs.azureEventHubs; const w = `${ow}.azureEventHubs`;
    if (!props.azure?.workloadIdentityClientId) {
      throw new DetectionStackError('DS-ROUTE-010', `${where}.azure`, 'the Event Hubs output is set but Falcosidekick has no Azure identity',
        'set sidekick.azure.workloadIdentityClientId to a managed identity federated with the falcosidekick ServiceAccount');
    }
    const s = b.section('azure.eventHub');
    s.namespace = o.namespace;
    s.name = o.name;
    s.minimumpriority = sidekickPriority(minimum(w, o.minimumPriority, 'Debug'));
    b.external(443); // Microsoft Entra ID tokens and AMQP over WebSockets
    b.external(5671); // AMQP over TLS
    b.outputs.push('azure.eventHub');
  }
  if (outputs.kafka) {
    const o = outputs.kafka; const w = `${ow}.kafka`;
    if (o.brokers.length === 0) {
      throw new DetectionStackError('DS-ROUTE-024', `${w}.brokers`, 'no broker', 'list the bootstrap brokers as host:port');
    }
    const brokers = o.brokers.map((h, i) => requireHostPort(`${w}.brokers[${i}]`, h, ns, 9092));
    if (o.allowPlaintext) brokers.forEach((d, i) => plaintextAllowed(`${w}.brokers[${i}]`, o.allowPlaintext, d, 'broker'));
    const s = b.section('kafka');
    s.hostport = o.brokers.join(',');
    s.topic = o.topic;
    s.tls = !o.allowPlaintext;
    if (o.sasl) s.sasl = o.sasl;
    if (o.username) s.username = o.username;
    if (o.password) b.secret('kafka.password', o.password, `${w}.password`);
    s.requiredacks = o.requiredAcks ?? 'ALL';
    s.compression = o.compression ?? 'NONE';
    s.minimumpriority = sidekickPriority(minimum(w, o.minimumPriority, 'Debug'));
    brokers.forEach((d) => b.destination(d));
    b.outputs.push('kafka');
  }
  if (outputs.alertmanager && alertmanager) {
    throw new DetectionStackError('DS-ROUTE-025', `${ow}.alertmanager`, 'the team routing already feeds an Alertmanager',
      'remove sidekick.outputs.alertmanager, or use routing.alertmanager.mode \'operator\' to route teams through an existing Alertmanager');
  }
  if (outputs.alertmanager) {
    const o = outputs.alertmanager; const w = `${ow}.alertmanager`;
    o.hostPorts.forEach((u, i) => b.destination(requireDestinationUrl(`${w}.hostPorts[${i}]`, u, ns, o.allowInsecureHttp)));
    const s = b.section('alertmanager');
    s.hostport = o.hostPorts.join(',');
    s.endpoint = '/api/v2/alerts';
    s.checkcert = true;
    s.minimumpriority = sidekickPriority(minimum(w, o.minimumPriority, 'Debug'));
    b.outputs.push('alertmanager');
  } else if (alertmanager) {
    const s = b.section('alertmanager');
    s.hostport = alertmanager.urls.join(',');
    s.endpoint = '/api/v2/alerts';
    s.checkcert = true;
    s.minimumpriority = sidekickPriority(alertmanager.minimumPriority);
    // A map in config.yaml: falcosidekick 2.34.1 decodes `alertmanager.extralabels` into map[string]string
    // (types/types.go AlertmanagerOutputConfig.ExtraLabels); only the ALERTMANAGER_EXTRALABELS env var is a "k:v,..." list.
    if (Object.keys(alertmanager.extraLabels).length) s.extralabels = { ...alertmanager.extraLabels };
    if (alertmanager.podLabels) {
      b.egress.push({ kind: 'pods', podLabels: alertmanager.podLabels, port: alertmanager.port, protocol: 'TCP' });
    } else {
      alertmanager.urls.forEach((u, i) => b.destination(requireDestinationUrl(`${ctx.path}/routing.alertmanager.operator.alertmanagerUrls[${i}]`, u, ns)));
    }
    b.outputs.push('alertmanager');
  }
  if (outputs.pagerduty) {
    const o = outputs.pagerduty; const w = `${ow}.pagerduty`;
    const s = b.section('pagerduty');
    b.secret('pagerduty.routingkey', o.routingKey, `${w}.routingKey`);
    s.region = o.region ?? 'us';
    s.minimumpriority = sidekickPriority(minimum(w, o.minimumPriority, 'Debug'));
    b.external(443);
    b.outputs.push('pagerduty');
  }
  if (outputs.opsgenie) {
    const o = outputs.opsgenie; const w = `${ow}.opsgenie`;
    const s = b.section('opsgenie');
    b.secret('opsgenie.apikey', o.apiKey, `${w}.apiKey`);
    s.region = o.region ?? 'us';
    s.minimumpriority = sidekickPriority(minimum(w, o.minimumPriority, 'Debug'));
    b.external(443);
    b.outputs.push('opsgenie');
  }
  if (outputs.syslog) {
    const o = outputs.syslog; const w = `${ow}.syslog`;
    const dest = requireHostPort(`${w}.host`, `${o.host}:${o.port}`, ns);
    plaintextAllowed(w, o.allowPlaintext, dest, 'syslog host');
    const s = b.section('syslog');
    s.host = o.host;
    s.port = String(o.port);
    s.protocol = o.protocol ?? 'tcp';
    s.format = o.format ?? 'json';
    s.minimumpriority = sidekickPriority(minimum(w, o.minimumPriority, 'Debug'));
    b.destination(dest, o.protocol === 'udp' ? 'UDP' : 'TCP');
    b.outputs.push('syslog');
  }

  const selectorLabels = sidekickSelectorLabels(ctx);
  const podLabels: Record<string, string> = { ...ctx.labels, ...selectorLabels, 'app.kubernetes.io/component': 'routing' };
  const serviceAccountAnnotations: Record<string, string> = {};
  if (props.aws?.roleArn) serviceAccountAnnotations['eks.amazonaws.com/role-arn'] = props.aws.roleArn;
  if (props.azure?.workloadIdentityClientId && outputs.azureEventHubs) {
    serviceAccountAnnotations['azure.workload.identity/client-id'] = props.azure.workloadIdentityClientId;
    podLabels['azure.workload.identity/use'] = 'true';
  }

  const plan: Omit<SidekickPlan, 'workload' | 'configYaml'> = {
    port: SIDEKICK_PORT,
    url: `http://${SIDEKICK_NAME}.${ns}.svc.cluster.local:${SIDEKICK_PORT}/`,
    clients: [...clients],
    config: b.config,
    secretEnv: b.secretEnv,
    outputs: b.outputs,
    egress: dedupeEgress(b.egress),
    chatDestinations: b.chat,
    ...(b.aws ? { aws: b.aws } : {}),
  };
  const configYaml = stringify(plan.config, { lineWidth: 0 });
  const deployment: SidekickDeployment = {
    namespace: ns,
    replicas,
    selectorLabels,
    podLabels,
    serviceAccountAnnotations,
    resources: {
      requests: props.resources?.requests ?? { cpu: '50m', memory: '64Mi' },
      limits: props.resources?.limits ?? { cpu: '500m', memory: '256Mi' },
    },
  };
  return { ...plan, configYaml, workload: sidekickWorkload(plan, deployment, configYaml) };
}

/** What only the Deployment needs; kept in the WorkloadPlan, not beside it. */
interface SidekickDeployment {
  readonly namespace: string;
  readonly replicas: number;
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  readonly resources: ResourcesPlan;
}

/** The labels Falcosidekick's pods are selected by (NetworkPolicy peers of its clients and servers). */
export function sidekickSelectorLabels(ctx: PlanContext): Readonly<Record<string, string>> {
  return { 'app.kubernetes.io/name': SIDEKICK_NAME, 'app.kubernetes.io/instance': ctx.cluster.name.toLowerCase().replace(/_/g, '-') };
}

const SIDEKICK_CONFIG_DIR = '/etc/falcosidekick';
/** The image's user (falcosecurity/falcosidekick Dockerfile: `USER 1234`). */
const SIDEKICK_USER = 1234;

/**
 * ServiceAccount (no token), config.yaml ConfigMap (no secret), Deployment (credentials from Secrets as env),
 * Service, PodDisruptionBudget and NetworkPolicy: only the stack's Falco pods may post alerts.
 */
function sidekickWorkload(plan: Omit<SidekickPlan, 'workload' | 'configYaml'>, d: SidekickDeployment, configYaml: string): WorkloadPlan {
  const name = SIDEKICK_NAME;
  const configName = `${name}-config`;
  const probe = (periodSeconds: number): ProbePlan => ({ httpGet: { path: '/ping', port: 'http' }, periodSeconds, timeoutSeconds: 3, failureThreshold: 3 });
  return {
    kind: 'Deployment',
    name,
    namespace: d.namespace,
    labels: d.podLabels,
    selectorLabels: d.selectorLabels,
    replicas: d.replicas,
    rollout: { type: 'RollingUpdate', maxUnavailable: 0, maxSurge: 1 },
    serviceAccount: { name, automountToken: false, annotations: d.serviceAccountAnnotations },
    configs: [{ kind: 'ConfigMap', name: configName, data: { 'config.yaml': configYaml } }],
    pod: {
      annotations: { [CONFIG_CHECKSUM_ANNOTATION]: configChecksum(configYaml, JSON.stringify(plan.secretEnv)) },
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: SIDEKICK_USER, runAsGroup: SIDEKICK_USER, fsGroup: SIDEKICK_USER, seccompProfile: { type: 'RuntimeDefault' } },
      spreadOverNodes: true,
      containers: [{
        name,
        image: imageReference(IMAGE_PINS.falcosidekick),
        imagePullPolicy: 'IfNotPresent',
        args: ['-c', `${SIDEKICK_CONFIG_DIR}/config.yaml`],
        ports: [{ name: 'http', containerPort: plan.port, protocol: 'TCP' }],
        env: secretEnvVars(plan.secretEnv),
        livenessProbe: probe(10),
        readinessProbe: probe(5),
        resources: d.resources,
        securityContext: hardenedContainer(SIDEKICK_USER),
        volumeMounts: [
          { name: 'config', mountPath: SIDEKICK_CONFIG_DIR, readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: configName } },
        { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
      ],
    },
    services: [{ name, ports: [{ name: 'http', port: plan.port, protocol: 'TCP' }] }],
    minAvailable: 1,
    networkPolicy: {
      // Only the stack's Falco pods post alerts; with no Falco in the stack nothing may connect.
      ingress: plan.clients.length > 0
        ? [{ peers: [...plan.clients], ports: [{ port: plan.port, protocol: 'TCP' }] }]
        : [],
      egress: [DNS_EGRESS_RULE, ...egressRules(plan.egress)],
    },
  };
}

/** Secret uses of the Sidekick plan, for the Pulumi path. */
export function sidekickSecretUses(plan: SidekickPlan): SecretUse[] {
  return plan.secretEnv.map((e) => ({ secret: e.secret, workload: SIDEKICK_NAME, namespace: plan.workload.namespace, where: e.where }));
}
