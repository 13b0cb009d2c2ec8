import { Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { DetectionStack, DetectionStackChartProps } from '../../lib';
import { schemaErrors } from '../helpers/k8s-schema';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type K8sObject = any;

/** Falcosidekick and Alertmanager keys that hold a credential when given inline. */
const INLINE_CREDENTIAL_KEYS = /^\s*-?\s*(webhookurl|apikey|password|routingkey|token|api_url|webhook_url|routing_key|service_key|api_key|auth_password):/im;

const PROPS: DetectionStackChartProps = {
  cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
  routing: {
    sidekick: {
      outputs: {
        slack: { webhookUrl: { name: 'secops-slack', key: 'url' } },
        smtp: { hostPort: 'smtp.example.com:587', from: 'falco@example.com', to: ['soc@example.com'], user: 'falco', password: { name: 'smtp', key: 'password' } },
        syslog: { host: 'syslog.logging.svc.cluster.local', port: 514 },
      },
    },
    teams: [{ name: 'payments', namespaces: ['billing'], receivers: { pagerDuty: [{ routingKey: { name: 'payments-pd', key: 'key' }, minimumPriority: 'Critical' }] } }],
  },
  durable: { bucket: { name: 'detections-prod-eks', aws: { roleArn: 'arn:aws:iam::111122223333:role/shipper' } } },
};

function synth(props: DetectionStackChartProps): { chart: DetectionStack; objects: K8sObject[] } {
  const chart = new DetectionStack(Testing.app(), 'test', props);
  return { chart, objects: Testing.synth(chart) };
}
const find = (objects: K8sObject[], kind: string, name: string): K8sObject => {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
};
const HARDENED = {
  readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
};

describe('routing and durable workloads, synthesized', () => {
  const { chart, objects } = synth(PROPS);

  test('every object validates against the upstream Kubernetes schemas', () => {
    expect(schemaErrors(objects)).toEqual([]);
  });

  test('no guardrail error on a compliant stack', () => {
    expect(chart.checks.findings.filter((f) => f.level === 'error')).toEqual([]);
  });

  test('Falcosidekick: 2 replicas, non-root, read-only, no capability, no token, probes on /ping, resources', () => {
    const deployment = find(objects, 'Deployment', 'falcosidekick');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(deployment.spec.replicas).toBe(2);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1234, runAsGroup: 1234, fsGroup: 1234, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({ ...HARDENED, runAsNonRoot: true, runAsUser: 1234, runAsGroup: 1234 });
    expect(container.image).toMatch(/^docker\.io\/falcosecurity\/falcosidekick:2\.34\.1@sha256:[0-9a-f]{64}$/);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/ping', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ping', port: 'http' });
    expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(container.args).toEqual(['-c', '/etc/falcosidekick/config.yaml']);
    expect(find(objects, 'PodDisruptionBudget', 'falcosidekick').spec.minAvailable).toBe(1);
    expect(find(objects, 'ServiceAccount', 'falcosidekick').automountServiceAccountToken).toBe(false);
    expect(find(objects, 'Service', 'falcosidekick').spec.ports).toEqual([{ name: 'http', port: 2801, targetPort: 'http', protocol: 'TCP' }]);
  });

  test('Falcosidekick credentials: env from secretKeyRef only, never in the ConfigMap', () => {
    const container = find(objects, 'Deployment', 'falcosidekick').spec.template.spec.containers[0];
    expect(container.env).toEqual([
      { name: 'SLACK_WEBHOOKURL', valueFrom: { secretKeyRef: { name: 'secops-slack', key: 'url', optional: false } } },
      { name: 'SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: 'smtp', key: 'password', optional: false } } },
    ]);
    expect(container.env.every((e: K8sObject) => e.value === undefined)).toBe(true);
    const config = find(objects, 'ConfigMap', 'falcosidekick-config').data['config.yaml'];
    expect(config).not.toMatch(/webhookurl|password/);
    expect(config).toContain('hostport: smtp.example.com:587');
  });

  test('Falcosidekick NetworkPolicy: in only from Falco on 2801; out to DNS and the declared destinations', () => {
    const np = find(objects, 'NetworkPolicy', 'falcosidekick').spec;
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'falco' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': 'falco' } },
      }],
      ports: [{ port: 2801, protocol: 'TCP' }],
    }]);
    const falcoPods = find(objects, 'DaemonSet', 'falco').spec.template.metadata.labels;
    expect(falcoPods).toMatchObject(np.ingress[0].from[0].podSelector.matchLabels);
    expect(np.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ port: 587, protocol: 'TCP' }] },
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': 'prod-eks' } } }], ports: [{ port: 9093, protocol: 'TCP' }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } } }] },
    ]);
  });

  test('Alertmanager: StatefulSet hardened like Falcosidekick, config in a Secret, user Secrets mounted as files', () => {
    const sts = find(objects, 'StatefulSet', 'alertmanager');
    const pod = sts.spec.template.spec;
    const container = pod.containers[0];
    expect(sts.spec.replicas).toBe(2);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toEqual({ ...HARDENED, runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 });
    expect(container.image).toBe('quay.io/prometheus/alertmanager:v0.34.0@sha256:690c7b525f4367aa91f73e2f91c632206d32e97c6384bdbf2fb7a861b420340d');
    expect(container.args).toContain('--cluster.peer=alertmanager-1.alertmanager-cluster.falco-routing.svc.cluster.local:9094');
    expect(container.livenessProbe.httpGet.path).toBe('/-/healthy');
    expect(container.readinessProbe.httpGet.path).toBe('/-/ready');
    expect(pod.volumes).toContainEqual({ name: 'config', secret: { secretName: 'alertmanager-config', defaultMode: 0o440 } });
    expect(pod.volumes).toContainEqual({ name: 'secret-payments-pd', secret: { secretName: 'payments-pd', defaultMode: 0o440, items: [{ key: 'key', path: 'key' }] } });
    expect(container.volumeMounts).toContainEqual({ name: 'secret-payments-pd', mountPath: '/etc/alertmanager/secrets/payments-pd', readOnly: true });
    expect(find(objects, 'Secret', 'alertmanager-config').stringData['alertmanager.yml']).toContain('routing_key_file: /etc/alertmanager/secrets/payments-pd/key');
    expect(find(objects, 'PodDisruptionBudget', 'alertmanager').spec.minAvailable).toBe(1);
    const np = find(objects, 'NetworkPolicy', 'alertmanager').spec;
    expect(np.ingress[0]).toEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falcosidekick', 'app.kubernetes.io/instance': 'prod-eks' } } }],
      ports: [{ port: 9093, protocol: 'TCP' }],
    });
  });

  test('the shipper: every node, root without capabilities, read-only sources, buffer on the host, IRSA', () => {
    const ds = find(objects, 'DaemonSet', 'alert-shipper');
    const pod = ds.spec.template.spec;
    const container = pod.containers[0];
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toEqual({ ...HARDENED, runAsNonRoot: false, runAsUser: 0, runAsGroup: 0 });
    expect(container.image).toMatch(/^docker\.io\/fluent\/fluent-bit:5\.1\.1@sha256:[0-9a-f]{64}$/);
    expect(pod.volumes).toContainEqual({ name: 'buffer', hostPath: { path: '/var/lib/detection-stack/fluent-bit', type: 'DirectoryOrCreate' } });
    expect(pod.volumes).toContainEqual({ name: 'source-0', hostPath: { path: '/var/log/containers', type: 'Directory' } });
    expect(pod.volumes).toContainEqual({ name: 'source-1', hostPath: { path: '/var/log/pods', type: 'Directory' } });
    expect(container.volumeMounts).toContainEqual({ name: 'source-0', mountPath: '/var/log/containers', readOnly: true });
    expect(container.volumeMounts).toContainEqual({ name: 'source-1', mountPath: '/var/log/pods', readOnly: true });
    expect(container.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).not.toContain('/var/log');
    expect(find(objects, 'ServiceAccount', 'alert-shipper').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/shipper' });
    expect(find(objects, 'NetworkPolicy', 'alert-shipper').spec.ingress).toEqual([]);
  });

  test('operator mode renders one AlertmanagerConfig and no bundled Alertmanager', () => {
    const { objects: op } = synth({
      ...PROPS,
      routing: { ...PROPS.routing, alertmanager: { mode: 'operator', operator: { alertmanagerUrls: ['http://alertmanager-operated.monitoring.svc:9093'] } } },
    });
    expect(op.filter((o: K8sObject) => o.kind === 'StatefulSet')).toEqual([]);
    const amc = find(op, 'AlertmanagerConfig', 'detection-stack-routing');
    expect(amc.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(amc.spec.receivers[1]).toMatchObject({ name: 'payments-pagerduty', pagerdutyConfigs: [{ routingKey: { name: 'payments-pd', key: 'key' } }] });
    expect(schemaErrors(op, { customResources: ['monitoring.coreos.com/v1alpha1/AlertmanagerConfig'] })).toEqual([]);
  });
});

describe('every provider synthesizes valid objects', () => {
  test.each([
    ['oke', { name: 'detections-oke', oci: { objectStorageNamespace: 'tenancyns', accessKeyId: { name: 'keys', key: 'id' }, secretAccessKey: { name: 'keys', key: 'secret' } } }],
    ['aks', { name: 'detections', azure: { storageAccount: 'secstore', sharedKey: { name: 'blob', key: 'key' } } }],
    ['eks', { name: 'detections-eks', aws: { podIdentity: true } }],
  ] as const)('%s', (provider, bucket) => {
    const { chart, objects } = synth({
      cluster: { name: 'c1', provider, region: provider === 'oke' ? 'eu-frankfurt-1' : provider === 'aks' ? 'westeurope' : 'eu-west-1' },
      routing: { sidekick: { outputs: { webhook: { address: 'https://siem.example.com/falco' } } } },
      durable: { bucket },
    });
    expect(schemaErrors(objects)).toEqual([]);
    expect(chart.checks.findings.filter((f) => f.level === 'error')).toEqual([]);
    const shipper = find(objects, 'DaemonSet', 'alert-shipper').spec.template.spec.containers[0];
    const secretEnvNames = (shipper.env as K8sObject[]).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name);
    expect(secretEnvNames).toEqual({ oke: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'], aks: ['AZURE_BLOB_SHARED_KEY'], eks: [] }[provider]);
  });
});

describe('secret handling across the whole stack', () => {
  test('a credential given as a plain string is refused (and does not type-check)', () => {
    const build = () => synth({
      ...PROPS,
      // @ts-expect-error a webhook URL is a credential: only a Secret reference is accepted
      routing: { sidekick: { outputs: { slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/X' } } } },
    });
    expect(build).toThrow(/DS-PROPS-010 at test\/routing\.sidekick\.outputs\.slack\.webhookUrl: .* must be SecretKeyRef \{ name, key \}, not a string/);
    // The refused value is never echoed: it is the credential.
    expect(build).not.toThrow(/hooks\.slack\.com/);
  });

  test('GIVEN credentials only as Secret references WHEN synthesized THEN no value appears, every env var is a secretKeyRef', () => {
    const { objects } = synth({
      cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' },
      routing: {
        sidekick: { outputs: { teams: { webhookUrl: { name: 'chat', key: 'teams' } }, opsgenie: { apiKey: { name: 'og', key: 'key' } } } },
        teams: [{ name: 'web', namespaces: ['web'], receivers: { slack: [{ webhookUrl: { name: 'web-slack', key: 'url' }, minimumPriority: 'Critical' }] } }],
      },
      durable: {
        bucket: { name: 'detections-oke', oci: { objectStorageNamespace: 'tenancyns', accessKeyId: { name: 'keys', key: 'id' }, secretAccessKey: { name: 'keys', key: 'secret' } } },
      },
    });
    // The only Secret the stack writes is the Alertmanager config, whose credentials are *_file paths.
    const secrets = objects.filter((o: K8sObject) => o.kind === 'Secret');
    expect(secrets.map((o: K8sObject) => o.metadata.name)).toEqual(['alertmanager-config']);
    const amConfig = secrets[0].stringData['alertmanager.yml'];
    expect(amConfig).toContain('api_url_file: /etc/alertmanager/secrets/web-slack/url');
    expect(amConfig).not.toMatch(INLINE_CREDENTIAL_KEYS);
    for (const cm of objects.filter((o: K8sObject) => o.kind === 'ConfigMap')) {
      for (const text of Object.values(cm.data as Record<string, string>)) expect(text).not.toMatch(INLINE_CREDENTIAL_KEYS);
    }
    expect(stringify(objects)).not.toMatch(/secretAccessKey|accessKeyId/);
    const envs = objects.flatMap((o: K8sObject) => (o.spec?.template?.spec?.containers ?? []).flatMap((c: K8sObject) => c.env ?? []));
    const secretEnvs = envs.filter((e: K8sObject) => e.valueFrom?.secretKeyRef);
    expect(secretEnvs.map((e: K8sObject) => e.name).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'OPSGENIE_APIKEY', 'TEAMS_WEBHOOKURL']);
    // Every other env var is a downward-API field or a non-secret literal of the sensors.
    expect(envs.filter((e: K8sObject) => e.value !== undefined && /KEY|TOKEN|PASSWORD|SECRET|URL/i.test(e.name))).toEqual([]);
  });
});

/**
 * How falcosidekick 2.34.1 reads `alertmanager.extralabels` from config.yaml (falcosecurity/falcosidekick tag 2.34.1,
 * types/types.go: `AlertmanagerOutputConfig.ExtraLabels map[string]string`; config.go: `v.Unmarshal(c)` through
 * mapstructure, whose error is only logged, so a value that is not a map of strings leaves the labels empty. The
 * `name:value,...` string form is parsed only from the ALERTMANAGER_EXTRALABELS environment variable, and names must
 * match `^[a-zA-Z_][a-zA-Z0-9_]*$`).
 */
function sidekickExtraLabels(configYaml: string): Record<string, string> {
  const value = (parse(configYaml) as K8sObject).alertmanager?.extralabels;
  if (value === undefined) return {};
  const isStringMap = typeof value === 'object' && value !== null && !Array.isArray(value)
    && Object.values(value).every((v) => typeof v === 'string');
  if (!isStringMap) return {};
  return Object.fromEntries(Object.entries(value as Record<string, string>).filter(([k]) => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)));
}

describe('Falcosidekick reads the Alertmanager extra labels as it decodes them', () => {
  const teams = PROPS.routing!.teams;
  const configYaml = (alertmanager: NonNullable<DetectionStackChartProps['routing']>['alertmanager']) =>
    find(synth({ ...PROPS, routing: { teams, alertmanager } }).objects, 'ConfigMap', 'falcosidekick-config').data['config.yaml'] as string;

  test('operator mode: extralabels is a map, so every alert carries namespace=<routing namespace> and prometheus-operator routes it', () => {
    const yaml = configYaml({ mode: 'operator', operator: { alertmanagerUrls: ['http://alertmanager-operated.monitoring.svc:9093'], configLabels: { alertmanagerConfig: 'main' } } });
    expect((parse(yaml) as K8sObject).alertmanager.extralabels).toEqual({ namespace: 'falco-routing' });
    expect(sidekickExtraLabels(yaml)).toEqual({ namespace: 'falco-routing' });
  });

  test('bundled mode: no extra labels at all', () => {
    const yaml = configYaml(undefined);
    expect((parse(yaml) as K8sObject).alertmanager).toBeDefined();
    expect((parse(yaml) as K8sObject).alertmanager).not.toHaveProperty('extralabels');
    expect(sidekickExtraLabels(yaml)).toEqual({});
  });

  test('the decoding model has teeth: the string form decodes to nothing', () => {
    expect(sidekickExtraLabels('alertmanager:\n  extralabels: "namespace:falco"\n')).toEqual({});
  });
});
