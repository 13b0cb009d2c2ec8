import { FALCO_CONFIG_PATH, FALCO_RULES_DIR, HOST_ROOT } from './defaults';
import { k8smetaFalcoPodParts } from './k8smeta';
import type { FalcoPlan } from './plan';
import { renderFalcoFiles } from './render';
import { OWNER_LABEL } from './rules-files';
import { FALCOCTL_RESOURCES } from '../../core/falcoctl';
import { CONFIG_CHECKSUM_ANNOTATION, DNS_EGRESS_RULE, NetworkRulePlan, ProbePlan, WorkloadPlan } from '../../core/workload';

const CONTAINER_NAME = 'falco';
const WEB_PORT = 'web';

/** The Falco DaemonSet, its ServiceAccount (no token) and its falco.yaml and custom rules ConfigMaps. */
export function falcoWorkload(plan: FalcoPlan): WorkloadPlan {
  const files = renderFalcoFiles(plan);
  const annotations: Record<string, string> = { [CONFIG_CHECKSUM_ANNOTATION]: `sha256:${files.checksum}` };
  if (plan.security.appArmor.legacyAnnotation) {
    annotations[`container.apparmor.security.beta.kubernetes.io/${CONTAINER_NAME}`] = 'unconfined';
  }
  const probe = (periodSeconds: number, failureThreshold: number): ProbePlan => ({
    httpGet: { path: plan.webserver.healthPath, port: WEB_PORT }, periodSeconds, failureThreshold, timeoutSeconds: 5,
  });
  const configName = `${plan.name}-config`;
  const k8smeta = plan.kubernetesMetadata && k8smetaFalcoPodParts(plan.kubernetesMetadata, FALCOCTL_RESOURCES);
  // One ConfigMap per owning team (and one for the shared lists and macros), all projected into rules.d.
  const rules = files.rulesFiles.map((f) => ({
    kind: 'ConfigMap' as const,
    name: `${plan.name}-rules-${f.team ?? 'shared'}`,
    data: { [f.fileName]: f.content },
    ...(f.team ? { labels: { [OWNER_LABEL]: f.team } } : {}),
  }));
  return {
    kind: 'DaemonSet',
    name: plan.name,
    namespace: plan.namespace,
    labels: plan.labels,
    selectorLabels: plan.selectorLabels,
    rollout: { type: 'RollingUpdate', maxUnavailable: 1 },
    serviceAccount: { name: plan.serviceAccount.name, automountToken: plan.serviceAccount.automountToken },
    ...(plan.security.privileged ? { privilegeReasons: { privileged: plan.security.escalations.join('; ') } } : {}),
    configs: [
      { kind: 'ConfigMap', name: configName, data: { 'falco.yaml': files.falcoYaml } },
      ...rules,
    ],
    pod: {
      annotations,
      enableServiceLinks: false,
      priorityClassName: plan.priorityClassName,
      nodeSelector: plan.nodeSelector,
      tolerations: plan.tolerations,
      // The runtime's default seccomp profiles filter bpf() and perf_event_open() differently per runtime version;
      // the capability set is the control here. The modern eBPF probe needs the pod unconfined on AppArmor nodes (Ubuntu).
      securityContext: { seccompProfile: { type: 'Unconfined' }, appArmorProfile: { type: plan.security.appArmor.profile } },
      ...(k8smeta ? { initContainers: [k8smeta.initContainer] } : {}),
      containers: [{
        name: CONTAINER_NAME,
        image: plan.image.reference,
        imagePullPolicy: 'IfNotPresent',
        command: ['/usr/bin/falco'],
        args: ['-c', FALCO_CONFIG_PATH],
        env: [{ name: 'HOST_ROOT', value: HOST_ROOT }, { name: 'FALCO_HOSTNAME', fieldPath: 'spec.nodeName' }, ...(k8smeta ? [k8smeta.env] : [])],
        ports: [{ name: WEB_PORT, containerPort: plan.webserver.port, protocol: 'TCP' }],
        startupProbe: probe(5, 24),
        livenessProbe: probe(15, 3),
        readinessProbe: probe(15, 3),
        resources: plan.resources,
        securityContext: {
          privileged: plan.security.privileged,
          allowPrivilegeEscalation: plan.security.allowPrivilegeEscalation,
          readOnlyRootFilesystem: plan.security.readOnlyRootFilesystem,
          ...(plan.security.privileged ? {} : { capabilities: { drop: ['ALL'], add: plan.security.capabilities } }),
        },
        volumeMounts: [
          { name: 'falco-config', mountPath: FALCO_CONFIG_PATH, subPath: 'falco.yaml', readOnly: true },
          { name: 'falco-rules', mountPath: FALCO_RULES_DIR, readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
          ...plan.hostMounts.map((m) => ({ name: m.volumeName, mountPath: m.mountPath, readOnly: m.readOnly })),
          ...(k8smeta?.mounts ?? []),
        ],
      }],
      volumes: [
        { name: 'falco-config', configMap: { name: configName } },
        // Falco needs rules.d to exist even when no team has rules: an empty folder then.
        rules.length > 0 ? { name: 'falco-rules', projected: { sources: rules.map((r) => ({ configMap: { name: r.name } })) } } : { name: 'falco-rules', emptyDir: { sizeLimit: '1Mi' } },
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        ...plan.hostMounts.map((m) => ({ name: m.volumeName, hostPath: { path: m.hostPath, ...(m.type ? { type: m.type } : {}) } })),
        ...(k8smeta?.volumes ?? []),
      ],
    },
    services: [],
    networkPolicy: { ingress: [], egress: [DNS_EGRESS_RULE, ...httpOutputEgress(plan), ...k8smetaEgress(plan)] },
  };
}

/**
 * Falco calls nothing but its http_output (Falcosidekick's pods); nothing calls in: the webserver's health checks come
 * from the kubelet on the node, which NetworkPolicy always admits, and Prometheus is admitted by the monitoring layer.
 */
function httpOutputEgress(plan: FalcoPlan): NetworkRulePlan[] {
  if (!plan.httpOutput) return [];
  const url = new URL(plan.httpOutput.url);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  return [{ ...(plan.httpOutput.pods ? { peers: [plan.httpOutput.pods] } : {}), ports: [{ port, protocol: 'TCP' }] }];
}

/** With k8smeta: the collector's pods on the broker port, and HTTPS for falcoctl's download of the plugin (ghcr.io). */
function k8smetaEgress(plan: FalcoPlan): NetworkRulePlan[] {
  const c = plan.kubernetesMetadata?.collector;
  if (!c) return [];
  return [
    { peers: [{ pods: c.selectorLabels, namespace: c.namespace }], ports: [{ port: c.port, protocol: 'TCP' }] },
    { ports: [{ port: 443, protocol: 'TCP' }] },
  ];
}
