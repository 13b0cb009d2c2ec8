import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FALCO_CONFIG_PATH, FALCO_RULES_DIR, HOST_ROOT } from '../falco/sensor/defaults';
import type { FalcoPlan } from '../falco/sensor/plan';
import { FalcoFiles, renderFalcoFiles } from '../falco/sensor/render';

export interface FalcoSensorConstructProps {
  /** The resolved plan (`DetectionStack.plan.falco`, or `planFalco(...)`). */
  readonly plan: FalcoPlan;
}

/** The pod-template annotation whose value changes with falco.yaml or the rules, so the DaemonSet rolls. */
export const FALCO_CHECKSUM_ANNOTATION = 'checksum/config';
const CONTAINER_NAME = 'falco';

/**
 * The Falco runtime sensor rendered from its plan: ServiceAccount (no token), falco.yaml and custom rules
 * ConfigMaps, and the DaemonSet. Thin by design: every decision is in the plan.
 */
export class FalcoSensor extends Construct {
  public readonly daemonSet: ApiObject;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly rulesConfigMap: k8s.KubeConfigMap;
  /** The rendered files and their checksum. */
  public readonly files: FalcoFiles;

  constructor(scope: Construct, id: string, props: FalcoSensorConstructProps) {
    super(scope, id);
    const plan = props.plan;
    this.files = renderFalcoFiles(plan);
    const metadata = (name: string) => ({ name, namespace: plan.namespace, labels: { ...plan.labels } });

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: metadata(plan.serviceAccount.name),
      automountServiceAccountToken: plan.serviceAccount.automountToken,
    });
    this.configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: metadata(`${plan.name}-config`),
      data: { 'falco.yaml': this.files.falcoYaml },
    });
    this.rulesConfigMap = new k8s.KubeConfigMap(this, 'Rules', {
      metadata: metadata(`${plan.name}-rules`),
      data: { [plan.rules.fileName]: this.files.customRulesYaml },
    });

    const annotations: Record<string, string> = { [FALCO_CHECKSUM_ANNOTATION]: `sha256:${this.files.checksum}` };
    if (plan.security.appArmor.legacyAnnotation) {
      annotations[`container.apparmor.security.beta.kubernetes.io/${CONTAINER_NAME}`] = 'unconfined';
    }
    const webPort = 'web';
    const probe = (periodSeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path: plan.webserver.healthPath, port: k8s.IntOrString.fromString(webPort) },
      periodSeconds,
      failureThreshold,
      timeoutSeconds: 5,
    });

    const daemonSet = k8s.KubeDaemonSet.manifest({
      metadata: metadata(plan.name),
      spec: {
        selector: { matchLabels: { ...plan.selectorLabels } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels: { ...plan.labels }, annotations },
          spec: {
            serviceAccountName: plan.serviceAccount.name,
            automountServiceAccountToken: plan.serviceAccount.automountToken,
            enableServiceLinks: false,
            priorityClassName: plan.priorityClassName,
            nodeSelector: { ...plan.nodeSelector },
            tolerations: plan.tolerations.map((t) => ({ ...t })),
            // The runtime's default seccomp profiles filter bpf() and perf_event_open() differently per
            // runtime version; the capability set is the control here.
            securityContext: { seccompProfile: { type: 'Unconfined' } },
            containers: [{
              name: CONTAINER_NAME,
              image: plan.image.reference,
              imagePullPolicy: 'IfNotPresent',
              command: ['/usr/bin/falco'],
              args: ['-c', FALCO_CONFIG_PATH],
              env: [
                { name: 'HOST_ROOT', value: HOST_ROOT },
                { name: 'FALCO_HOSTNAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              ],
              ports: [{ name: webPort, containerPort: plan.webserver.port, protocol: 'TCP' }],
              startupProbe: probe(5, 24),
              livenessProbe: probe(15, 3),
              readinessProbe: probe(15, 3),
              resources: {
                requests: quantities(plan.resources.requests),
                limits: quantities(plan.resources.limits),
              },
              securityContext: {
                privileged: plan.security.privileged,
                allowPrivilegeEscalation: plan.security.allowPrivilegeEscalation,
                readOnlyRootFilesystem: plan.security.readOnlyRootFilesystem,
                ...(plan.security.privileged ? {} : { capabilities: { drop: ['ALL'], add: [...plan.security.capabilities] } }),
              },
              volumeMounts: [
                { name: 'falco-config', mountPath: FALCO_CONFIG_PATH, subPath: 'falco.yaml', readOnly: true },
                { name: 'falco-rules', mountPath: FALCO_RULES_DIR, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
                ...plan.hostMounts.map((m) => ({ name: m.volumeName, mountPath: m.mountPath, readOnly: m.readOnly })),
              ],
            }],
            volumes: [
              { name: 'falco-config', configMap: { name: this.configMap.name } },
              { name: 'falco-rules', configMap: { name: this.rulesConfigMap.name } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
              ...plan.hostMounts.map((m) => ({ name: m.volumeName, hostPath: { path: m.hostPath, ...(m.type ? { type: m.type } : {}) } })),
            ],
          },
        },
      },
    });
    // `appArmorProfile` (Kubernetes 1.30+) is newer than the typed cdk8s-plus-28 API, whose objects drop unknown
    // fields: the typed manifest is completed here. The modern eBPF probe needs the pod unconfined on AppArmor
    // nodes (Ubuntu); the capability set stays the control.
    daemonSet.spec.template.spec.securityContext.appArmorProfile = { type: plan.security.appArmor.profile };
    this.daemonSet = new ApiObject(this, 'DaemonSet', daemonSet);
  }
}

function quantities(values: { readonly cpu: string; readonly memory: string }): Record<string, k8s.Quantity> {
  return { cpu: k8s.Quantity.fromString(values.cpu), memory: k8s.Quantity.fromString(values.memory) };
}
