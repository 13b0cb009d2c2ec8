import { K8sAuditFalcoPlan, planK8sAuditFalco } from './k8saudit-falco';
import { monitoredStack } from './monitored';
import { falcoRuleTags, OwnershipPlan, planOwnership } from './ownership';
import { PacksPlan, packsPlan, tetragonRunbooks, withPackRules } from './packs';
import { DetectionStackProps, SensorsProps } from './props';
import { K8SAUDIT_FALCO_SELECTOR } from '../audit/k8saudit-plugin';
import { AuditPlan, planAudit } from '../audit/plan';
import type { Suppression } from '../checks/finding';
import type { PlanContext } from '../core/context';
import { classifyHost, EgressPlan } from '../core/egress';
import { DetectionStackError } from '../core/errors';
import { IMAGE_PINS, imageReference } from '../core/images';
import { requireDnsLabel } from '../core/names';
import { PROVIDER_PROFILES } from '../core/providers';
import type { SecretUse } from '../core/secrets';
import { PATTERN_TAG_PREFIX, TAG_PREFIX } from '../core/tags';
import type { WorkloadPlan } from '../core/workload';
import { DurablePlan, durableSecretUses, falcoStdoutSource, planDurable, SensorSource } from '../durable/plan';
import { AlertRouteTarget, TetragonAlertRule } from '../durable/tetragon-alerts';
import { metacollectorWorkload } from '../falco/sensor/k8smeta';
import { extendFalcoPlan, FalcoPlan, planFalco } from '../falco/sensor/plan';
import { falcoWorkload } from '../falco/sensor/workload';
import { MonitoringPlan, planMonitoring } from '../monitoring/plan';
import { admitAlertmanagerClients, planRouting, RoutingPlan } from '../routing/plan';
import { planTetragon, TetragonPlan, withoutDetections } from '../tetragon/plan';
import { validateProps } from '../validation/report';
import { DetectionStackPropsSchema } from '../validation/schemas/stack';

/**
 * The whole stack as plain data: what exists, with every default resolved.
 * Both back ends (cdk8s, Pulumi) render this; nothing in it depends on either.
 */
export interface StackPlan extends PlanContext {
  /** Guardrail suppressions as declared, each with its reason (kept for review and the report). */
  readonly suppressions: readonly Suppression[];
  /** The namespace of the routing workloads (Pod Security `restricted`); `namespace` holds the sensors and the shipper. */
  readonly routingNamespace: string;
  /** The Namespace objects to create (the sensors' first), when the stack owns its namespaces. */
  readonly namespaceObjects: readonly NamespaceObjectPlan[];
  readonly falco?: FalcoPlan;
  /** The project's detection packs the stack deploys (`packs`), rule by rule. */
  readonly packs?: PacksPlan;
  readonly tetragon?: TetragonPlan;
  /** Which sensor owns each pattern both detect, when Tetragon runs. */
  readonly ownership?: OwnershipPlan;
  readonly routing?: RoutingPlan;
  readonly durable?: DurablePlan;
  readonly audit?: AuditPlan;
  /** The single-replica Falco that runs the provider's k8saudit plugin (EKS, AKS), when enabled. */
  readonly k8sauditFalco?: K8sAuditFalcoPlan;
  readonly monitoring?: MonitoringPlan;
  /**
   * Every pod-running workload of the stack, in the order they are rendered: Falco, the Tetragon agent and
   * operator, Falcosidekick, Alertmanager (bundled), the shipper, the k8saudit Falco. Every renderer reads these.
   */
  readonly workloads: readonly WorkloadPlan[];
}

export type { K8sAuditFalcoPlan } from './k8saudit-falco';
export type { PacksPlan } from './packs';

/** A Namespace with its Pod Security Admission labels. */
export interface NamespaceObjectPlan {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Pod Security Admission labels (kubernetes.io/docs/concepts/security/pod-security-admission): a level for each mode. */
function podSecurityLabels(enforce: 'privileged' | 'restricted', warnAndAudit?: 'restricted'): Record<string, string> {
  const labels: Record<string, string> = {
    'pod-security.kubernetes.io/enforce': enforce,
    'pod-security.kubernetes.io/enforce-version': 'latest',
  };
  for (const mode of warnAndAudit ? ['warn', 'audit'] : []) {
    labels[`pod-security.kubernetes.io/${mode}`] = warnAndAudit!;
    labels[`pod-security.kubernetes.io/${mode}-version`] = 'latest';
  }
  return labels;
}

export const DEFAULT_NAMESPACE = 'falco';

/** Validates props and resolves them into a plan. Pure: no constructs, no I/O. */
export function planStack(props: DetectionStackProps, path = 'DetectionStack'): StackPlan {
  validateProps(DetectionStackPropsSchema, props, path);
  const namespace = props.namespace ?? DEFAULT_NAMESPACE;
  const routingNamespace = props.routingNamespace ?? `${namespace}-routing`;
  if (props.routingNamespace === undefined) requireDnsLabel(`${path}/namespace`, routingNamespace, 'the routing namespace (<namespace>-routing)');
  if (routingNamespace === namespace) {
    throw new DetectionStackError('DS-PROPS-007', `${path}/routingNamespace`, `'${routingNamespace}' is also the sensors' namespace`,
      'give the routing workloads a namespace of their own (Pod Security restricted), or leave routingNamespace unset');
  }

  const declared = props.sensors ?? { falco: {} };
  if (!declared.falco && !declared.tetragon) {
    throw new DetectionStackError('DS-PROPS-005', `${path}/sensors`, 'no runtime sensor is enabled',
      'set sensors.falco and/or sensors.tetragon');
  }

  const ctx: PlanContext = {
    path,
    cluster: { name: props.cluster.name, provider: props.cluster.provider, region: props.cluster.region, ipFamily: props.cluster.ipFamily ?? 'IPv4' },
    profile: PROVIDER_PROFILES[props.cluster.provider],
    namespace,
    labels: {
      'app.kubernetes.io/part-of': 'detection-stack',
      'app.kubernetes.io/managed-by': 'detection-stack',
    },
  };

  // Each pack detection goes to one sensor (lib/stack/packs.ts): its Falco rule runs after the hand-written ones, so
  // sensor ownership sees their patterns too; the Tetragon forms of the patterns Tetragon owns join its detections.
  const packed = props.packs ? withPackRules(declared, props.packs, ctx) : undefined;
  const sensors = packed?.sensors ?? declared;
  const audit = planAudit(props.audit ?? {}, ctx);
  // Sensor ownership: only the owner's detection of a pattern both sensors cover is deployed, so one behaviour raises one alert.
  // Tetragon exports no events of the stack's own workloads: the sensors' namespace, and the routing one when there is routing.
  const stackNamespaces = props.routing ? [namespace, routingNamespace] : [namespace];
  const allTetragon = sensors.tetragon ? planTetragon(sensors.tetragon, ctx, stackNamespaces) : undefined;
  const ownership = allTetragon
    ? planOwnership(ctx.path, allTetragon.detections, sensors.falco !== undefined, sensors.ownership, falcoRuleTags(sensors.falco))
    : undefined;
  const tetragon = allTetragon && withoutDetections(allTetragon, ownership?.tetragonYields ?? []);
  const deployed = withoutYieldedFalcoRules(sensors, ownership?.falcoYields ?? []);
  const nodeFalco = deployed.falco ? planFalco(deployed.falco, ctx) : undefined;

  // Falcosidekick admits the Falco instances of the stack, and each of them posts to it (http_output).
  const sidekickClients = [
    ...(nodeFalco ? [{ pods: nodeFalco.selectorLabels, namespace }] : []),
    ...(nodeFalco && audit.kubernetes.falcoPlugin ? [{ pods: K8SAUDIT_FALCO_SELECTOR, namespace }] : []),
  ];
  // The routing workloads need nothing of the node: they run in their own namespace, at Pod Security restricted.
  const routingCtx: PlanContext = { ...ctx, namespace: routingNamespace };
  const routing = props.routing ? planRouting(props.routing, routingCtx, sidekickClients) : undefined;
  const falco = nodeFalco && routing ? extendFalcoPlan(nodeFalco, {
    httpOutputUrl: routing.sidekick.url,
    httpOutputPods: { pods: routing.sidekick.workload.selectorLabels, namespace: routing.sidekick.workload.namespace },
  }) : nodeFalco;
  if (falco && falco.auditTuning.length > 0 && !audit.kubernetes.falcoPlugin) {
    throw new DetectionStackError('DS-FALCO-031', `${falco.path}.k8sauditTuning`,
      'k8sauditTuning changes the k8saudit rules, but no audit Falco runs here: there is nothing to tune',
      'remove k8sauditTuning, or set audit.kubernetes.falcoPlugin (EKS, AKS)');
  }
  const k8sauditFalco = audit.kubernetes.falcoPlugin && planK8sAuditFalco({
    plugin: audit.kubernetes.falcoPlugin,
    namespace: ctx.namespace,
    clusterName: ctx.cluster.name,
    ipFamily: ctx.cluster.ipFamily,
    labels: ctx.labels,
    image: falco?.image.reference ?? imageReference(IMAGE_PINS.falco),
    httpOutputUrl: falco?.httpOutput?.url,
    sidekickPods: routing && { pods: routing.sidekick.workload.selectorLabels, namespace: routing.sidekick.workload.namespace },
    customRules: falco && falco.auditRules.items.length > 0 ? falco.auditRules : undefined,
  });
  const packs = packed ? packsPlan(packed, falco, tetragon) : undefined;
  const durable = planDurable(props.durable, ctx, props.durable?.bucket ? sensorSources({ falco, tetragon }, tetragonRunbooks(packs)) : [], `${ctx.path}/durable`,
    tetragonAlertRoute(routing, routingCtx));
  // The shipper posts Tetragon's alerts to the team routing's Alertmanager: it is one of its clients.
  const routed = routing && durable?.shipper?.alertRoute
    ? admitAlertmanagerClients(routing, [{ pods: durable.shipper.workload.selectorLabels, namespace }])
    : routing;

  return {
    ...ctx,
    suppressions: props.suppressions ?? [],
    routingNamespace,
    namespaceObjects: (props.createNamespace ?? true) ? [
      // Falco's capabilities and host mounts (and Tetragon's privileged agent) are refused below `privileged`.
      { name: namespace, labels: { ...ctx.labels, ...podSecurityLabels('privileged') } },
      ...(routed ? [{ name: routingNamespace, labels: { ...ctx.labels, ...podSecurityLabels('restricted', 'restricted') } }] : []),
    ] : [],
    falco,
    ...(packs ? { packs } : {}),
    tetragon,
    ownership,
    routing: routed,
    durable,
    audit,
    k8sauditFalco,
    monitoring: planMonitoring(props.monitoring, ctx, monitoredStack({ falco, tetragon, routing, durable, audit }, ctx.namespace)),
    workloads: [
      ...(falco ? [falcoWorkload(falco)] : []),
      ...(falco?.kubernetesMetadata
        ? [metacollectorWorkload(falco.kubernetesMetadata, { pods: falco.selectorLabels, namespace: falco.namespace })] : []),
      ...(tetragon ? [tetragon.workloads.agent, tetragon.workloads.operator] : []),
      ...(routed ? [routed.sidekick.workload] : []),
      ...(routed?.alertmanager?.workload ? [routed.alertmanager.workload] : []),
      ...(durable?.shipper ? [durable.shipper.workload] : []),
      ...(k8sauditFalco ? [k8sauditFalco.workload] : []),
    ],
  };
}

/** The node files that carry the sensors' alerts: Falco's stdout (JSON lines) and Tetragon's JSON export file. */
export function sensorSources(sensors: { readonly falco?: FalcoPlan; readonly tetragon?: TetragonPlan },
  runbooks: ReadonlyMap<string, readonly string[]> = new Map()): SensorSource[] {
  const sources: SensorSource[] = [];
  if (sensors.falco) {
    // The DaemonSet's pods are named `<name>-<hash>` and its container is named like the sensor.
    sources.push(falcoStdoutSource(sensors.falco.namespace, `${sensors.falco.name}-`, sensors.falco.name));
  }
  if (sensors.tetragon) {
    sources.push({ name: 'tetragon', hostPath: sensors.tetragon.exportHostPath, format: 'json', tetragonAlerts: tetragonAlertRules(sensors.tetragon, runbooks) });
  }
  return sources;
}

/**
 * Tetragon's deployed detections as the shipper alerts on them, with the same owner and tags as Falco's rules carry,
 * and `runbook:<id>` for each pack rule a detection runs (`runbooks`, by detection ID).
 */
export function tetragonAlertRules(tetragon: TetragonPlan, runbooks: ReadonlyMap<string, readonly string[]> = new Map()): TetragonAlertRule[] {
  return tetragon.detections.map((d) => ({
    detection: d.id,
    rule: d.description ?? d.id,
    priority: d.priority ?? 'Warning',
    owner: d.owner,
    tags: [...new Set([...(d.tags ?? []), `${TAG_PREFIX.owner}${d.owner}`, `${PATTERN_TAG_PREFIX}${d.pattern}`, `detection:${d.id}`,
      ...(runbooks.get(d.id) ?? []).map((id) => `${TAG_PREFIX.runbook}${id}`)])],
    policyNames: [...new Set(d.policies.map((p) => p.metadata.name))],
  }));
}

/**
 * Where the shipper posts Tetragon's alerts: the team routing's Alertmanager, as Falcosidekick posts Falco's (one
 * copy to every instance, the same labels). Falcosidekick itself cannot take them: it reads one alert per request
 * (handlers.go newFalcoPayload, 2.34.1) and Fluent Bit posts batches.
 */
function tetragonAlertRoute(routing: RoutingPlan | undefined, ctx: PlanContext): (AlertRouteTarget & { egress: EgressPlan[] }) | undefined {
  const target = routing?.alertmanager?.target;
  if (!target) return undefined;
  const egress: EgressPlan[] = target.podLabels
    ? [{ kind: 'pods', podLabels: target.podLabels, namespace: ctx.namespace, port: target.port, protocol: 'TCP' }]
    : target.urls.map((u) => {
      const url = new URL(u);
      const d = classifyHost(url.hostname, Number(url.port) || (url.protocol === 'https:' ? 443 : 80), ctx.namespace);
      return d.inCluster ? { kind: 'namespace', namespace: d.namespace ?? ctx.namespace } : { kind: 'external', port: d.port, protocol: 'TCP' };
    });
  return { urls: target.urls, labels: { cluster: ctx.cluster.name, ...target.extraLabels }, egress };
}

/**
 * Every Secret key the stack's routing and durable workloads read. The cdk8s path expects these Secrets to
 * exist in the stack namespace; the Pulumi path creates them from Pulumi secrets.
 */
export function requiredSecrets(plan: { readonly routing?: RoutingPlan; readonly durable?: DurablePlan }): SecretUse[] {
  return [...(plan.routing?.secrets ?? []), ...durableSecretUses(plan.durable)];
}

/** The sensors as deployed: Falco custom rules tagged `pattern:<id>` for a pattern Tetragon owns are left out. */
function withoutYieldedFalcoRules(sensors: SensorsProps, falcoYields: readonly string[]): SensorsProps {
  if (!sensors.falco?.customRules || falcoYields.length === 0) return sensors;
  const yielded = new Set(falcoYields.map((p) => `${PATTERN_TAG_PREFIX}${p}`));
  const customRules = sensors.falco.customRules.filter((r) => !(r.rule.tags ?? []).some((t) => yielded.has(t)));
  return { ...sensors, falco: { ...sensors.falco, customRules } };
}
