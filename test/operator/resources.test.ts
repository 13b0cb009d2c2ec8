import { parse, parseAllDocuments } from 'yaml';
import { planStack } from '../../lib';
import { FALCO_OPERATOR, operatorDelivery, operatorSidekickUrl, OWNER_LABEL, renderOperatorFiles } from '../../lib/operator';
import { OPERATOR_BASE_LISTS } from '../../lib/operator/resources';
import { EVERY_OUTPUT } from '../helm/fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

// GIVEN a stack with custom rules of two teams, routing and a shared list
const props = structuredClone(EVERY_OUTPUT) as Obj;
props.sensors.falco.customLists = [{ kind: 'list', name: 'build_tools', items: ['make', 'gcc'] }];
props.sensors.falco.customRules = [
  ...props.sensors.falco.customRules,
  {
    owner: 'payments',
    rule: {
      kind: 'rule',
      name: 'Build tool in billing',
      desc: 'a compiler ran in billing',
      priority: 'WARNING',
      condition: 'evt.type in (execve, execveat) and proc.name in (build_tools) and k8s.ns.name = billing',
      output: 'build tool (proc.cmdline=%proc.cmdline)',
    },
  },
];
const plan = planStack(props, 'ops');
const { objects, notExpressed } = operatorDelivery(plan);
const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

describe('Falco Operator 0.4.1 resources from the stack plan', () => {
  test('Falco, Config, Plugin, the Rulesfiles in the sensors\' namespace, the Falcosidekick Component in the routing one', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Falco/falco', 'Config/detection-stack', 'Plugin/container', 'Rulesfile/falco-default-rules',
      'Rulesfile/rules-payments', 'Rulesfile/rules-platform-security', 'Component/falcosidekick',
    ]);
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['falco', 'falco-routing']));
  });

  test('one self-contained Rulesfile per owning team (with the lists its rules use), labelled, after the default rules', () => {
    const files = byKind('Rulesfile');
    expect(files.map((f) => [f.metadata.name, f.spec.priority, f.metadata.labels[OWNER_LABEL]])).toEqual([
      ['falco-default-rules', 0, undefined],
      ['rules-payments', 50, 'payments'], ['rules-platform-security', 50, 'platform-security'],
    ]);
    // Falco compiles each file as it loads it: the list is in the file of the team whose rule uses it
    expect(files[1].spec.inlineRules[0]).toEqual({ list: 'build_tools', items: ['make', 'gcc'] });
    expect(files[1].spec.inlineRules.slice(1).map((r: Obj) => r.rule)).toEqual(['Build tool in billing']);
    expect(files[0].spec.ociArtifact).toEqual({ image: { repository: 'falcosecurity/rules/falco-rules', tag: '5' }, registry: { name: 'ghcr.io' } });
  });

  test('the Falco pod: planned image, capabilities instead of the operator\'s privileged default, host mounts read-only', () => {
    const falco = byKind('Falco')[0];
    expect(falco.spec).toMatchObject({ type: 'DaemonSet', version: '0.44.1' });
    const c = falco.spec.podTemplateSpec.spec.containers[0];
    expect(c.name).toBe('falco');
    expect(c.image).toBe(plan.falco!.image.reference);
    expect(c.securityContext).toEqual({
      privileged: false,
      capabilities: { drop: ['ALL'], add: [...plan.falco!.security.capabilities] },
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
    expect(c.volumeMounts.filter((m: Obj) => m.name !== 'tmp').every((m: Obj) => m.readOnly)).toBe(true);
    expect(c.volumeMounts).toContainEqual({ name: 'proc-fs', mountPath: '/host/proc', readOnly: true });
    expect(falco.spec.podTemplateSpec.spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]);
  });

  test('the Config: the planned falco.yaml without what the operator\'s own falco.yaml already lists', () => {
    const config = byKind('Config')[0].spec.config;
    expect(config.rules_files).toBeUndefined();
    expect(config.plugins).toBeUndefined();
    expect(config.append_output).toEqual([plan.falco && expect.objectContaining({ match: { source: 'syscall' } })]);
    expect(config.syscall_event_drops.actions).toBeUndefined();
    expect(config.watch_config_files).toBe(true);
    expect(config.http_output).toMatchObject({ enabled: true, url: operatorSidekickUrl('falco-routing') });
    expect(operatorSidekickUrl('falco-routing')).toBe('http://falcosidekick.falco-routing.svc.cluster.local:2801/');
    expect(OPERATOR_BASE_LISTS.rules_files).toEqual(['/etc/falco/rules.d']);
  });

  test('the container plugin as a Plugin with the planned init_config', () => {
    const plugin = byKind('Plugin')[0];
    expect(plugin.spec.ociArtifact.image).toEqual({ repository: FALCO_OPERATOR.containerPlugin.repository, tag: '0.7.1' });
    expect(plugin.spec.config.initConfig.engines.cri).toEqual({ enabled: true, sockets: ['/run/containerd/containerd.sock'] });
  });

  test('Falcosidekick\'s Component is in the routing namespace (Pod Security restricted), the rest in the sensors\'', () => {
    expect(byKind('Component').map((c) => c.metadata.namespace)).toEqual([plan.routingNamespace]);
    expect(plan.routingNamespace).toBe('falco-routing');
    expect(plan.namespaceObjects.find((n) => n.name === 'falco-routing')!.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const kind of ['Falco', 'Config', 'Plugin', 'Rulesfile']) {
      expect(byKind(kind).every((o) => o.metadata.namespace === plan.falco!.namespace)).toBe(true);
    }
    // The pod template passes the restricted level: non-root, no escalation, every capability dropped, RuntimeDefault seccomp.
    const pod = byKind('Component')[0].spec.podTemplateSpec.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('Falcosidekick: settings as env, credentials only as Secret references', () => {
    const env = byKind('Component')[0].spec.podTemplateSpec.spec.containers[0].env as Obj[];
    expect(env).toContainEqual({ name: 'CUSTOMFIELDS', value: 'cluster:prod-eks' });
    expect(env).toContainEqual({ name: 'AWS_S3_BUCKET', value: 'siem-drop' });
    expect(env).toContainEqual({ name: 'SMTP_TO', value: 'a@example.com,b@example.com' });
    expect(env).toContainEqual({ name: 'SLACK_WEBHOOKURL', valueFrom: { secretKeyRef: { name: 'chat', key: 'slack', optional: false } } });
    expect(env.filter((e) => /WEBHOOKURL|PASSWORD|APIKEY|ROUTINGKEY/.test(e.name)).every((e) => e.valueFrom)).toBe(true);
  });

  test('what the operator cannot express is listed', () => {
    expect(notExpressed.map((n) => n.what)).toEqual(expect.arrayContaining([
      'Falco without Kubernetes API access (no ServiceAccount token, no Role)',
      'the container plugin from the Falco image',
      'the durable shipper',
    ]));
  });

  test('the files: the resources in apply order, and OPERATOR.md; the same bytes on every run', () => {
    const files = renderOperatorFiles(operatorDelivery(plan));
    expect(files.map((f) => f.name)).toEqual(['falco-operator.yaml', 'OPERATOR.md']);
    const kinds = parseAllDocuments(files[0].text).map((d) => (d.toJSON() as Obj).kind);
    expect(kinds).toEqual(['Plugin', 'Config', 'Rulesfile', 'Rulesfile', 'Rulesfile', 'Component', 'Falco']);
    expect(renderOperatorFiles(operatorDelivery(planStack(props, 'ops')))).toEqual(files);
    expect(parse(files[0].text.split('---\n')[0]).kind).toBe('Plugin');
    expect(files[1].text).toContain('| the container plugin from the Falco image |');
  });
});
