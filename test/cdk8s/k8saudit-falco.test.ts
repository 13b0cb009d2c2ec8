import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import type { DetectionStackProps } from '../../lib/stack/props';
import { expectValidManifests, Manifest } from '../helpers/k8s-schema';

type Obj = { kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown };

// Durable storage is the routing layer's; waived here so only the audit objects are under test.
const waived = { waived: { reason: 'audit layer unit test, durable path tested by its layer' } };

function synth(props: DetectionStackProps): Obj[] {
  return Testing.synth(new DetectionStack(Testing.app(), 'stack', { durable: waived, ...props })) as Obj[];
}
const auditObjects = (objects: Obj[]) => objects.filter((o) => o.metadata.name.startsWith('falco-k8saudit'));
const deployment = (objects: Obj[]) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'falco-k8saudit') as any;
const falcoYaml = (objects: Obj[]) => parse((objects.find((o) => o.metadata.name === 'falco-k8saudit-config') as any).data['falco.yaml']);

const eks: DetectionStackProps = { cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' }, audit: { kubernetes: { falcoPlugin: {} } } };
const aks: DetectionStackProps = { cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' }, audit: { kubernetes: { falcoPlugin: {} } } };

test('no audit Falco unless the plugin is asked for', () => {
  expect(auditObjects(synth({ cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' } }))).toEqual([]);
});

describe('EKS: k8saudit-eks', () => {
  const objects = synth(eks);

  test('a ServiceAccount, a ConfigMap and a one-replica Deployment that never overlaps itself, valid against the schemas', () => {
    expect(auditObjects(objects).map((o) => `${o.kind}/${o.metadata.name}`).sort())
      .toEqual(['ConfigMap/falco-k8saudit-config', 'Deployment/falco-k8saudit', 'NetworkPolicy/falco-k8saudit', 'ServiceAccount/falco-k8saudit']);
    expect(deployment(objects).spec.replicas).toBe(1);
    expect(deployment(objects).spec.strategy).toEqual({ type: 'Recreate' });
    expectValidManifests(auditObjects(objects) as unknown as Manifest[]);
  });

  test('falco.yaml runs no driver and loads k8saudit-eks for this cluster, with the upstream ruleset installed by falcoctl', () => {
    expect(falcoYaml(objects)).toMatchObject({
      engine: { kind: 'nodriver' },
      rules_files: ['/etc/falco/k8s_audit_rules.yaml'],
      load_plugins: ['k8saudit-eks', 'json'],
      plugins: [
        { name: 'k8saudit-eks', library_path: 'libk8saudit-eks.so', open_params: 'prod-eks', init_config: { region: 'eu-west-1', polling_interval: 10 } },
        { name: 'json', library_path: 'libjson.so', init_config: '' },
      ],
    });
    const init = deployment(objects).spec.template.spec.initContainers[0];
    expect(init.args).toEqual(expect.arrayContaining(['ghcr.io/falcosecurity/plugins/ruleset/k8saudit:0.18', '--rulesfiles-dir=/rulesfiles']));
  });

  test('falcoctl is 0.13.0 (what falco chart 9.1.0 pins) by digest', () => {
    const init = deployment(objects).spec.template.spec.initContainers[0];
    expect(init.image).toBe('docker.io/falcosecurity/falcoctl:0.13.0@sha256:0eeb79adc580ae6a5abfdefd7f8f0fed9151fcb545f015c84e8f1d7b2d8a6b02');
  });

  // falcosecurity/falcoctl v0.13.0 internal/config/config.go: every command loads --config (default
  // /etc/falcoctl/falcoctl.yaml) and, when it is missing, MkdirAll's its directory and writes the defaults there;
  // `artifact install` keeps its state in --state-dir (default /var/lib/falcoctl). With a read-only root filesystem
  // both must be writable volumes, as the chart mounts them.
  test('falcoctl has a writable config dir and state dir, on a read-only root filesystem', () => {
    const pod = deployment(objects).spec.template.spec;
    const init = pod.initContainers[0];
    expect(init.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(init.args).toEqual(expect.arrayContaining(['--config=/etc/falcoctl/falcoctl.yaml', '--state-dir=/var/lib/falcoctl']));
    for (const dir of ['/etc/falcoctl', '/var/lib/falcoctl']) {
      const mount = init.volumeMounts.find((m: any) => m.mountPath === dir);
      expect(mount).toBeDefined();
      expect(mount.readOnly).toBeUndefined();
      expect(pod.volumes.find((v: any) => v.name === mount.name).emptyDir).toBeDefined();
    }
  });

  test('every k8s_audit alert gets the cluster name and the audit investigation fields; Falco logs to stderr', () => {
    const config = falcoYaml(objects);
    expect(config.append_output).toEqual([
      { suggested_output: true },
      {
        match: { source: 'k8s_audit' },
        extra_fields: [{ cluster: 'prod-eks' }, 'ka.user.name', 'ka.user.groups', 'ka.useragent', 'ka.verb', 'ka.target.resource',
          'ka.target.subresource', 'ka.target.namespace', 'ka.target.name', 'ka.uri', 'ka.auth.decision'],
      },
    ]);
    expect([config.log_stderr, config.log_syslog, config.syslog_output]).toEqual([true, false, { enabled: false }]);
    expect(config).not.toHaveProperty('program_output');
    expect(config.watch_config_files).toBe(false);
  });

  test('the NetworkPolicy lets the plugin reach the EKS Pod Identity agent for its AWS credentials', () => {
    const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'falco-k8saudit') as any;
    expect(policy.spec.egress).toEqual(expect.arrayContaining([
      { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ port: 80, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: 'fd00:ec2::23/128' } }], ports: [{ port: 80, protocol: 'TCP' }] },
    ]));
  });

  test('runs unprivileged, with a read-only root filesystem and no Kubernetes token', () => {
    const pod = deployment(objects).spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
  });
});

test('with routing, alerts go to Falcosidekick and the NetworkPolicy opens only DNS, HTTPS, the Pod Identity agent and that port', () => {
  const objects = synth({
    ...eks,
    routing: { teams: [{ name: 'payments', namespaces: ['payments'], receivers: { slack: [{ webhookUrl: { name: 's', key: 'u' }, minimumPriority: 'Critical' }] } }] },
  });
  const url = falcoYaml(objects).http_output.url as string;
  expect(url).toMatch(/^http:\/\/falcosidekick\.falco-routing\.svc.*:\d+/);
  const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'falco-k8saudit') as any;
  expect(policy.spec.ingress).toEqual([]);
  expect(policy.spec.egress.map((e: any) => e.ports.map((p: any) => `${p.protocol}/${p.port}`).join(','))).toEqual([
    'UDP/53,TCP/53', 'TCP/443', 'TCP/80', 'TCP/80', `TCP/${new URL(url).port}`,
  ]);
  // Only Falcosidekick's pods, in the routing namespace, on that port.
  expect(policy.spec.egress[4].to).toEqual([{
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'falco-routing' } },
    podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falcosidekick', 'app.kubernetes.io/instance': expect.any(String) } },
  }]);
});

describe('AKS: k8saudit-aks', () => {
  const objects = synth(aks);
  test('connection strings come from a Secret through the environment, never into the ConfigMap', () => {
    const config = falcoYaml(objects);
    expect(config.plugins[0].init_config.event_hub_namespace_connection_string).toBe('${K8SAUDIT_EVENTHUB_CONNECTION_STRING}');
    expect(deployment(objects).spec.template.spec.containers[0].env).toEqual([
      { name: 'K8SAUDIT_EVENTHUB_CONNECTION_STRING', valueFrom: { secretKeyRef: { name: 'falco-k8saudit-aks', key: 'eventhub-connection-string', optional: false } } },
      { name: 'K8SAUDIT_CHECKPOINT_CONNECTION_STRING', valueFrom: { secretKeyRef: { name: 'falco-k8saudit-aks', key: 'checkpoint-connection-string', optional: false } } },
    ]);
    expectValidManifests(auditObjects(objects) as unknown as Manifest[]);
  });

  test('k8saudit-aks ignores open_params: none are given, the cluster name reaches alerts through append_output', () => {
    const config = falcoYaml(objects);
    expect(config.plugins[0]).not.toHaveProperty('open_params');
    expect(config.append_output[1].extra_fields[0]).toEqual({ cluster: 'prod-aks' });
    const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'falco-k8saudit') as any;
    expect(JSON.stringify(policy.spec.egress)).not.toContain('169.254.170.23');
  });
});
