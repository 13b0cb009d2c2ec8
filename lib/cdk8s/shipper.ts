import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  checksum, DNS_EGRESS, egressRules, hardenedContainer, resources, ROUTING_CHECKSUM_ANNOTATION, secretEnv,
} from './routing-workload';
import { SHIPPER_CONFIG_DIR, ShipperPlan } from '../durable/plan';

export interface ShipperConstructProps {
  /** The resolved plan (`DetectionStack.plan.durable.shipper`). */
  readonly plan: ShipperPlan;
}

/**
 * The durable path rendered from its plan: a Fluent Bit DaemonSet on every node that tails the sensors'
 * JSON output (read-only host mounts), buffers it on the node's disk and writes it to the bucket.
 */
export class Shipper extends Construct {
  public readonly daemonSet: k8s.KubeDaemonSet;

  constructor(scope: Construct, id: string, props: ShipperConstructProps) {
    super(scope, id);
    const plan = props.plan;
    const metadata = (name: string, annotations?: Record<string, string>) => ({
      name, namespace: plan.namespace, labels: { ...plan.podLabels }, ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: metadata(plan.name, { ...plan.serviceAccountAnnotations }),
      automountServiceAccountToken: false,
    });
    const configMap = new k8s.KubeConfigMap(this, 'Config', { metadata: metadata(`${plan.name}-config`), data: { ...plan.files } });
    const hostMounts = plan.readOnlyHostPaths.map((path, i) => ({ name: `source-${i}`, path }));
    const probe = (path: string, periodSeconds: number): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromString('http') }, periodSeconds, timeoutSeconds: 3, failureThreshold: 3,
    });
    this.daemonSet = new k8s.KubeDaemonSet(this, 'DaemonSet', {
      metadata: metadata(plan.name),
      spec: {
        selector: { matchLabels: { ...plan.selectorLabels } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: {
            labels: { ...plan.podLabels },
            annotations: { [ROUTING_CHECKSUM_ANNOTATION]: checksum(...Object.values(plan.files), JSON.stringify(plan.secretEnv)) },
          },
          spec: {
            serviceAccountName: plan.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            // Alerts are raised on every node the sensors run on, tainted pools included.
            tolerations: [{ operator: 'Exists' }],
            priorityClassName: 'system-node-critical',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            // Time to flush the buffer to disk (Grace 30s in fluent-bit.conf).
            terminationGracePeriodSeconds: 60,
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'fluent-bit',
              image: plan.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['/fluent-bit/bin/fluent-bit', '-c', `${SHIPPER_CONFIG_DIR}/fluent-bit.conf`],
              env: [
                { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                ...secretEnv(plan.secretEnv),
              ],
              ports: [{ name: 'http', containerPort: plan.httpPort, protocol: 'TCP' }],
              livenessProbe: probe('/api/v1/health', 10),
              readinessProbe: probe('/api/v1/health', 10),
              resources: resources(plan.resources),
              // Root without any capability: the kubelet's log files and the buffer directory belong to root.
              securityContext: hardenedContainer(0),
              volumeMounts: [
                { name: 'config', mountPath: SHIPPER_CONFIG_DIR, readOnly: true },
                { name: 'buffer', mountPath: plan.bufferHostPath },
                { name: 'tmp', mountPath: '/tmp' },
                ...hostMounts.map((m) => ({ name: m.name, mountPath: m.path, readOnly: true })),
              ],
            }],
            volumes: [
              { name: 'config', configMap: { name: configMap.name } },
              { name: 'buffer', hostPath: { path: plan.bufferHostPath, type: 'DirectoryOrCreate' } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
              ...hostMounts.map((m) => ({ name: m.name, hostPath: { path: m.path, type: 'DirectoryOrCreate' } })),
            ],
          },
        },
      },
    });
    new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: metadata(plan.name),
      spec: {
        podSelector: { matchLabels: { ...plan.selectorLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [DNS_EGRESS, ...egressRules(plan.egress)],
      },
    });
  }
}
