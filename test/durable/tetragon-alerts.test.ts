import { Testing } from 'cdk8s';
import { eksTetragonStack } from '../../examples/eks-tetragon/main';
import { DetectionStack } from '../../lib';
import { POLICY_EVENT_KEYS, ROUTE_TAG, TETRAGON_ALERT_FIELDS, tetragonAlertFilters, TetragonAlertRule } from '../../lib/durable/tetragon-alerts';
import { planStack, tetragonAlertRules } from '../../lib/stack/plan';

// What each filter does is judged with the real Fluent Bit 5.1.1 in test/conformance/tetragon-alerts.test.ts;
// these pin the plan: which events become alerts, with which constants, and where they are posted.
const RULE: TetragonAlertRule = {
  detection: 'shell',
  rule: 'A shell ran in "prod" (it\'s bad)',
  priority: 'Critical',
  owner: 'payments',
  tags: ['owner:payments', 'detection:shell'],
  policyNames: ['ds-shell', 'ds-shell.v2'],
};
const entries = (sections: ReturnType<typeof tetragonAlertFilters>, key: string) =>
  sections.flatMap(([, e]) => e.filter(([k]) => k === key).map(([, v]) => String(v)));

describe('Tetragon alerts in the shipper', () => {
  test('only the events of the detection\'s policies are copied into alerts, for every event type that names a policy', () => {
    const rules = entries(tetragonAlertFilters('alerts.tetragon', [RULE], 'prod', undefined), 'Rule');
    expect(rules).toEqual(POLICY_EVENT_KEYS.map((k) => `$${k}['policy_name'] ^(ds-shell|ds-shell\\.v2)$ alerts.tetragon-alerts.shell true`));
  });

  test('the constants are one JSON object with no space or quote the record_modifier tokenizer would cut at', () => {
    const [record] = entries(tetragonAlertFilters('alerts.tetragon', [RULE], 'prod', undefined), 'Record');
    const [key, value, ...rest] = record.split(' ');
    expect({ key, rest }).toEqual({ key: 'ds_alert', rest: [] });
    expect(value).not.toMatch(/'/);
    expect(JSON.parse(value)).toMatchObject({ rule: RULE.rule, priority: 'Critical', owner: 'payments', tags: RULE.tags, ds_labels: { severity: 'critical' } });
  });

  test('without a route target nothing is posted; every mapped field is renamed into output_fields', () => {
    const sections = tetragonAlertFilters('alerts.tetragon', [RULE], 'prod', undefined);
    expect(sections.some(([, e]) => e.some(([k, v]) => k === 'Match' && v === ROUTE_TAG))).toBe(false);
    expect(entries(sections, 'Rename')).toEqual(TETRAGON_ALERT_FIELDS.map(([path, field]) => `t.${path} of.${field}`));
    expect(tetragonAlertFilters('alerts.tetragon', [], 'prod', undefined)).toEqual([]);
  });

  test('the stack plan: each deployed detection alerts with its owner, tags and priority (Warning unless set)', () => {
    const plan = eksTetragonStack(Testing.app()).plan;
    const rules = tetragonAlertRules(plan.tetragon!);
    expect(rules.map((r) => [r.detection, r.priority, r.owner, r.policyNames])).toEqual(plan.tetragon!.detections.map((d) => [d.id, 'Warning', 'platform-security', [`ds-${d.id}`]]));
    expect(rules[0].tags).toEqual(['detection-stack', 'pattern:shell-in-container', 'mitre:T1059.004', 'owner:platform-security', 'detection:shell-in-container']);
  });

  test('with team routing, the shipper posts to every Alertmanager instance and may reach them; Alertmanager admits it', () => {
    const chart = eksTetragonStack(Testing.app());
    const shipper = chart.plan.durable!.shipper!;
    const am = chart.plan.routing!.alertmanager!;
    expect(shipper.alertRoute).toEqual({ urls: am.target.urls, labels: { cluster: 'prod-us' } });
    expect(shipper.egress).toContainEqual({ kind: 'pods', podLabels: am.workload!.selectorLabels, namespace: 'tetragon-routing', port: 9093, protocol: 'TCP' });
    const sidekickPods = chart.plan.routing!.sidekick.workload.selectorLabels;
    expect(am.workload!.networkPolicy!.ingress[0].peers).toEqual([{ pods: sidekickPods }, { pods: shipper.workload.selectorLabels, namespace: 'tetragon' }]);
    expect(chart.plan.workloads).toContain(am.workload);
    const policy = chart.toJson().find((o: { kind: string; metadata: { name: string } }) => o.kind === 'NetworkPolicy' && o.metadata.name === 'alertmanager');
    expect(policy.spec.ingress[0].from).toEqual([
      { podSelector: { matchLabels: chart.plan.routing!.sidekick.workload.selectorLabels } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tetragon' } }, podSelector: { matchLabels: shipper.workload.selectorLabels } },
    ]);
  });

  test('operator mode: the routed alerts carry the namespace label the prometheus-operator matches on', () => {
    const plan = planStack({
      cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' },
      sensors: { tetragon: { productNamespaces: ['web'] } },
      routing: {
        teams: [{ name: 'web', namespaces: ['web'], receivers: { pagerDuty: [{ routingKey: { name: 'pd', key: 'k' }, minimumPriority: 'Warning' }] } }],
        alertmanager: { mode: 'operator', operator: { alertmanagerUrls: ['http://alertmanager-main.monitoring.svc:9093'] } },
      },
      durable: { bucket: { name: 'detections-prod', aws: { podIdentity: true } } },
    });
    expect(plan.durable!.shipper!.alertRoute).toEqual({ urls: ['http://alertmanager-main.monitoring.svc:9093'], labels: { cluster: 'prod', namespace: 'falco-routing' } });
    expect(plan.durable!.shipper!.egress).toContainEqual({ kind: 'namespace', namespace: 'monitoring' });
  });

  test('a detection description that is not one line is refused at the detection', () => {
    expect(() => new DetectionStack(Testing.app(), 'bad', {
      cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' },
      sensors: { tetragon: { detections: [{ id: 'x', pattern: 'x', owner: 'web', description: 'two\nlines', policies: [] }] } },
      durable: { waived: { reason: 'unit test of the description check' } },
    })).toThrow(/DS-TETRA-014.*detections\[0\]\.description/s);
  });
});
