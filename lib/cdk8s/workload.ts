import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type {
  ContainerPlan, EnvVarPlan, NetworkPeerPlan, NetworkRulePlan, ServicePlan, WorkloadPlan,
} from '../core/workload';

export interface WorkloadProps {
  /** The workload as the plan decided it (`StackPlan.workloads`). */
  readonly plan: WorkloadPlan;
}

type Json = Record<string, unknown>;

const API_VERSIONS: Record<WorkloadPlan['kind'], string> = { DaemonSet: 'apps/v1', Deployment: 'apps/v1', StatefulSet: 'apps/v1' };

/**
 * One workload rendered from its plan, and nothing decided here: ServiceAccount, ClusterRole and binding,
 * ConfigMaps and Secrets, Services, the controller, PodDisruptionBudget and NetworkPolicy. A StatefulSet's
 * Services come before it (the governing Service names its pods); other Services after the controller.
 */
export class Workload extends Construct {
  public readonly serviceAccount: ApiObject;
  public readonly configs: ApiObject[];
  public readonly services: ApiObject[] = [];
  public readonly controller: ApiObject;
  public readonly networkPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    const w = props.plan;
    const metadata = (name: string, annotations?: Readonly<Record<string, string>>) => ({
      name,
      namespace: w.namespace,
      labels: { ...w.labels },
      ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
    });
    const selector = () => ({ matchLabels: { ...w.selectorLabels } });

    this.serviceAccount = new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: metadata(w.serviceAccount.name, w.serviceAccount.annotations),
      automountServiceAccountToken: w.serviceAccount.automountToken,
    });
    if (w.clusterRole) {
      const clusterMetadata = { name: w.name, labels: { ...w.labels } };
      new ApiObject(this, 'ClusterRole', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: clusterMetadata,
        rules: w.clusterRole.rules.map((r) => ({ ...r })),
      });
      new ApiObject(this, 'ClusterRoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: clusterMetadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: w.name },
        subjects: [{ kind: 'ServiceAccount', name: w.serviceAccount.name, namespace: w.namespace }],
      });
    }
    this.configs = w.configs.map((c) => new ApiObject(this, `${c.kind}-${c.name}`, c.kind === 'Secret'
      ? { apiVersion: 'v1', kind: 'Secret', metadata: metadata(c.name), type: 'Opaque', stringData: { ...c.data } }
      : { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...metadata(c.name), labels: { ...w.labels, ...c.labels } }, data: { ...c.data } }));

    const renderServices = () => w.services.forEach((s) => this.services.push(
      new ApiObject(this, `Service-${s.name}`, { apiVersion: 'v1', kind: 'Service', metadata: metadata(s.name), spec: serviceSpec(s, w.selectorLabels) })));
    if (w.kind === 'StatefulSet') renderServices();

    const p = w.pod;
    const podSpec: Json = {
      serviceAccountName: w.serviceAccount.name,
      automountServiceAccountToken: w.serviceAccount.automountToken,
      enableServiceLinks: p.enableServiceLinks,
      priorityClassName: p.priorityClassName,
      nodeSelector: p.nodeSelector && { ...p.nodeSelector },
      tolerations: p.tolerations?.map((t) => ({ ...t })),
      hostNetwork: p.hostNetwork,
      dnsPolicy: p.dnsPolicy,
      terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
      securityContext: p.securityContext && clone(p.securityContext),
      topologySpreadConstraints: p.spreadOverNodes ? [{
        maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector(),
      }] : undefined,
      initContainers: p.initContainers?.map(container),
      containers: p.containers.map(container),
      volumes: p.volumes.map((v) => clone(v)),
    };
    const annotations = Object.keys(p.annotations).length > 0 ? { ...p.annotations } : undefined;
    const template = { metadata: { labels: { ...w.labels }, annotations }, spec: podSpec };
    const rollout = w.rollout && rolloutOf(w.rollout);
    const spec: Json = w.kind === 'DaemonSet'
      ? { selector: selector(), updateStrategy: rollout, template }
      : w.kind === 'Deployment'
        ? { replicas: w.replicas, strategy: rollout, selector: selector(), template }
        : {
          serviceName: w.statefulSet?.serviceName,
          replicas: w.replicas,
          podManagementPolicy: w.statefulSet?.podManagementPolicy,
          selector: selector(),
          template,
          volumeClaimTemplates: w.statefulSet?.volumeClaims?.map((c) => ({
            metadata: { name: c.name, labels: { ...w.selectorLabels } },
            spec: {
              accessModes: ['ReadWriteOnce'],
              ...(c.storageClassName ? { storageClassName: c.storageClassName } : {}),
              resources: { requests: { storage: c.storage } },
            },
          })),
        };
    this.controller = new ApiObject(this, w.kind, { apiVersion: API_VERSIONS[w.kind], kind: w.kind, metadata: metadata(w.name), spec });

    if (w.kind !== 'StatefulSet') renderServices();
    if (w.minAvailable !== undefined) {
      new ApiObject(this, 'PodDisruptionBudget', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: metadata(w.name),
        spec: { minAvailable: w.minAvailable, selector: selector() },
      });
    }
    if (w.networkPolicy) {
      this.networkPolicy = new ApiObject(this, 'NetworkPolicy', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: metadata(w.name),
        spec: {
          podSelector: selector(),
          policyTypes: ['Ingress', 'Egress'],
          ingress: w.networkPolicy.ingress.map((r) => networkRule(r, 'from')),
          egress: w.networkPolicy.egress.map((r) => networkRule(r, 'to')),
        },
      });
    }
  }
}

function clone<T>(value: T): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

function rolloutOf(r: NonNullable<WorkloadPlan['rollout']>): Json {
  if (r.type === 'Recreate') return { type: 'Recreate' };
  return { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: r.maxUnavailable, maxSurge: r.maxSurge } };
}

function container(c: ContainerPlan): Json {
  return { ...clone({ ...c, env: undefined }), env: c.env?.map(envVar) };
}

function envVar(e: EnvVarPlan): Json {
  if ('value' in e) return { name: e.name, value: e.value };
  if ('fieldPath' in e) return { name: e.name, valueFrom: { fieldRef: { fieldPath: e.fieldPath } } };
  return { name: e.name, valueFrom: { secretKeyRef: { name: e.secret.name, key: e.secret.key, optional: false } } };
}

function serviceSpec(s: ServicePlan, selectorLabels: Readonly<Record<string, string>>): Json {
  return {
    ...(s.headless ? { clusterIP: 'None' } : { type: 'ClusterIP' }),
    publishNotReadyAddresses: s.publishNotReadyAddresses,
    ...(s.ipFamily ? { ipFamilyPolicy: 'SingleStack', ipFamilies: [s.ipFamily] } : {}),
    selector: { ...selectorLabels },
    ports: s.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol })),
  };
}

function networkRule(r: NetworkRulePlan, direction: 'from' | 'to'): Json {
  return {
    [direction]: r.peers?.map(peer),
    ports: r.ports?.map((p) => ({ port: p.port, protocol: p.protocol })),
  };
}

function peer(p: NetworkPeerPlan): Json {
  if ('cidr' in p) return { ipBlock: { cidr: p.cidr } };
  const namespaceSelector = p.namespace !== undefined ? { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } } : undefined;
  if (!('pods' in p)) return { namespaceSelector };
  // An empty selector selects every pod (of the namespace).
  return { namespaceSelector, podSelector: Object.keys(p.pods).length > 0 ? { matchLabels: { ...p.pods } } : {} };
}
