import type { ListItem, MacroItem, Priority, RuleItem } from '../rules/model';
import type { FalcoRuleTuning } from '../tuning';

/**
 * Who answers an alert of a custom rule: a team name, or an explicit `{ unowned: reason }`.
 * Routing uses it to send the alert to the team; the ownership guardrail rejects rules that
 * are neither owned nor explicitly unowned with a reason.
 */
export type RuleOwner = string | { readonly unowned: string };

/** A local copy of the default rules file of the Falco image (`/etc/falco/falco_rules.yaml`). */
export interface FalcoDefaultRulesFile {
  /** Path of the file, read at synth (relative paths from the working directory). */
  readonly file: string;
}

/** A custom Falco rule and the team that owns its alerts. */
export interface FalcoCustomRule {
  /** The rule. Build `condition` with the condition builder (`printCondition(and(...))`) so values are quoted. */
  readonly rule: RuleItem;
  /** The owning team (e.g. `'payments'`), or `{ unowned: 'why nobody owns it' }`. */
  readonly owner: RuleOwner;
}

/** The Falco container image. */
export interface FalcoImageProps {
  /** @default 'docker.io/falcosecurity/falco' */
  readonly repository?: string;
  /** A release version; `latest` and other floating tags are rejected. @default the pinned release (IMAGE_PINS.falco.version) */
  readonly tag?: string;
  /**
   * `sha256:<64 hex>` of the image (multi-arch index). Omit only when you pin by tag on purpose.
   * @default the digest of the pinned release when the tag is the default one, else none
   */
  readonly digest?: string;
}

/** CPU and memory of the Falco container, as Kubernetes quantities. */
export interface FalcoResourcesProps {
  /** @default { cpu: '100m', memory: '512Mi' } */
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  /** @default { cpu: '1000m', memory: '1024Mi' } */
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/** A pod toleration (the Kubernetes `Toleration` fields). */
export interface FalcoToleration {
  /** @default every key */
  readonly key?: string;
  /** @default 'Equal' when `key` and `value` are given */
  readonly operator?: 'Exists' | 'Equal';
  /** @default none */
  readonly value?: string;
  /** @default every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** @default forever */
  readonly tolerationSeconds?: number;
}

/**
 * How Falco may call `perf_event_open()`, which the modern eBPF probe needs to attach.
 * - `'auto'`: CAP_PERFMON, plus CAP_SYS_ADMIN on providers whose default node image sets
 *   `kernel.perf_event_paranoid` above 2 (AKS Ubuntu sets 4; falcosecurity/charts#921).
 * - `'perfmon'`: CAP_PERFMON only. Choose it when every node has `kernel.perf_event_paranoid <= 2`.
 * - `'sys-admin'`: add CAP_SYS_ADMIN everywhere.
 */
export type PerfEventAccess = 'auto' | 'perfmon' | 'sys-admin';

/** The Falco runtime sensor: a least-privileged modern_ebpf DaemonSet on every node. */
export interface FalcoSensorProps {
  /** @default the pinned release (see IMAGE_PINS.falco) */
  readonly image?: FalcoImageProps;
  /**
   * Falco's `priority`: rules below it are not loaded and emit nothing.
   * @default 'NOTICE'
   */
  readonly minimumPriority?: Priority;
  /**
   * Falco's `rule_matching`: `'first'` emits only the first matching rule per event (Falco's default),
   * `'all'` emits every matching rule.
   * @default 'first'
   */
  readonly ruleMatching?: 'first' | 'all';
  /**
   * Load the rules shipped in the image (`/etc/falco/falco_rules.yaml`, the stable ruleset).
   * @default true
   */
  readonly loadDefaultRules?: boolean;
  /**
   * The default rules file the image loads, for checking the custom rules exactly as the node loads them
   * (after it: overrides, appends and exceptions of default rules checked and evaluable). Without it, the
   * names of the default macros, lists and rules (facts generated from the pinned image's file) are known
   * and everything else in the custom rules is checked. Read at synth; see the README for how to get
   * the exact file of the image.
   * @default none
   */
  readonly defaultRules?: FalcoDefaultRulesFile;
  /** Custom rules, each with an owner, rendered into `/etc/falco/rules.d`. @default none */
  readonly customRules?: readonly FalcoCustomRule[];
  /**
   * Changes to Falco's default rules without forking them (disable, priority, exceptions, an appended condition,
   * namespaces), each with the team that made it and why; rendered as `override` items loaded after the default
   * rules and listed in REPORT.md. See {@link FalcoRuleTuning}.
   * @default none
   */
  readonly tuning?: readonly FalcoRuleTuning[];
  /**
   * The same changes to the k8saudit plugin's rules (`k8s_audit_rules.yaml` of the k8saudit ruleset the audit Falco of
   * `audit.kubernetes` installs), rendered as `override` items in its k8s_audit rules file and listed in REPORT.md. The
   * namespaces are those of the audited objects (`ka.target.namespace`). Needs the audit Falco (EKS, AKS).
   * @default none
   */
  readonly k8sauditTuning?: readonly FalcoRuleTuning[];
  /** Lists used by the custom rules, written before the macros. @default none */
  readonly customLists?: readonly ListItem[];
  /** Macros used by the custom rules, written before the rules. @default none */
  readonly customMacros?: readonly MacroItem[];
  /**
   * Opt-in: run Falco as a privileged container instead of with the least-privileged capability set.
   * Needed only where the capability set is not enough (old kernels, hardened LSM policies).
   * @default false
   */
  readonly privileged?: boolean;
  /** See {@link PerfEventAccess}. @default 'auto' */
  readonly perfEventAccess?: PerfEventAccess;
  /**
   * Also write the deprecated `container.apparmor.security.beta.kubernetes.io/falco: unconfined` pod
   * annotation, for clusters older than Kubernetes 1.30 that ignore `securityContext.appArmorProfile`.
   * @default false
   */
  readonly legacyAppArmorAnnotation?: boolean;
  /**
   * Container runtime socket on the node, for the container plugin (an absolute path).
   * @default the provider's default (PROVIDER_PROFILES[provider].containerRuntime.socketPath)
   */
  readonly containerRuntimeSocket?: string;
  /** @default see FalcoResourcesProps */
  readonly resources?: FalcoResourcesProps;
  /**
   * Tolerations of the DaemonSet. A sensor must run on every node, so the default tolerates every taint.
   * @default [{ operator: 'Exists' }]
   */
  readonly tolerations?: readonly FalcoToleration[];
  /** @default 'system-node-critical' */
  readonly priorityClassName?: string;
  /** Node selector. @default { 'kubernetes.io/os': 'linux' } */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Port of Falco's webserver (health endpoint). @default 8765 */
  readonly webserverPort?: number;
  /**
   * Opt-in: the k8smeta plugin and k8s-metacollector, for the `k8smeta.*` fields (deployment, services, labels).
   * See {@link FalcoKubernetesMetadataProps}. @default off: rules may use only the container plugin's `k8s.ns.name`,
   * `k8s.pod.*` fields
   */
  readonly kubernetesMetadata?: FalcoKubernetesMetadataProps;
}

/**
 * TLS of the gRPC channel from every Falco's k8smeta plugin to the collector (the secure default), or an explicit,
 * reasoned opt-out. The stack mints no certificate: a certificate manager (cert-manager, trust-manager) or you do.
 */
export type KubernetesMetadataTls =
  | {
    /**
     * A `kubernetes.io/tls` Secret in the sensors' namespace (keys `tls.crt`, `tls.key`) whose certificate names the
     * collector's Service, `k8s-metacollector.<namespace>.svc`: the collector serves it (`--broker-server-cert`/`-key`).
     */
    readonly serverSecret: string;
    /** A ConfigMap in the sensors' namespace whose key `ca.crt` holds the CA that signed it: the plugin trusts only that (`caPEMBundle`). */
    readonly caConfigMap: string;
  }
  | {
    /** Plaintext gRPC: any pod that reaches the collector's port reads the metadata, and a spoofed collector feeds Falco. */
    readonly insecure: { readonly reason: string };
  };

/** The k8s-metacollector Deployment. */
export interface KubernetesMetadataCollectorProps {
  /**
   * The release of IMAGE_PINS.k8sMetacollector by default, which has no verified digest: give `digest` (or a `tag` on
   * purpose), else DS-FALCO-032.
   */
  readonly image?: FalcoImageProps;
  /**
   * Requests and limits of the collector, which caches every pod, namespace, deployment, replica set, replication
   * controller, daemon set, service and endpoint slice of the cluster.
   * @default { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } }
   */
  readonly resources?: FalcoResourcesProps;
}

/**
 * Opt-in: Kubernetes metadata beyond the namespace and pod that the container runtime gives (deployment, replica
 * set, replication controller, services, namespace and workload labels): the k8smeta plugin in every Falco and one
 * k8s-metacollector Deployment that watches the API server for them. Rules may then use the `k8smeta.*` fields.
 */
export interface FalcoKubernetesMetadataProps {
  /** See {@link KubernetesMetadataTls}. Required: there is no silent plaintext default. */
  readonly tls: KubernetesMetadataTls;
  /** @default see KubernetesMetadataCollectorProps */
  readonly collector?: KubernetesMetadataCollectorProps;
  /** The plugin's log level. @default 'info' */
  readonly verbosity?: 'trace' | 'debug' | 'info' | 'warning' | 'error' | 'critical';
}
