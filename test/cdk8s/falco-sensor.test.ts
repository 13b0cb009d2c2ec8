import { parse } from 'yaml';
import { falcoParts, K8sObject, only, synthStack } from './falco-helpers';
import {
  and, CloudProvider, IMAGE_PINS, FalcoCustomRule, FalcoSensorProps, inList, printCondition,
} from '../../lib';
import { imageReference } from '../../lib/core/images';
import { schemaErrors } from '../helpers/k8s-schema';

const RULE: FalcoCustomRule = {
  owner: 'payments',
  rule: {
    kind: 'rule',
    name: 'Shell in billing',
    desc: 'A shell started in a billing container',
    condition: printCondition(and(inList('evt.type', ['execve', 'execveat']), inList('proc.name', ['sh', 'bash']), inList('k8s.ns.name', ['billing']))),
    output: 'Shell in billing (proc.cmdline=%proc.cmdline k8s.pod.name=%k8s.pod.name)',
    priority: 'WARNING',
  },
};

function falcoOn(provider: CloudProvider, falco: FalcoSensorProps = {}) {
  return synthStack({ cluster: { name: 'c1', provider }, sensors: { falco } });
}

describe('Falco sensor on cdk8s', () => {
  describe.each(['oke', 'eks', 'aks'] as const)('on %s', (provider) => {
    test('every object validates against the upstream Kubernetes schemas', () => {
      const { objects } = falcoOn(provider, { customRules: [RULE] });
      expect(objects.map((o: K8sObject) => `${o.kind}/${o.metadata.name}`)).toEqual([
        'ServiceAccount/falco', 'ConfigMap/falco-config', 'ConfigMap/falco-rules-payments', 'DaemonSet/falco', 'NetworkPolicy/falco',
      ]);
      expect(schemaErrors(objects)).toEqual([]);
    });

    test('GIVEN no routing THEN Falco\'s NetworkPolicy lets nothing in and nothing out but DNS', () => {
      const policy = only(falcoOn(provider).objects, 'NetworkPolicy', 'falco');
      expect(policy.spec).toEqual({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': 'falco' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
        }],
      });
    });

    test('no RBAC object and no service account token', () => {
      const { objects } = falcoOn(provider);
      expect(objects.filter((o: K8sObject) => /Role|RoleBinding/.test(o.kind))).toEqual([]);
      expect(only(objects, 'ServiceAccount', 'falco').automountServiceAccountToken).toBe(false);
      expect(falcoParts(objects).pod.automountServiceAccountToken).toBe(false);
      expect(falcoParts(objects).pod.serviceAccountName).toBe('falco');
    });
  });

  test('GIVEN the default props WHEN synthesized THEN the container is least privileged', () => {
    const { container, pod } = falcoParts(falcoOn('oke').objects);
    expect(container.securityContext).toEqual({
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['BPF', 'PERFMON', 'SYS_RESOURCE', 'SYS_PTRACE'] },
    });
    expect(pod.securityContext).toEqual({ appArmorProfile: { type: 'Unconfined' }, seccompProfile: { type: 'Unconfined' } });
    expect(pod.hostPID).toBeUndefined();
    expect(pod.hostNetwork).toBeUndefined();
  });

  test('the image is pinned by version and digest', () => {
    const { container } = falcoParts(falcoOn('oke').objects);
    expect(container.image).toBe('docker.io/falcosecurity/falco:0.44.1@sha256:d0cfe422d6ac0e0f20857798f46c7d7273210e1b064b22821e4e6e7f843cde6b');
    expect(container.image).toBe(imageReference(IMAGE_PINS.falco));
  });

  test('tolerates every taint, runs node-critical on Linux nodes, with requests and limits', () => {
    const { pod, container } = falcoParts(falcoOn('eks').objects);
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1024Mi' } });
  });

  test('probes hit the webserver health endpoint on the port Falco listens on', () => {
    const { container, falcoYaml } = falcoParts(falcoOn('oke', { webserverPort: 9876 }).objects);
    expect(container.ports).toEqual([{ name: 'web', containerPort: 9876, protocol: 'TCP' }]);
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      expect(probe.httpGet).toEqual({ path: '/healthz', port: 'web' });
    }
    expect(falcoYaml.webserver).toMatchObject({ enabled: true, listen_port: 9876, k8s_healthz_endpoint: '/healthz' });
  });

  test.each([
    ['oke', '/var/run/crio/crio.sock'],
    ['eks', '/run/containerd/containerd.sock'],
    ['aks', '/run/containerd/containerd.sock'],
  ] as const)('on %s the host mounts are minimal and read-only, with the runtime socket %s', (provider, socket) => {
    const { pod, container, falcoYaml } = falcoParts(falcoOn(provider).objects);
    const hostVolumes = pod.volumes.filter((v: K8sObject) => v.hostPath);
    // /sys/kernel whole, as the falco chart mounts it: tracefs may be under debug/tracing only.
    expect(hostVolumes.map((v: K8sObject) => v.hostPath.path)).toEqual(['/proc', '/etc', '/sys/kernel', socket]);
    const mounts = container.volumeMounts.filter((m: K8sObject) => hostVolumes.some((v: K8sObject) => v.name === m.name));
    expect(mounts.map((m: K8sObject) => [m.mountPath, m.readOnly])).toEqual([
      ['/host/proc', true], ['/host/etc', true], ['/sys/kernel', true], [`/host${socket}`, true],
    ]);
    expect(hostVolumes.find((v: K8sObject) => v.hostPath.path === socket).hostPath.type).toBe('Socket');
    expect(falcoYaml.plugins[0].init_config.engines.cri).toEqual({ enabled: true, sockets: [socket] });
  });

  test('falco.yaml holds the engine, outputs, matching, plugin and rules settings', () => {
    const { falcoYaml } = falcoParts(falcoOn('oke').objects);
    expect(falcoYaml.engine.kind).toBe('modern_ebpf');
    expect(falcoYaml.json_output).toBe(true);
    expect(falcoYaml.json_include_output_property).toBe(true);
    expect(falcoYaml.json_include_tags_property).toBe(true);
    expect(falcoYaml.stdout_output).toEqual({ enabled: true });
    // Falco 0.44.1's schema requires `program` in program_output even when disabled; off is Falco's default.
    expect(falcoYaml).not.toHaveProperty('program_output');
    expect(falcoYaml.syslog_output).toEqual({ enabled: false });
    expect([falcoYaml.log_stderr, falcoYaml.log_syslog]).toEqual([true, false]);
    expect(falcoYaml.http_output).toEqual({ enabled: false });
    expect(falcoYaml.priority).toBe('notice');
    expect(falcoYaml.rule_matching).toBe('first');
    expect(falcoYaml.load_plugins).toEqual(['container']);
    expect(falcoYaml.plugins.map((p: K8sObject) => [p.name, p.library_path])).toEqual([['container', 'libcontainer.so']]);
    expect(Object.entries(falcoYaml.plugins[0].init_config.engines).filter(([, e]) => (e as K8sObject).enabled).map(([k]) => k)).toEqual(['cri']);
    expect(falcoYaml.rules_files).toEqual(['/etc/falco/falco_rules.yaml', '/etc/falco/rules.d']);
    expect(falcoYaml).not.toHaveProperty('config_files');
  });

  test('watch_config_files is off: the ConfigMaps are mounted with subPath, so changes arrive by the checksum rollout', () => {
    const { falcoYaml, container } = falcoParts(falcoOn('oke').objects);
    expect(falcoYaml.watch_config_files).toBe(false);
    expect(container.volumeMounts).toContainEqual({ name: 'falco-config', mountPath: '/etc/falco/falco.yaml', subPath: 'falco.yaml', readOnly: true });
  });

  test('append_output gives every syscall alert, from any rule, the cluster name and the investigation fields', () => {
    const { falcoYaml } = falcoParts(falcoOn('oke').objects);
    expect(falcoYaml.append_output).toEqual([
      { suggested_output: true },
      {
        match: { source: 'syscall' },
        extra_fields: [{ cluster: 'c1' }, 'k8s.ns.name', 'k8s.pod.name', 'container.name', 'container.image.repository', 'container.image.digest',
          'proc.cmdline', 'proc.exepath', 'proc.pname', 'proc.pcmdline', 'user.name', 'user.uid', 'thread.cap_effective', 'evt.hostname'],
      },
    ]);
  });

  test('custom rules are mounted into rules.d with their quoted values', () => {
    const { container, rulesData } = falcoParts(falcoOn('oke', { customRules: [RULE] }).objects);
    expect(container.volumeMounts).toContainEqual({ name: 'falco-rules', mountPath: '/etc/falco/rules.d', readOnly: true });
    const rules = parse(rulesData['50-team-payments.yaml']);
    expect(rules).toEqual([expect.objectContaining({
      rule: 'Shell in billing',
      condition: 'evt.type in ("execve", "execveat") and proc.name in ("sh", "bash") and k8s.ns.name in ("billing")',
      priority: 'WARNING',
    })]);
  });

  test('the checksum annotation changes when the rules or the config change, and only then', () => {
    const base = falcoParts(falcoOn('oke', { customRules: [RULE] }).objects).checksum;
    expect(base).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(falcoParts(falcoOn('oke', { customRules: [RULE] }).objects).checksum).toBe(base);
    const otherRule = { ...RULE, rule: { ...RULE.rule, priority: 'ERROR' as const } };
    expect(falcoParts(falcoOn('oke', { customRules: [otherRule] }).objects).checksum).not.toBe(base);
    expect(falcoParts(falcoOn('oke', { customRules: [RULE], minimumPriority: 'WARNING' }).objects).checksum).not.toBe(base);
  });

  describe('opt-ins', () => {
    test('GIVEN AKS (perf_event_paranoid 4 on Ubuntu) THEN CAP_SYS_ADMIN is added and reported as a warning', () => {
      const { objects, chart } = falcoOn('aks');
      const { container } = falcoParts(objects);
      expect(container.securityContext.capabilities.add).toEqual(['BPF', 'PERFMON', 'SYS_RESOURCE', 'SYS_PTRACE', 'SYS_ADMIN']);
      expect(container.securityContext.allowPrivilegeEscalation).toBe(true);
      expect(chart.checks.findings).toContainEqual(expect.objectContaining({ id: 'DS-FALCO-101', level: 'warning', path: 'test/sensors.falco' }));
    });

    test('GIVEN AKS nodes with perf_event_paranoid lowered WHEN perfEventAccess is perfmon THEN no CAP_SYS_ADMIN and no finding', () => {
      const { objects, chart } = falcoOn('aks', { perfEventAccess: 'perfmon' });
      expect(falcoParts(objects).container.securityContext.capabilities.add).toEqual(['BPF', 'PERFMON', 'SYS_RESOURCE', 'SYS_PTRACE']);
      expect(chart.checks.findings.filter((f) => f.id === 'DS-FALCO-101')).toEqual([]);
    });

    test('privileged is an explicit opt-in that drops the capability list and is reported', () => {
      const { objects, chart } = falcoOn('oke', { privileged: true });
      const { container } = falcoParts(objects);
      expect(container.securityContext).toEqual({ privileged: true, allowPrivilegeEscalation: true, readOnlyRootFilesystem: true });
      expect(chart.checks.findings.map((f) => f.id)).toContain('DS-FALCO-101');
      expect(schemaErrors(objects)).toEqual([]);
    });

    test('the legacy AppArmor annotation is written only on request', () => {
      expect(falcoParts(falcoOn('aks').objects).daemonSet.spec.template.metadata.annotations)
        .not.toHaveProperty(['container.apparmor.security.beta.kubernetes.io/falco']);
      const annotations = falcoParts(falcoOn('aks', { legacyAppArmorAnnotation: true }).objects).daemonSet.spec.template.metadata.annotations;
      expect(annotations['container.apparmor.security.beta.kubernetes.io/falco']).toBe('unconfined');
    });

    test('a custom socket, tolerations and priority class replace the defaults', () => {
      const { pod, falcoYaml } = falcoParts(falcoOn('eks', {
        containerRuntimeSocket: '/run/dockershim.sock',
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
        priorityClassName: 'security-critical',
      }).objects);
      expect(falcoYaml.plugins[0].init_config.engines.cri.sockets).toEqual(['/run/dockershim.sock']);
      expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]);
      expect(pod.priorityClassName).toBe('security-critical');
    });
  });

  describe('bad props fail at construction with the construct path and the fix', () => {
    test.each([
      ['floating tag', { image: { tag: 'latest' } }, /DS-FALCO-001 at test\/sensors\.falco\.image\.tag: 'latest' is not a pinned release tag\. Fix: pin a release such as '0.44.1'/],
      ['bad digest', { image: { digest: 'sha256:abc' } }, /DS-FALCO-002 at test\/sensors\.falco\.image\.digest: .*Fix: give the digest as sha256:/],
      ['port 0', { webserverPort: 0 }, /DS-FALCO-006 at test\/sensors\.falco\.webserverPort: 0 is not a TCP port/],
      ['bad quantity', { resources: { limits: { memory: '1 GB' } } }, /DS-FALCO-014 at test\/sensors\.falco\.resources\.limits\.memory: '1 GB' is not a Kubernetes quantity/],
      ['relative socket', { containerRuntimeSocket: 'run/crio.sock' }, /DS-FALCO-005 at test\/sensors\.falco\.containerRuntimeSocket/],
      ['privileged with perfEventAccess', { privileged: true, perfEventAccess: 'perfmon' }, /DS-FALCO-007 at test\/sensors\.falco\.perfEventAccess: perfEventAccess has no effect when privileged is true/],
      ['Exists toleration with a value', { tolerations: [{ operator: 'Exists', value: 'x' }] }, /DS-FALCO-011 at test\/sensors\.falco\.tolerations\[0\]\.value/],
      ['bad priority class', { priorityClassName: 'Node_Critical' }, /DS-FALCO-012 at test\/sensors\.falco\.priorityClassName/],
      ['empty owner', { customRules: [{ ...RULE, owner: '' }] }, /DS-FALCO-003 at test\/sensors\.falco\.customRules\[0\]\.owner: owner '' of rule 'Shell in billing' is not a team name/],
      ['unowned without reason', { customRules: [{ ...RULE, owner: { unowned: '' } }] }, /DS-FALCO-003 .*owner\.unowned: .* a reason of 0 characters, too short .*Fix: say in at least 10 characters why/],
    ] as [string, FalcoSensorProps, RegExp][])('%s', (_label, falco, message) => {
      expect(() => falcoOn('oke', falco)).toThrow(message);
    });
  });
});
