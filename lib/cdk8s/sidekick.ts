import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import {
  checksum, DNS_EGRESS, egressRules, hardenedContainer, resources, ROUTING_CHECKSUM_ANNOTATION, secretEnv, spreadOverNodes,
} from './routing-workload';
import type { SidekickPlan } from '../routing/sidekick-plan';

export interface SidekickConstructProps {
  /** The resolved plan (`DetectionStack.plan.routing.sidekick`). */
  readonly plan: SidekickPlan;
}

const CONFIG_DIR = '/etc/falcosidekick';
/** The image's user (falcosecurity/falcosidekick Dockerfile: `USER 1234`). */
const SIDEKICK_USER = 1234;

/**
 * Falcosidekick rendered from its plan: ServiceAccount (no token), config.yaml ConfigMap (no secret),
 * Deployment (credentials from Secrets as env), Service, PodDisruptionBudget and NetworkPolicy.
 */
export class Sidekick extends Construct {
  public readonly configYaml: string;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  public readonly networkPolicy: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: SidekickConstructProps) {
    super(scope, id);
    const plan = props.plan;
    const metadata = (name: string, annotations?: Record<string, string>) => ({
      name, namespace: plan.namespace, labels: { ...plan.podLabels }, ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
    });
    this.configYaml = stringify(plan.config, { lineWidth: 0 });

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: metadata(plan.name, { ...plan.serviceAccountAnnotations }),
      automountServiceAccountToken: false,
    });
    const configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: metadata(`${plan.name}-config`),
      data: { 'config.yaml': this.configYaml },
    });
    const probe = (periodSeconds: number): k8s.Probe => ({
      httpGet: { path: '/ping', port: k8s.IntOrString.fromString('http') },
      periodSeconds,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: metadata(plan.name),
      spec: {
        replicas: plan.replicas,
        selector: { matchLabels: { ...plan.selectorLabels } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: {
            labels: { ...plan.podLabels },
            annotations: { [ROUTING_CHECKSUM_ANNOTATION]: checksum(this.configYaml, JSON.stringify(plan.secretEnv)) },
          },
          spec: {
            serviceAccountName: plan.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: SIDEKICK_USER,
              runAsGroup: SIDEKICK_USER,
              fsGroup: SIDEKICK_USER,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            topologySpreadConstraints: spreadOverNodes(plan.selectorLabels),
            containers: [{
              name: plan.name,
              image: plan.image,
              imagePullPolicy: 'IfNotPresent',
              args: ['-c', `${CONFIG_DIR}/config.yaml`],
              ports: [{ name: 'http', containerPort: plan.port, protocol: 'TCP' }],
              env: secretEnv(plan.secretEnv),
              livenessProbe: probe(10),
              readinessProbe: probe(5),
              resources: resources(plan.resources),
              securityContext: hardenedContainer(SIDEKICK_USER),
              volumeMounts: [
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'config', configMap: { name: configMap.name } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
            ],
          },
        },
      },
    });
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: metadata(plan.name),
      spec: {
        type: 'ClusterIP',
        selector: { ...plan.selectorLabels },
        ports: [{ name: 'http', port: plan.port, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });
    new k8s.KubePodDisruptionBudget(this, 'Pdb', {
      metadata: metadata(plan.name),
      spec: { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...plan.selectorLabels } } },
    });
    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: metadata(plan.name),
      spec: {
        podSelector: { matchLabels: { ...plan.selectorLabels } },
        policyTypes: ['Ingress', 'Egress'],
        // Only the stack's Falco pods post alerts; with no Falco in the stack nothing may connect.
        ingress: plan.clientPodLabels.length > 0 ? [{
          from: plan.clientPodLabels.map((labels) => ({ podSelector: { matchLabels: { ...labels } } })),
          ports: [{ port: k8s.IntOrString.fromNumber(plan.port), protocol: 'TCP' }],
        }] : [],
        egress: [DNS_EGRESS, ...egressRules(plan.egress)],
      },
    });
  }
}
