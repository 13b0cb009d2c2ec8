import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  checksum, DNS_EGRESS, egressRules, hardenedContainer, resources, ROUTING_CHECKSUM_ANNOTATION, spreadOverNodes,
} from './routing-workload';
import { renderAlertmanagerConfigSpec, renderAlertmanagerConfigYaml } from '../routing/alertmanager-config';
import { ALERTMANAGER_SECRETS_DIR, AlertmanagerPlan } from '../routing/alertmanager-plan';

export interface AlertmanagerConstructProps {
  /** The resolved plan (`DetectionStack.plan.routing.alertmanager`). */
  readonly plan: AlertmanagerPlan;
  /** Labels of the Falcosidekick pods, the only clients allowed in. */
  readonly clientPodLabels: Readonly<Record<string, string>>;
}

const CONFIG_DIR = '/etc/alertmanager/config';
const STORAGE_DIR = '/alertmanager';
/** The image's user (`USER nobody`). */
const NOBODY = 65534;

/**
 * The team routing rendered from its plan. Mode `bundled`: config Secret (credentials are `*_file` paths
 * to the users' Secrets, mounted read-only), headless and client Services, StatefulSet (gossip cluster),
 * PodDisruptionBudget and NetworkPolicy. Mode `operator`: one `AlertmanagerConfig`.
 */
export class Alertmanager extends Construct {
  /** alertmanager.yml (bundled mode). */
  public readonly configYaml?: string;

  constructor(scope: Construct, id: string, props: AlertmanagerConstructProps) {
    super(scope, id);
    const plan = props.plan;
    const metadata = (name: string) => ({ name, namespace: plan.namespace, labels: { ...plan.podLabels } });

    if (plan.mode === 'operator') {
      new ApiObject(this, 'AlertmanagerConfig', {
        apiVersion: 'monitoring.coreos.com/v1alpha1',
        kind: 'AlertmanagerConfig',
        metadata: { name: 'detection-stack-routing', namespace: plan.namespace, labels: { ...plan.podLabels, ...plan.configLabels } },
        spec: renderAlertmanagerConfigSpec(plan),
      });
      return;
    }

    this.configYaml = renderAlertmanagerConfigYaml(plan);
    const headless = `${plan.name}-cluster`;
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: metadata(plan.name), automountServiceAccountToken: false });
    const configSecret = new k8s.KubeSecret(this, 'Config', {
      metadata: metadata(`${plan.name}-config`),
      type: 'Opaque',
      stringData: { 'alertmanager.yml': this.configYaml },
    });
    new k8s.KubeService(this, 'ClusterService', {
      metadata: metadata(headless),
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector: { ...plan.selectorLabels },
        ports: [
          { name: 'http', port: plan.port, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' },
          { name: 'cluster-tcp', port: plan.clusterPort, targetPort: k8s.IntOrString.fromString('cluster-tcp'), protocol: 'TCP' },
          { name: 'cluster-udp', port: plan.clusterPort, targetPort: k8s.IntOrString.fromString('cluster-udp'), protocol: 'UDP' },
        ],
      },
    });
    new k8s.KubeService(this, 'Service', {
      metadata: metadata(plan.name),
      spec: {
        type: 'ClusterIP',
        selector: { ...plan.selectorLabels },
        ports: [{ name: 'http', port: plan.port, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });
    const peers = Array.from({ length: plan.replicas }, (_, i) =>
      `--cluster.peer=${plan.name}-${i}.${headless}.${plan.namespace}.svc.cluster.local:${plan.clusterPort}`);
    const probe = (path: string, periodSeconds: number): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromString('http') }, periodSeconds, timeoutSeconds: 3, failureThreshold: 3,
    });
    new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata: metadata(plan.name),
      spec: {
        serviceName: headless,
        replicas: plan.replicas,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: { ...plan.selectorLabels } },
        template: {
          metadata: { labels: { ...plan.podLabels }, annotations: { [ROUTING_CHECKSUM_ANNOTATION]: checksum(this.configYaml) } },
          spec: {
            serviceAccountName: plan.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: { runAsNonRoot: true, runAsUser: NOBODY, runAsGroup: NOBODY, fsGroup: NOBODY, seccompProfile: { type: 'RuntimeDefault' } },
            topologySpreadConstraints: spreadOverNodes(plan.selectorLabels),
            containers: [{
              name: plan.name,
              image: plan.image,
              imagePullPolicy: 'IfNotPresent',
              args: [
                `--config.file=${CONFIG_DIR}/alertmanager.yml`,
                `--storage.path=${STORAGE_DIR}`,
                `--web.listen-address=:${plan.port}`,
                `--cluster.listen-address=0.0.0.0:${plan.clusterPort}`,
                `--cluster.advertise-address=$(POD_IP):${plan.clusterPort}`,
                ...peers,
              ],
              env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
              ports: [
                { name: 'http', containerPort: plan.port, protocol: 'TCP' },
                { name: 'cluster-tcp', containerPort: plan.clusterPort, protocol: 'TCP' },
                { name: 'cluster-udp', containerPort: plan.clusterPort, protocol: 'UDP' },
              ],
              livenessProbe: probe('/-/healthy', 10),
              readinessProbe: probe('/-/ready', 5),
              resources: resources(plan.resources),
              securityContext: hardenedContainer(NOBODY),
              volumeMounts: [
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'storage', mountPath: STORAGE_DIR },
                ...plan.secretMounts.map((m) => ({ name: `secret-${m.secret}`, mountPath: `${ALERTMANAGER_SECRETS_DIR}/${m.secret}`, readOnly: true })),
              ],
            }],
            volumes: [
              { name: 'config', secret: { secretName: configSecret.name, defaultMode: 0o440 } },
              // Silences and the notification log are shared by gossip; a replaced pod gets them from its peer.
              { name: 'storage', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
              ...plan.secretMounts.map((m) => ({
                name: `secret-${m.secret}`,
                secret: { secretName: m.secret, defaultMode: 0o440, items: m.keys.map((key) => ({ key, path: key })) },
              })),
            ],
          },
        },
      },
    });
    new k8s.KubePodDisruptionBudget(this, 'Pdb', {
      metadata: metadata(plan.name),
      spec: { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...plan.selectorLabels } } },
    });
    const gossipPorts = [
      { port: k8s.IntOrString.fromNumber(plan.clusterPort), protocol: 'TCP' },
      { port: k8s.IntOrString.fromNumber(plan.clusterPort), protocol: 'UDP' },
    ];
    new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: metadata(plan.name),
      spec: {
        podSelector: { matchLabels: { ...plan.selectorLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [{ podSelector: { matchLabels: { ...props.clientPodLabels } } }], ports: [{ port: k8s.IntOrString.fromNumber(plan.port), protocol: 'TCP' }] },
          { from: [{ podSelector: { matchLabels: { ...plan.selectorLabels } } }], ports: gossipPorts },
        ],
        egress: [
          DNS_EGRESS,
          { to: [{ podSelector: { matchLabels: { ...plan.selectorLabels } } }], ports: gossipPorts },
          ...egressRules(plan.egress),
        ],
      },
    });
  }
}
