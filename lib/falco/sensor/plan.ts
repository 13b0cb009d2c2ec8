import {
  CONTAINER_PLUGIN, CUSTOM_RULES_FILE_NAME, K8S_AUDIT_RULES_FILE_NAME, DEFAULT_PRIORITY_CLASS, FALCO_DEFAULT_RULES_FILE,
  FALCO_HEALTH_PATH, FALCO_RULES_DIR, FALCO_WEBSERVER_PORT, HOST_ROOT, LEAST_PRIVILEGED_CAPABILITIES,
} from './defaults';
import { checkKubernetesFields, KubernetesMetadataPlan, planKubernetesMetadata } from './k8smeta';
import type { FalcoPluginPlan } from './plugin';
import type { FalcoCustomRule, FalcoSensorProps, FalcoToleration, PerfEventAccess, RuleOwner } from './props';
import {
  validateCustomRules, validateHttpOutputUrl, validateImage, validatePort, validatePriorityClass,
  validateResources, validateSocketPath, validateTolerations,
} from './validate';
import type { PlanContext } from '../../core/context';
import { DetectionStackError } from '../../core/errors';
import { anyAddress } from '../../core/ip-family';
import { TAG_PREFIX } from '../../core/tags';
import type { PodPeerPlan } from '../../core/workload';
import type { Priority, RulesFileItem } from '../rules/model';
import { FalcoTuningPlan, planTuning } from '../tuning';

export type { FalcoPluginPlan } from './plugin';

/** A host path the Falco container sees, and why it needs it. */
export interface FalcoHostMount {
  readonly volumeName: string;
  readonly hostPath: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
  /** hostPath `type`: the kubelet refuses to start the pod when the path is not of this type. @default no check */
  readonly type?: 'Directory' | 'Socket';
  /** Why Falco needs it (kept for review and the report). */
  readonly purpose: string;
}

/** A custom rule as planned: its name and owner (the rule itself is in `rules.items`). */
export interface FalcoCustomRulePlan {
  readonly name: string;
  readonly owner: RuleOwner;
  readonly priority?: Priority;
  readonly source: string;
}

/** What the stack plan wires into the Falco plan from other layers. */
export interface FalcoPlanExtras {
  /** Falco's `http_output.url`, e.g. Falcosidekick's service URL. @default http_output disabled */
  readonly httpOutputUrl?: string;
  /** The pods behind that URL (Falcosidekick's), the only pods Falco's NetworkPolicy lets it connect to. */
  readonly httpOutputPods?: PodPeerPlan;
}

/** The Falco DaemonSet as plain data, every default resolved. The cdk8s construct renders exactly this. */
export interface FalcoPlan {
  /** Name of every object of the sensor (DaemonSet, ServiceAccount, ConfigMaps prefix). */
  readonly name: string;
  readonly namespace: string;
  /** The cluster's name, added to every alert (`output_fields.cluster`). */
  readonly clusterName: string;
  /** Where findings and errors about the sensor point: `<stack path>/sensors.falco`. */
  readonly path: string;
  /** Labels of every object; `selectorLabels` is the immutable subset the DaemonSet selects on. */
  readonly labels: Readonly<Record<string, string>>;
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly image: {
    readonly repository: string;
    readonly tag: string;
    readonly digest?: string;
    /** What the pod spec says: `repository:tag@digest`. */
    readonly reference: string;
  };
  readonly engine: { readonly kind: 'modern_ebpf'; readonly bufSizePreset: number; readonly cpusForEachBuffer: number };
  readonly security: {
    readonly privileged: boolean;
    /** Added capabilities (all others dropped); empty when privileged. */
    readonly capabilities: readonly string[];
    readonly allowPrivilegeEscalation: boolean;
    readonly readOnlyRootFilesystem: boolean;
    readonly appArmor: { readonly profile: 'Unconfined'; readonly legacyAnnotation: boolean };
    /** The perf_event_open() access chosen, after resolving `'auto'`. */
    readonly perfEventAccess: Exclude<PerfEventAccess, 'auto'>;
    /** Why the sensor runs with more than the least-privileged set (empty when it does not). */
    readonly escalations: readonly string[];
  };
  readonly containerRuntime: { readonly engine: 'cri'; readonly socketPath: string; readonly fromProfile: boolean };
  /** Falco settings that end up in falco.yaml. */
  readonly minimumPriority: Priority;
  readonly ruleMatching: 'first' | 'all';
  readonly rulesFiles: readonly string[];
  /** Alerts as JSON lines on stdout: the durable shipper tails them from /var/log/containers. Always on. */
  readonly outputs: { readonly json: true; readonly stdout: true };
  /** Falco's http_output (set by the routing layer). */
  readonly httpOutput?: { readonly url: string; readonly pods?: PodPeerPlan };
  /** Plugins to load, the container plugin first (then k8smeta, when kubernetesMetadata is on). */
  readonly plugins: readonly FalcoPluginPlan[];
  /** The k8smeta plugin and its k8s-metacollector (sensors.falco.kubernetesMetadata). @default off */
  readonly kubernetesMetadata?: KubernetesMetadataPlan;
  /** `listenAddress`: every interface of the pod's family (`0.0.0.0`, or `::` on IPv6), where the kubelet probes the pod IP. */
  readonly webserver: { readonly port: number; readonly healthPath: string; readonly listenAddress: string };
  /** Custom rules file of the node sensor (lists, macros, syscall rules in this order) mounted into rules.d. */
  readonly rules: { readonly fileName: string; readonly items: readonly RulesFileItem[] };
  /**
   * Custom k8s_audit rules (with the custom lists and macros) for the k8saudit plugin's Falco; empty
   * when there are none. The node sensor never loads them: it has no k8s_audit event source.
   */
  readonly auditRules: { readonly fileName: string; readonly items: readonly RulesFileItem[] };
  /** Falco's own rules file is loaded before the custom rules (their macros and lists are visible). */
  readonly defaultRulesLoaded: boolean;
  /** A local copy of that file, to check the custom rules after it (sensors.falco.defaultRules.file). */
  readonly defaultRulesFile?: string;
  readonly customRules: readonly FalcoCustomRulePlan[];
  /** Changes to the default rules, who made them and why; their `override` items end `rules.items`. */
  readonly tuning: readonly FalcoTuningPlan[];
  /** Changes to the k8saudit ruleset's rules (sensors.falco.k8sauditTuning); their `override` items end `auditRules.items`. */
  readonly auditTuning: readonly FalcoTuningPlan[];
  readonly hostMounts: readonly FalcoHostMount[];
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  readonly tolerations: readonly FalcoToleration[];
  readonly priorityClassName: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Falco needs no Kubernetes API access: no token, no ClusterRole (the k8s-metacollector reads the API server, not Falco). */
  readonly serviceAccount: { readonly name: string; readonly automountToken: false };
}

export const FALCO_NAME = 'falco';

/**
 * Validates the Falco props and resolves them into a plan. Pure: no constructs, no I/O. What other layers wire in
 * (http_output to Falcosidekick) the stack plan adds with {@link extendFalcoPlan}.
 */
export function planFalco(props: FalcoSensorProps, ctx: PlanContext): FalcoPlan {
  const where = `${ctx.path}/sensors.falco`;
  const image = validateImage(`${where}.image`, props.image);
  validatePort(`${where}.webserverPort`, props.webserverPort);
  const resources = validateResources(`${where}.resources`, props.resources);
  validateTolerations(`${where}.tolerations`, props.tolerations);
  validatePriorityClass(`${where}.priorityClassName`, props.priorityClassName);
  if (props.containerRuntimeSocket !== undefined) validateSocketPath(`${where}.containerRuntimeSocket`, props.containerRuntimeSocket);
  validateCustomRules(where, props);
  checkKubernetesFields(props, where);
  const kubernetesMetadata = planKubernetesMetadata(props.kubernetesMetadata, ctx, where);
  if (props.defaultRules && props.loadDefaultRules === false) {
    throw new DetectionStackError('DS-FALCO-013', `${where}.defaultRules`,
      'defaultRules is given but loadDefaultRules is false: the node does not load that file',
      'remove defaultRules, or remove loadDefaultRules: false');
  }
  if (props.privileged && props.perfEventAccess !== undefined) {
    throw new DetectionStackError('DS-FALCO-007', `${where}.perfEventAccess`,
      'perfEventAccess has no effect when privileged is true',
      'remove perfEventAccess, or remove privileged to keep the least-privileged capability set');
  }

  const perfEventAccess = resolvePerfEventAccess(props.perfEventAccess ?? 'auto', ctx);
  const privileged = props.privileged ?? false;
  const capabilities = privileged ? [] : [
    ...LEAST_PRIVILEGED_CAPABILITIES,
    ...(perfEventAccess === 'sys-admin' ? ['SYS_ADMIN'] : []),
  ];
  const escalations = escalationsOf(privileged, perfEventAccess, props.perfEventAccess, ctx);

  const socketPath = props.containerRuntimeSocket ?? ctx.profile.containerRuntime.socketPath;
  // The node sensor has only the syscall source; k8s_audit rules run where the k8saudit plugin does.
  const customRules = (props.customRules ?? []).map((r, i) => withOwnerTag(r, `${where}.customRules[${i}]`));
  const sourceOf = (r: { readonly rule: { readonly source?: string } }) => r.rule.source ?? 'syscall';
  const unsupported = customRules.findIndex((r) => !['syscall', 'k8s_audit'].includes(sourceOf(r)));
  if (unsupported >= 0) {
    throw new DetectionStackError('DS-FALCO-008', `${where}.customRules[${unsupported}].rule.source`,
      `source '${sourceOf(customRules[unsupported])}' has no event source in this stack`,
      "use source 'syscall' (node sensor) or 'k8s_audit' (the k8saudit plugin of audit.kubernetes)");
  }
  const auditRules = customRules.filter((r) => sourceOf(r) === 'k8s_audit');
  const sharedItems = [...(props.customLists ?? []), ...(props.customMacros ?? [])];
  const tuning = planTuning(props.tuning, `${where}.tuning`, props.loadDefaultRules ?? true);
  // The audit Falco always loads the k8saudit ruleset first (falcoctl installs it), so it can always be tuned.
  const auditTuning = planTuning(props.k8sauditTuning, `${where}.k8sauditTuning`, true, 'k8s_audit_rules');
  const selectorLabels = { 'app.kubernetes.io/name': FALCO_NAME, 'app.kubernetes.io/instance': FALCO_NAME };

  return {
    name: FALCO_NAME,
    namespace: ctx.namespace,
    clusterName: ctx.cluster.name,
    path: where,
    labels: { ...ctx.labels, ...selectorLabels, 'app.kubernetes.io/component': 'runtime-sensor', 'app.kubernetes.io/version': image.tag },
    selectorLabels,
    image,
    engine: { kind: 'modern_ebpf', bufSizePreset: 4, cpusForEachBuffer: 2 },
    security: {
      privileged,
      capabilities,
      // Kubernetes rejects allowPrivilegeEscalation: false together with privileged or CAP_SYS_ADMIN.
      allowPrivilegeEscalation: privileged || capabilities.includes('SYS_ADMIN'),
      readOnlyRootFilesystem: true,
      appArmor: { profile: 'Unconfined', legacyAnnotation: props.legacyAppArmorAnnotation ?? false },
      perfEventAccess,
      escalations,
    },
    containerRuntime: { engine: 'cri', socketPath, fromProfile: props.containerRuntimeSocket === undefined },
    minimumPriority: props.minimumPriority ?? 'NOTICE',
    ruleMatching: props.ruleMatching ?? 'first',
    rulesFiles: [...((props.loadDefaultRules ?? true) ? [FALCO_DEFAULT_RULES_FILE] : []), FALCO_RULES_DIR],
    outputs: { json: true, stdout: true },
    plugins: [containerPlugin(socketPath), ...(kubernetesMetadata ? [kubernetesMetadata.plugin] : [])],
    ...(kubernetesMetadata ? { kubernetesMetadata } : {}),
    webserver: { port: props.webserverPort ?? FALCO_WEBSERVER_PORT, healthPath: FALCO_HEALTH_PATH, listenAddress: anyAddress(ctx.cluster.ipFamily) },
    rules: {
      fileName: CUSTOM_RULES_FILE_NAME,
      // The tuning of the default rules last: the default rules file is loaded before rules.d, so its rules exist.
      items: [...sharedItems, ...customRules.filter((r) => sourceOf(r) === 'syscall').map((r) => r.rule), ...tuning.map((t) => t.item)],
    },
    auditRules: {
      fileName: K8S_AUDIT_RULES_FILE_NAME,
      // The tuning of the k8saudit rules last: the ruleset is loaded before this file.
      items: [...(auditRules.length === 0 ? [] : [...sharedItems, ...auditRules.map((r) => r.rule)]), ...auditTuning.map((t) => t.item)],
    },
    defaultRulesLoaded: props.loadDefaultRules ?? true,
    ...(props.defaultRules ? { defaultRulesFile: props.defaultRules.file } : {}),
    customRules: customRules.map((r) => ({
      name: r.rule.name, owner: r.owner, priority: r.rule.priority, source: r.rule.source ?? 'syscall',
    })),
    tuning,
    auditTuning,
    hostMounts: hostMounts(socketPath),
    resources,
    tolerations: props.tolerations ?? [{ operator: 'Exists' }],
    priorityClassName: props.priorityClassName ?? DEFAULT_PRIORITY_CLASS,
    nodeSelector: props.nodeSelector ?? { 'kubernetes.io/os': 'linux' },
    serviceAccount: { name: FALCO_NAME, automountToken: false },
  };
}

/** The tag that names a rule's owner: `owner:<team>`, or `owner:unowned` for a rule declared unowned. */
export function ownerTag(owner: RuleOwner): string {
  return `${TAG_PREFIX.owner}${typeof owner === 'string' ? owner : UNOWNED_OWNER}`;
}

/** The owner tag value of a rule declared `{ unowned: reason }`. */
export const UNOWNED_OWNER = 'unowned';

/**
 * Every new rule carries its owner as a tag (`owner:<team>`), hand-written ones as pack rules do, so alerts can be routed
 * by owner and every artifact names who answers them. A rule that changes an earlier one (append, override, enabled
 * only) keeps the earlier rule's tags. An `owner:` tag that names another team is refused, not silently kept.
 */
function withOwnerTag(custom: FalcoCustomRule, where: string): FalcoCustomRule {
  const rule = custom.rule;
  if (rule.append === true || rule.override !== undefined || (rule.enabled !== undefined && rule.condition === undefined)) return custom;
  const tag = ownerTag(custom.owner);
  const tags = rule.tags ?? [];
  const other = tags.find((t) => t.startsWith(TAG_PREFIX.owner) && t !== tag);
  if (other !== undefined) {
    throw new DetectionStackError('DS-FALCO-015', `${where}.rule.tags`, `rule '${rule.name}' is tagged '${other}' but its owner is '${tag.slice(TAG_PREFIX.owner.length)}'`,
      'remove the owner: tag (the stack writes it from owner), or set owner to that team');
  }
  return tags.includes(tag) ? custom : { ...custom, rule: { ...rule, tags: [...tags, tag] } };
}

/** Adds other layers' contributions to a Falco plan (pure; returns a new plan). Errors point into the plan's path. */
export function extendFalcoPlan(plan: FalcoPlan, extras: FalcoPlanExtras): FalcoPlan {
  let result = plan;
  if (extras.httpOutputUrl !== undefined) {
    validateHttpOutputUrl(`${plan.path}.httpOutput.url`, extras.httpOutputUrl);
    result = { ...result, httpOutput: { url: extras.httpOutputUrl, ...(extras.httpOutputPods ? { pods: extras.httpOutputPods } : {}) } };
  }
  return result;
}

/** Why the sensor runs with more than the least-privileged set, for review and DS-FALCO-101. */
function escalationsOf(privileged: boolean, access: Exclude<PerfEventAccess, 'auto'>, requested: PerfEventAccess | undefined, ctx: PlanContext): string[] {
  if (privileged) {
    return ['privileged: true was requested (sensors.falco.privileged)'];
  }
  if (access !== 'sys-admin') {
    return [];
  }
  if (requested === 'sys-admin') {
    return ['CAP_SYS_ADMIN was requested (sensors.falco.perfEventAccess: sys-admin)'];
  }
  return [`CAP_SYS_ADMIN is added because ${ctx.profile.displayName} default nodes set kernel.perf_event_paranoid above 2, `
    + 'where CAP_PERFMON cannot open perf events (falcosecurity/charts#921)'];
}

function resolvePerfEventAccess(access: PerfEventAccess, ctx: PlanContext): Exclude<PerfEventAccess, 'auto'> {
  if (access !== 'auto') {
    return access;
  }
  return ctx.profile.kernel.perfEventParanoidAbove2 ? 'sys-admin' : 'perfmon';
}

/**
 * The container plugin with only the node's runtime enabled: every engine is on by default
 * in the plugin, so the others are switched off explicitly. Kubernetes pods are reached through
 * the CRI API (`cri` engine) for both CRI-O and containerd.
 */
function containerPlugin(socketPath: string): FalcoPluginPlan {
  return {
    name: CONTAINER_PLUGIN.name,
    libraryPath: CONTAINER_PLUGIN.libraryPath,
    initConfig: {
      label_max_len: 100,
      with_size: false,
      hooks: ['create'],
      engines: {
        docker: { enabled: false },
        podman: { enabled: false },
        containerd: { enabled: false },
        cri: { enabled: true, sockets: [socketPath] },
        lxc: { enabled: false },
        libvirt_lxc: { enabled: false },
        bpm: { enabled: false },
      },
    },
  };
}

/** Only what modern_ebpf and the container plugin read; everything read-only. */
function hostMounts(socketPath: string): FalcoHostMount[] {
  return [
    { volumeName: 'proc-fs', hostPath: '/proc', mountPath: `${HOST_ROOT}/proc`, readOnly: true, type: 'Directory', purpose: 'process table and metadata of host processes' },
    { volumeName: 'etc-fs', hostPath: '/etc', mountPath: `${HOST_ROOT}/etc`, readOnly: true, type: 'Directory', purpose: 'host OS release, user and group names' },
    // All of /sys/kernel, as the falco chart mounts it: tracefs is at /sys/kernel/tracing or, on older kernels and
    // some distributions, only under /sys/kernel/debug/tracing.
    { volumeName: 'sys-kernel', hostPath: '/sys/kernel', mountPath: '/sys/kernel', readOnly: true, type: 'Directory', purpose: 'tracefs (tracing or debug/tracing) for the TOCTOU mitigation of the modern eBPF probe' },
    // Connecting to a Unix socket is allowed on a read-only mount.
    { volumeName: 'container-runtime-socket', hostPath: socketPath, mountPath: `${HOST_ROOT}${socketPath}`, readOnly: true, type: 'Socket', purpose: 'container runtime API for container and pod metadata (container plugin)' },
  ];
}
