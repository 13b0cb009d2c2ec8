import { renderAlertmanagerConfigYaml } from './alertmanager-config';
import { ALERTMANAGER_NAME, ALERTMANAGER_SECRETS_DIR, AlertmanagerPlan, alertmanagerSelectorLabels } from './alertmanager-plan';
import type { AlertmanagerProps } from './props';
import type { PlanContext } from '../core/context';
import { DetectionStackError } from '../core/errors';
import { IMAGE_PINS, imageReference } from '../core/images';
import { anyAddress, hostPort } from '../core/ip-family';
import {
  configChecksum, CONFIG_CHECKSUM_ANNOTATION, DNS_EGRESS_RULE, egressRules, hardenedContainer, PodPeerPlan, ProbePlan, WorkloadPlan,
} from '../core/workload';

const CONFIG_DIR = '/etc/alertmanager/config';
const STORAGE_DIR = '/alertmanager';
/** The image's user (`USER nobody`). */
const NOBODY = 65534;

/**
 * The bundled Alertmanager: config Secret (credentials are `*_file` paths to the users' Secrets, mounted read-only),
 * headless and client Services, StatefulSet (gossip cluster), PodDisruptionBudget and NetworkPolicy.
 * @param clients the pods allowed in: Falcosidekick, and the shipper when it posts Tetragon's alerts
 */
export function alertmanagerWorkload(plan: AlertmanagerPlan, props: AlertmanagerProps, ctx: PlanContext,
  clients: readonly PodPeerPlan[]): WorkloadPlan {
  const name = ALERTMANAGER_NAME;
  const namespace = ctx.namespace;
  const selectorLabels = alertmanagerSelectorLabels(ctx);
  // Falcosidekick posts to every replica: its targets are the StatefulSet's pods, one URL each.
  const replicas = plan.target.urls.length;
  const storage = alertmanagerStorage(props.storage, `${ctx.path}/routing.alertmanager.storage`);
  const configYaml = renderAlertmanagerConfigYaml(plan);
  const configName = `${name}-config`;
  const headless = `${name}-cluster`;
  const peers = Array.from({ length: replicas }, (_, i) =>
    `--cluster.peer=${name}-${i}.${headless}.${namespace}.svc.cluster.local:${plan.clusterPort}`);
  const probe = (path: string, periodSeconds: number): ProbePlan => ({ httpGet: { path, port: 'http' }, periodSeconds, timeoutSeconds: 3, failureThreshold: 3 });
  const gossipPorts = [{ port: plan.clusterPort, protocol: 'TCP' as const }, { port: plan.clusterPort, protocol: 'UDP' as const }];
  const peersOfTheCluster = [{ pods: selectorLabels }];
  return {
    kind: 'StatefulSet',
    name,
    namespace,
    labels: { ...ctx.labels, ...selectorLabels, 'app.kubernetes.io/component': 'routing' },
    selectorLabels,
    replicas,
    statefulSet: {
      serviceName: headless,
      podManagementPolicy: 'Parallel',
      ...(storage ? { volumeClaims: [{ name: 'storage', storage: storage.size, storageClassName: storage.storageClassName }] } : {}),
    },
    serviceAccount: { name, automountToken: false },
    configs: [{ kind: 'Secret', name: configName, data: { 'alertmanager.yml': configYaml } }],
    pod: {
      annotations: { [CONFIG_CHECKSUM_ANNOTATION]: configChecksum(configYaml) },
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: NOBODY, runAsGroup: NOBODY, fsGroup: NOBODY, seccompProfile: { type: 'RuntimeDefault' } },
      spreadOverNodes: true,
      containers: [{
        name,
        image: imageReference(IMAGE_PINS.alertmanager),
        imagePullPolicy: 'IfNotPresent',
        args: [
          `--config.file=${CONFIG_DIR}/alertmanager.yml`,
          `--storage.path=${STORAGE_DIR}`,
          `--web.listen-address=:${plan.port}`,
          // Go's host:port (net.SplitHostPort): an IPv6 address only in brackets, `[::]:9094`, `[$(POD_IP)]:9094`.
          `--cluster.listen-address=${hostPort(anyAddress(ctx.cluster.ipFamily), plan.clusterPort, ctx.cluster.ipFamily)}`,
          `--cluster.advertise-address=${hostPort('$(POD_IP)', plan.clusterPort, ctx.cluster.ipFamily)}`,
          ...peers,
        ],
        env: [{ name: 'POD_IP', fieldPath: 'status.podIP' }],
        ports: [
          { name: 'http', containerPort: plan.port, protocol: 'TCP' },
          { name: 'cluster-tcp', containerPort: plan.clusterPort, protocol: 'TCP' },
          { name: 'cluster-udp', containerPort: plan.clusterPort, protocol: 'UDP' },
        ],
        livenessProbe: probe('/-/healthy', 10),
        readinessProbe: probe('/-/ready', 5),
        resources: {
          requests: props.resources?.requests ?? { cpu: '20m', memory: '64Mi' },
          limits: props.resources?.limits ?? { cpu: '200m', memory: '256Mi' },
        },
        securityContext: hardenedContainer(NOBODY),
        volumeMounts: [
          { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
          { name: 'storage', mountPath: STORAGE_DIR },
          ...plan.secretMounts.map((m) => ({ name: `secret-${m.secret}`, mountPath: `${ALERTMANAGER_SECRETS_DIR}/${m.secret}`, readOnly: true })),
        ],
      }],
      volumes: [
        { name: 'config', secret: { secretName: configName, defaultMode: 0o440 } },
        // Silences and the notification log: on the replica's PersistentVolumeClaim when storage is set; otherwise
        // shared by gossip, so a replaced pod gets them from its peer (lost only when every replica restarts at once).
        ...(storage ? [] : [{ name: 'storage', emptyDir: { sizeLimit: '256Mi' } }]),
        ...plan.secretMounts.map((m) => ({
          name: `secret-${m.secret}`,
          secret: { secretName: m.secret, defaultMode: 0o440, items: m.keys.map((key) => ({ key, path: key })) },
        })),
      ],
    },
    services: [
      {
        name: headless,
        headless: true,
        publishNotReadyAddresses: true,
        // The peers' DNS names (--cluster.peer) resolve to every address of the Service's families, and 0.33.1 joins
        // each (cluster/cluster.go resolvePeers): one family, the pod IP's that each replica advertises and listens on.
        ipFamily: ctx.cluster.ipFamily ?? 'IPv4',
        ports: [
          { name: 'http', port: plan.port, protocol: 'TCP' },
          { name: 'cluster-tcp', port: plan.clusterPort, protocol: 'TCP' },
          { name: 'cluster-udp', port: plan.clusterPort, protocol: 'UDP' },
        ],
      },
      { name, ports: [{ name: 'http', port: plan.port, protocol: 'TCP' }] },
    ],
    minAvailable: 1,
    networkPolicy: {
      ingress: [
        { peers: [...clients], ports: [{ port: plan.port, protocol: 'TCP' }] },
        { peers: peersOfTheCluster, ports: gossipPorts },
      ],
      egress: [DNS_EGRESS_RULE, { peers: peersOfTheCluster, ports: gossipPorts }, ...egressRules(plan.egress)],
    },
  };
}

/** The workload with more pods admitted to its `port` (the first ingress rule on that port gains them as peers). */
export function admitClients(workload: WorkloadPlan, port: number, clients: readonly PodPeerPlan[]): WorkloadPlan {
  const np = workload.networkPolicy;
  const at = np?.ingress.findIndex((r) => r.ports?.some((p) => p.port === port)) ?? -1;
  if (!np || at < 0) throw new Error(`workload ${workload.name} has no ingress rule on port ${port}`);
  const ingress = np.ingress.map((r, i) => (i === at ? { ...r, peers: [...(r.peers ?? []), ...clients] } : r));
  return { ...workload, networkPolicy: { ...np, ingress } };
}

const STORAGE_SIZE = /^[1-9][0-9]*(Mi|Gi|Ti)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function alertmanagerStorage(storage: AlertmanagerProps['storage'], where: string): AlertmanagerProps['storage'] {
  if (!storage) return undefined;
  if (!STORAGE_SIZE.test(storage.size)) {
    throw new DetectionStackError('DS-ROUTE-014', `${where}.size`, `'${storage.size}' is not a storage size`, "give a quantity such as '1Gi' or '512Mi'");
  }
  const cls = storage.storageClassName;
  if (cls !== undefined && (cls.length > 253 || !DNS_SUBDOMAIN.test(cls))) {
    throw new DetectionStackError('DS-ROUTE-014', `${where}.storageClassName`, `'${cls}' is not a StorageClass name`,
      "give the name of a StorageClass of the cluster (e.g. 'gp3', 'managed-csi', 'oci-bv'), or leave it unset for the default class");
  }
  return storage;
}
