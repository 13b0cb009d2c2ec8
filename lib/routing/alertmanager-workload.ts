import { renderAlertmanagerConfigYaml } from './alertmanager-config';
import { ALERTMANAGER_NAME, ALERTMANAGER_SECRETS_DIR, AlertmanagerPlan, alertmanagerSelectorLabels } from './alertmanager-plan';
import type { AlertmanagerProps } from './props';
import type { PlanContext } from '../core/context';
import { IMAGE_PINS, imageReference } from '../core/images';
import {
  configChecksum, CONFIG_CHECKSUM_ANNOTATION, DNS_EGRESS_RULE, egressRules, hardenedContainer, ProbePlan, WorkloadPlan,
} from '../core/workload';

const CONFIG_DIR = '/etc/alertmanager/config';
const STORAGE_DIR = '/alertmanager';
/** The image's user (`USER nobody`). */
const NOBODY = 65534;

/**
 * The bundled Alertmanager: config Secret (credentials are `*_file` paths to the users' Secrets, mounted read-only),
 * headless and client Services, StatefulSet (gossip cluster), PodDisruptionBudget and NetworkPolicy.
 * @param clientPodLabels the pods allowed in: Falcosidekick, and the shipper when it posts Tetragon's alerts
 */
export function alertmanagerWorkload(plan: AlertmanagerPlan, props: AlertmanagerProps, ctx: PlanContext,
  clientPodLabels: readonly Readonly<Record<string, string>>[]): WorkloadPlan {
  const name = ALERTMANAGER_NAME;
  const namespace = ctx.namespace;
  const selectorLabels = alertmanagerSelectorLabels(ctx);
  // Falcosidekick posts to every replica: its targets are the StatefulSet's pods, one URL each.
  const replicas = plan.target.urls.length;
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
    statefulSet: { serviceName: headless, podManagementPolicy: 'Parallel' },
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
          `--cluster.listen-address=0.0.0.0:${plan.clusterPort}`,
          `--cluster.advertise-address=$(POD_IP):${plan.clusterPort}`,
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
        // Silences and the notification log are shared by gossip; a replaced pod gets them from its peer.
        { name: 'storage', emptyDir: { sizeLimit: '256Mi' } },
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
        { peers: clientPodLabels.map((pods) => ({ pods })), ports: [{ port: plan.port, protocol: 'TCP' }] },
        { peers: peersOfTheCluster, ports: gossipPorts },
      ],
      egress: [DNS_EGRESS_RULE, { peers: peersOfTheCluster, ports: gossipPorts }, ...egressRules(plan.egress)],
    },
  };
}

/** The workload with more pods admitted to its `port` (the first ingress rule on that port gains them as peers). */
export function admitClients(workload: WorkloadPlan, port: number, clientPodLabels: readonly Readonly<Record<string, string>>[]): WorkloadPlan {
  const np = workload.networkPolicy;
  const at = np?.ingress.findIndex((r) => r.ports?.some((p) => p.port === port)) ?? -1;
  if (!np || at < 0) throw new Error(`workload ${workload.name} has no ingress rule on port ${port}`);
  const ingress = np.ingress.map((r, i) => (i === at ? { ...r, peers: [...(r.peers ?? []), ...clientPodLabels.map((pods) => ({ pods }))] } : r));
  return { ...workload, networkPolicy: { ...np, ingress } };
}
