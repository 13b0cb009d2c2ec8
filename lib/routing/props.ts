import type { NamedOptOut } from '../core/opt-out';
import type { FalcoPriority } from '../core/priorities';
import type { ResourceProps } from '../core/resources';
import type { SecretKeyRef } from '../core/secrets';

/** What every Falcosidekick output has. */
export interface SidekickOutputCommon {
  /** Lowest Falco priority this output receives. @default 'Debug' (chat outputs: the stack's chat threshold) */
  readonly minimumPriority?: FalcoPriority;
}

/** Outputs that speak HTTP(S) to a URL. */
export interface HttpDestinationOptions {
  /** Allow a plain `http://` URL to a host outside the cluster. @default not allowed: https, or an in-cluster address */
  readonly allowInsecureHttp?: NamedOptOut;
}

/** Chat destinations (Slack, Teams) are held to the stack's chat threshold. */
export interface ChatDestinationOptions {
  /** Allow a minimum priority below the stack's chat threshold. @default not allowed (guardrail DS-ROUTE-100) */
  readonly allowBelowChatThreshold?: NamedOptOut;
}

/** Falcosidekick `webhook` output. */
export interface WebhookOutputProps extends SidekickOutputCommon, HttpDestinationOptions {
  /** Target URL: a literal (not a credential) or a Secret key holding it. */
  readonly address: string | SecretKeyRef;
  /** HTTP method. @default 'POST' */
  readonly method?: 'POST' | 'PUT';
  /** Secret key holding custom headers in Falcosidekick's `Name:value,Name:value` form (e.g. an Authorization header). @default none */
  readonly customHeaders?: SecretKeyRef;
}

/** Falcosidekick `slack` output. */
export interface SlackOutputProps extends SidekickOutputCommon, ChatDestinationOptions {
  /** Secret key holding the incoming-webhook URL. */
  readonly webhookUrl: SecretKeyRef;
  /** Channel override. @default the webhook's channel */
  readonly channel?: string;
  /** Message layout. @default 'all' */
  readonly outputFormat?: 'all' | 'text' | 'fields';
}

/** Falcosidekick `teams` output (Microsoft Teams). */
export interface TeamsOutputProps extends SidekickOutputCommon, ChatDestinationOptions {
  /** Secret key holding the Teams webhook URL. */
  readonly webhookUrl: SecretKeyRef;
  /** Message layout. @default 'all' */
  readonly outputFormat?: 'all' | 'text' | 'facts';
}

/** Falcosidekick `smtp` output (e-mail). */
export interface SmtpOutputProps extends SidekickOutputCommon {
  /** `host:port` of the SMTP server. */
  readonly hostPort: string;
  /** Sender address. */
  readonly from: string;
  /** Recipients. */
  readonly to: readonly string[];
  /** SASL mechanism. @default 'plain' */
  readonly authMechanism?: 'plain' | 'oauthbearer' | 'external' | 'anonymous' | 'none';
  /** User for the plain mechanism. @default none */
  readonly user?: string;
  /** Secret key holding the password (plain mechanism). @default none */
  readonly password?: SecretKeyRef;
  /** Secret key holding the OAuth bearer token (oauthbearer mechanism). @default none */
  readonly token?: SecretKeyRef;
  /** Body format. @default 'html' */
  readonly outputFormat?: 'html' | 'text';
  /** Connect without TLS. @default TLS on */
  readonly allowPlaintext?: NamedOptOut;
}

/** Falcosidekick `loki` output. */
export interface LokiOutputProps extends SidekickOutputCommon, HttpDestinationOptions {
  /** Base URL, e.g. `http://loki-gateway.logging.svc.cluster.local`. */
  readonly hostPort: string;
  /** User (Grafana Cloud Logs). @default none */
  readonly user?: string;
  /** Secret key holding the API key. @default none */
  readonly apiKey?: SecretKeyRef;
  /** `X-Scope-OrgID` tenant. @default none */
  readonly tenant?: string;
  /** Log line format. @default 'json' */
  readonly format?: 'json' | 'text';
  /** Output fields added as Loki labels. @default none */
  readonly extraLabels?: readonly string[];
}

/** Falcosidekick `elasticsearch` output. */
export interface ElasticsearchOutputProps extends SidekickOutputCommon, HttpDestinationOptions {
  /** Base URL, e.g. `https://es.example.com:9200`. */
  readonly hostPort: string;
  /** Index name. @default 'falco' */
  readonly index?: string;
  /** Index date suffix. @default 'daily' */
  readonly suffix?: 'daily' | 'monthly' | 'annually' | 'none';
  /** User for basic auth. @default none */
  readonly username?: string;
  /** Secret key holding the basic-auth password. @default none */
  readonly password?: SecretKeyRef;
  /** Secret key holding an API key (instead of basic auth). @default none */
  readonly apiKey?: SecretKeyRef;
  /** Ingest pipeline. @default none */
  readonly pipeline?: string;
}

/** Falcosidekick `aws.s3` output. Not the durable path (see `durable`): Falcosidekick keeps no buffer. */
export interface AwsS3OutputProps extends SidekickOutputCommon {
  readonly bucket: string;
  /** Key prefix. @default 'falco' */
  readonly prefix?: string;
  /** S3-compatible endpoint. @default the AWS endpoint of the region */
  readonly endpoint?: string;
}

/** Falcosidekick `aws.cloudwatchlogs` output. */
export interface AwsCloudWatchLogsOutputProps extends SidekickOutputCommon {
  /** Log group (1-512 letters, digits, '_', '-', '/', '.', '#'). Falcosidekick writes to it and never creates it: the Pulumi path does (EksCloudAudit). */
  readonly logGroup: string;
  /** Log stream. @default Falcosidekick creates `falcosidekick-logstream` */
  readonly logStream?: string;
  /** Days the group keeps events, where the stack creates it (Pulumi path); one of CloudWatch's retention values. @default 365 */
  readonly retentionDays?: number;
}

/** Falcosidekick `azure.eventHub` output (authenticates with Azure workload identity). */
export interface AzureEventHubsOutputProps extends SidekickOutputCommon {
  /** Event Hubs namespace (`<namespace>.servicebus.windows.net`). */
  readonly namespace: string;
  /** Event hub name. */
  readonly name: string;
}

/** Falcosidekick `kafka` output. */
export interface KafkaOutputProps extends SidekickOutputCommon {
  /** Bootstrap brokers, `host:port`. */
  readonly brokers: readonly string[];
  readonly topic: string;
  /** SASL mechanism. @default no SASL */
  readonly sasl?: 'PLAIN' | 'SCRAM_SHA256' | 'SCRAM_SHA512';
  /** SASL user. @default none */
  readonly username?: string;
  /** Secret key holding the SASL password. @default none */
  readonly password?: SecretKeyRef;
  /** Acknowledgements required. @default 'ALL' (an alert is only sent once every in-sync replica has it) */
  readonly requiredAcks?: 'NONE' | 'ONE' | 'ALL';
  /** Compression. @default 'NONE' */
  readonly compression?: 'NONE' | 'GZIP' | 'SNAPPY' | 'LZ4' | 'ZSTD';
  /** Talk to brokers outside the cluster without TLS. @default TLS on unless every broker is in-cluster */
  readonly allowPlaintext?: NamedOptOut;
}

/** Falcosidekick `alertmanager` output to an Alertmanager not managed by this stack. */
export interface AlertmanagerOutputProps extends SidekickOutputCommon, HttpDestinationOptions {
  /** Alertmanager base URLs (all instances of an HA cluster). */
  readonly hostPorts: readonly string[];
}

/** Falcosidekick `pagerduty` output. */
export interface PagerDutyOutputProps extends SidekickOutputCommon {
  /** Secret key holding the Events API v2 routing key. */
  readonly routingKey: SecretKeyRef;
  /** PagerDuty region. @default 'us' */
  readonly region?: 'us' | 'eu';
}

/** Falcosidekick `opsgenie` output. */
export interface OpsgenieOutputProps extends SidekickOutputCommon {
  /** Secret key holding the API key. */
  readonly apiKey: SecretKeyRef;
  /** Opsgenie region. @default 'us' */
  readonly region?: 'us' | 'eu';
}

/** Falcosidekick `syslog` output (no TLS: in-cluster hosts only unless opted out). */
export interface SyslogOutputProps extends SidekickOutputCommon {
  readonly host: string;
  readonly port: number;
  /** Transport. @default 'tcp' */
  readonly protocol?: 'tcp' | 'udp';
  /** Payload format. @default 'json' */
  readonly format?: 'json' | 'cef';
  /** Send to a host outside the cluster in clear text. @default not allowed */
  readonly allowPlaintext?: NamedOptOut;
}

/** Falcosidekick's outputs, one of each kind (Falcosidekick configures each output once). */
export interface SidekickOutputsProps {
  readonly webhook?: WebhookOutputProps;
  readonly slack?: SlackOutputProps;
  readonly teams?: TeamsOutputProps;
  readonly smtp?: SmtpOutputProps;
  readonly loki?: LokiOutputProps;
  readonly elasticsearch?: ElasticsearchOutputProps;
  readonly awsS3?: AwsS3OutputProps;
  readonly awsCloudWatchLogs?: AwsCloudWatchLogsOutputProps;
  readonly azureEventHubs?: AzureEventHubsOutputProps;
  readonly kafka?: KafkaOutputProps;
  readonly alertmanager?: AlertmanagerOutputProps;
  readonly pagerduty?: PagerDutyOutputProps;
  readonly opsgenie?: OpsgenieOutputProps;
  readonly syslog?: SyslogOutputProps;
}

/** The Falcosidekick Deployment. */
export interface SidekickProps {
  /** Replicas (at least 2, so one can be drained). @default 2 */
  readonly replicas?: number;
  /** Container resources. @default requests 50m/64Mi, limits 500m/256Mi */
  readonly resources?: ResourceProps;
  /** Falcosidekick outputs. @default none besides the bundled Alertmanager when teams are declared */
  readonly outputs?: SidekickOutputsProps;
  /** AWS identity for the aws.* outputs. @default none (required when an aws.* output is set) */
  readonly aws?: {
    /** IAM role for IRSA (ServiceAccount annotation `eks.amazonaws.com/role-arn`). @default none: EKS Pod Identity association made outside */
    readonly roleArn?: string;
    /** Region of the AWS outputs. @default the cluster's region */
    readonly region?: string;
  };
  /** Azure workload identity for the Event Hubs output. @default none (required when azureEventHubs is set) */
  readonly azure?: {
    /** Client ID of the user-assigned managed identity federated with the Falcosidekick ServiceAccount. */
    readonly workloadIdentityClientId: string;
  };
}

/** Slack receiver of a team (Alertmanager `slack_configs`). */
export interface SlackReceiverProps extends ChatDestinationOptions {
  /** Secret key holding the incoming-webhook URL. */
  readonly webhookUrl: SecretKeyRef;
  /** Channel. @default the webhook's channel */
  readonly channel?: string;
  /** Lowest priority that reaches this receiver. */
  readonly minimumPriority: FalcoPriority;
}

/** Microsoft Teams receiver of a team. */
export interface MsTeamsReceiverProps extends ChatDestinationOptions {
  /** Secret key holding the Teams webhook URL. */
  readonly webhookUrl: SecretKeyRef;
  /**
   * `workflows`: a Teams Workflows (Power Automate) webhook, Alertmanager `msteamsv2_configs`;
   * `connector`: a legacy Office 365 connector webhook, `msteams_configs`.
   * @default 'workflows'
   */
  readonly api?: 'workflows' | 'connector';
  /** Lowest priority that reaches this receiver. */
  readonly minimumPriority: FalcoPriority;
}

/** E-mail receiver of a team. */
export interface EmailReceiverProps {
  readonly to: readonly string[];
  readonly from: string;
  /** `host:port` of the SMTP relay. */
  readonly smarthost: string;
  /** @default none */
  readonly authUsername?: string;
  /** Secret key holding the SMTP password. @default none */
  readonly authPassword?: SecretKeyRef;
  /** Send without STARTTLS. @default TLS required */
  readonly allowPlaintext?: NamedOptOut;
  /** Lowest priority that reaches this receiver. */
  readonly minimumPriority: FalcoPriority;
}

/** PagerDuty receiver of a team (Events API v2). */
export interface PagerDutyReceiverProps {
  /** Secret key holding the integration routing key. */
  readonly routingKey: SecretKeyRef;
  /** Lowest priority that reaches this receiver. */
  readonly minimumPriority: FalcoPriority;
}

/** Opsgenie receiver of a team. */
export interface OpsgenieReceiverProps {
  /** Secret key holding the API key. */
  readonly apiKey: SecretKeyRef;
  /** Lowest priority that reaches this receiver. */
  readonly minimumPriority: FalcoPriority;
}

/** Webhook receiver of a team (Alertmanager's webhook payload). */
export interface WebhookReceiverProps extends HttpDestinationOptions {
  /** URL: a literal (not a credential) or a Secret key holding it. */
  readonly url: string | SecretKeyRef;
  /** Lowest priority that reaches this receiver. */
  readonly minimumPriority: FalcoPriority;
}

/** Where a team is notified. At least one receiver. */
export interface TeamReceiversProps {
  readonly slack?: readonly SlackReceiverProps[];
  readonly msTeams?: readonly MsTeamsReceiverProps[];
  readonly email?: readonly EmailReceiverProps[];
  readonly pagerDuty?: readonly PagerDutyReceiverProps[];
  readonly opsgenie?: readonly OpsgenieReceiverProps[];
  readonly webhook?: readonly WebhookReceiverProps[];
}

/** A team that owns namespaces and the alerts raised in them. */
export interface TeamProps {
  /** Team name (lowercase letters, digits, '-'); rules name it as their owner. */
  readonly name: string;
  /** Namespaces the team owns; a namespace has at most one owner. */
  readonly namespaces: readonly string[];
  readonly receivers: TeamReceiversProps;
}

/** Alert grouping in Alertmanager: how many notifications a burst of the same alert makes. */
export interface GroupingProps {
  /** Labels that make one notification group. @default ['rule', 'k8s_ns_name', 'priority'] */
  readonly groupBy?: readonly string[];
  /** Wait before the first notification of a new group. @default '30s' */
  readonly groupWait?: string;
  /** Wait before notifying about new alerts in an existing group. @default '5m' */
  readonly groupInterval?: string;
  /** Wait before repeating a notification that was already sent. @default '4h' */
  readonly repeatInterval?: string;
}

/** Alertmanager that carries the team routing. */
export interface AlertmanagerProps {
  /**
   * `bundled`: a hardened Alertmanager StatefulSet in the stack's namespace;
   * `operator`: an `AlertmanagerConfig` for a prometheus-operator the cluster already runs.
   * @default 'bundled'
   */
  readonly mode?: 'bundled' | 'operator';
  /** Replicas of the bundled Alertmanager (gossip cluster). @default 2 */
  readonly replicas?: number;
  /** Container resources of the bundled Alertmanager. @default requests 20m/64Mi, limits 200m/256Mi */
  readonly resources?: ResourceProps;
  /**
   * A PersistentVolumeClaim per replica for silences and the notification log, so they survive a restart of every
   * replica at once. Without it each replica keeps them in an `emptyDir` and a restarted replica gets them back from
   * its peers by gossip, which holds while one replica stays up (2+ replicas and a PodDisruptionBudget). Not the
   * default: it needs a StorageClass, and EKS has no default class (and no EBS CSI driver) unless installed.
   * @default none (emptyDir, state kept by gossip)
   */
  readonly storage?: { readonly size: string; readonly storageClassName?: string };
  /** Grouping and repeat intervals. @default see GroupingProps */
  readonly grouping?: GroupingProps;
  /** The operator-managed Alertmanager (mode `operator`). @default none (required in mode operator) */
  readonly operator?: {
    /** URLs of every instance of the operator's Alertmanager, e.g. `http://alertmanager-main-0.alertmanager-operated.monitoring.svc:9093`. */
    readonly alertmanagerUrls: readonly string[];
    /** Labels the Alertmanager's `alertmanagerConfigSelector` matches. @default none */
    readonly configLabels?: Readonly<Record<string, string>>;
  };
}

/** Alert routing: Falcosidekick outputs, teams and Alertmanager. */
export interface RoutingProps {
  /** Falcosidekick. @default 2 replicas, no outputs besides the team routing */
  readonly sidekick?: SidekickProps;
  /** Teams and the namespaces they own. @default none */
  readonly teams?: readonly TeamProps[];
  /** Receivers for alerts from namespaces no team owns (and host-level alerts). @default none: such alerts only reach durable storage */
  readonly unowned?: TeamReceiversProps;
  /** Alertmanager for the team routing. @default bundled, when teams or unowned receivers are declared */
  readonly alertmanager?: AlertmanagerProps;
  /** Lowest priority a chat destination may receive without an explicit allowance. @default 'Critical' */
  readonly chatThreshold?: FalcoPriority;
  /**
   * What sends an alert to a team in Alertmanager. `namespace`: the namespace it was raised in (`k8s_ns_name`).
   * `owner-first`: the team that owns the rule (its `owner:<team>` tag, which Falcosidekick sends in the `tags`
   * label), and by namespace only alerts whose rule no declared team owns (Falco's default rules, `owner:unowned`).
   * @default 'namespace'
   */
  readonly routeBy?: 'namespace' | 'owner-first';
}
