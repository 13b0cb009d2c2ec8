import type { K8sAuditPluginProps } from './props';
import type { PlanContext } from '../core/context';
import { EgressPlan, EKS_POD_IDENTITY_AGENT } from '../core/egress';
import { DetectionStackError } from '../core/errors';
import { ARTIFACT_PINS, artifactReference } from '../core/images';

/**
 * falcoctl artifact references, fully qualified so no index is needed, on minor floating tags
 * (falcoctl publishes them); the pins and where they come from are in lib/core/images.ts.
 */
export const K8SAUDIT_ARTIFACTS = {
  'rules': artifactReference(ARTIFACT_PINS.k8sauditRules),
  'json': artifactReference(ARTIFACT_PINS.json),
  'k8saudit-eks': artifactReference(ARTIFACT_PINS.k8sauditEks),
  'k8saudit-aks': artifactReference(ARTIFACT_PINS.k8sauditAks),
} as const;

export { FALCOCTL_CONFIG_DIR, FALCOCTL_RESOURCES, FALCOCTL_STATE_DIR } from '../core/falcoctl';

/** Where falcoctl installs the k8saudit rulesfile artifact: the rules are loaded from there, never copied. */
export const K8SAUDIT_RULES_FILE = '/etc/falco/k8s_audit_rules.yaml';

/** Secret the AKS plugin reads its two connection strings from (through environment variables). */
export const K8SAUDIT_AKS_SECRET = 'falco-k8saudit-aks';

/** An environment variable filled from a Secret key (Falco expands `${VAR}` in falco.yaml). */
export interface PluginSecretEnv {
  readonly env: string;
  readonly secretName: string;
  readonly key: string;
}

/**
 * The Falco k8saudit plugin for a managed control plane, as plain data.
 * Upstream warns that more than one instance duplicates alerts (each polls the same source),
 * so it runs in a single-replica Falco, not in the node DaemonSet.
 */
export interface K8sAuditPluginPlan {
  readonly name: 'k8saudit-eks' | 'k8saudit-aks';
  readonly libraryPath: string;
  /** `init_config`; secrets appear only as `${ENV}` references, filled from `secretEnv`. */
  readonly initConfig: Readonly<Record<string, string | number | boolean>>;
  /** `open_params`: the EKS cluster name (k8saudit-eks reads it); k8saudit-aks takes none. */
  readonly openParams?: string;
  /** The json plugin, which the k8saudit rules need too. */
  readonly jsonPlugin: { readonly name: 'json'; readonly libraryPath: 'libjson.so' };
  /** falcoctl artifacts to install: the plugin, json and the rulesfile. */
  readonly artifacts: readonly string[];
  readonly rulesFile: string;
  readonly secretEnv: readonly PluginSecretEnv[];
  readonly replicas: 1;
  /** Egress beyond DNS and HTTPS the plugin needs (the EKS Pod Identity agent). */
  readonly egress: readonly EgressPlan[];
  /** ServiceAccount the cloud identity is bound to (EKS Pod Identity). */
  readonly serviceAccountName: string;
}

export const K8SAUDIT_SERVICE_ACCOUNT = 'falco-k8saudit';
export const K8SAUDIT_FALCO_NAME = 'falco-k8saudit';
/** The labels the audit Falco's pods are selected by (Falcosidekick admits them). */
export const K8SAUDIT_FALCO_SELECTOR: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': K8SAUDIT_FALCO_NAME, 'app.kubernetes.io/instance': K8SAUDIT_FALCO_NAME,
};

export function planK8sAuditPlugin(props: K8sAuditPluginProps, ctx: PlanContext, where: string): K8sAuditPluginPlan {
  const plugin = ctx.profile.audit.k8sauditPlugin;
  if (!plugin) {
    throw new DetectionStackError('DS-AUDIT-009', where, `there is no Falco k8saudit plugin for ${ctx.profile.displayName}`,
      'remove audit.kubernetes.falcoPlugin; API-server events are in the cloud audit trail on this provider');
  }
  const common = {
    name: plugin,
    libraryPath: `lib${plugin}.so`,
    jsonPlugin: { name: 'json', libraryPath: 'libjson.so' } as const,
    artifacts: [K8SAUDIT_ARTIFACTS[plugin], K8SAUDIT_ARTIFACTS.json, K8SAUDIT_ARTIFACTS.rules],
    rulesFile: K8SAUDIT_RULES_FILE,
    replicas: 1 as const,
    serviceAccountName: K8SAUDIT_SERVICE_ACCOUNT,
  };
  if (plugin === 'k8saudit-eks') {
    if (!ctx.cluster.region) {
      throw new DetectionStackError('DS-AUDIT-010', `${ctx.path}/cluster.region`, 'k8saudit-eks needs the cluster region',
        "set cluster.region (e.g. 'eu-west-1')");
    }
    const polling = props.pollingIntervalSeconds ?? 10;
    requirePositiveInteger(`${where}.pollingIntervalSeconds`, polling);
    return {
      ...common,
      openParams: ctx.cluster.name,
      // Credentials come from the EKS Pod Identity agent on the node (or IRSA through STS on 443).
      egress: EKS_POD_IDENTITY_AGENT,
      // Keys as documented in falcosecurity/plugins plugins/k8saudit-eks/README.md.
      initConfig: { region: ctx.cluster.region, shift: 10, polling_interval: polling, use_async: false, buffer_size: 500 },
      secretEnv: [],
    };
  }
  const rate = props.rateLimitEventsPerSecond ?? 100;
  requirePositiveInteger(`${where}.rateLimitEventsPerSecond`, rate);
  return {
    ...common,
    egress: [],
    // Keys as documented in falcosecurity/plugins plugins/k8saudit-aks/README.md. The plugin ignores open params,
    // so none are given: the cluster name reaches every alert through falco.yaml's append_output instead.
    initConfig: {
      event_hub_namespace_connection_string: '${K8SAUDIT_EVENTHUB_CONNECTION_STRING}',
      event_hub_name: k8sauditEventHubName(ctx.cluster.name),
      blob_storage_connection_string: '${K8SAUDIT_CHECKPOINT_CONNECTION_STRING}',
      blob_storage_container_name: K8SAUDIT_CHECKPOINT_CONTAINER,
      rate_limit_events_per_second: rate,
      rate_limit_burst: rate * 2,
    },
    secretEnv: [
      { env: 'K8SAUDIT_EVENTHUB_CONNECTION_STRING', secretName: K8SAUDIT_AKS_SECRET, key: 'eventhub-connection-string' },
      { env: 'K8SAUDIT_CHECKPOINT_CONNECTION_STRING', secretName: K8SAUDIT_AKS_SECRET, key: 'checkpoint-connection-string' },
    ],
  };
}

/** Blob container the AKS plugin keeps its Event Hub checkpoints in. */
export const K8SAUDIT_CHECKPOINT_CONTAINER = 'k8saudit-checkpoints';

/** The Event Hub the AKS diagnostic setting streams `kube-audit` to. */
export function k8sauditEventHubName(cluster: string): string {
  return `${cluster}-kube-audit`;
}

function requirePositiveInteger(where: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new DetectionStackError('DS-AUDIT-011', where, `${value} is not a positive whole number`, 'give a whole number above 0');
  }
}
