import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fullEksProps, HOSTILE_RULE, MONITORING, stackPlan, synth, tetragonProps } from './fixtures';
import { DetectionStackError } from '../../lib/core/errors';
import { falcoConfig } from '../../lib/falco/sensor/render';
import { renderDashboardJson } from '../../lib/monitoring/dashboards';
import { planMonitoring } from '../../lib/monitoring/plan';
import { anyOf, quote } from '../../lib/monitoring/promql';
import type { MonitoringProps } from '../../lib/monitoring/props';
import { STACK_ALERTS } from '../../lib/monitoring/rules';
import { writeStackReports } from '../../lib/report/write';
import { monitoredStack } from '../../lib/stack/monitored';
import { expectValidManifests } from '../helpers/k8s-schema';

const byKind = (objs: any[], kind: string) => objs.filter((o) => o.kind === kind);

describe('monitoring layer: scrape targets', () => {
  test('GIVEN no monitoring prop THEN the metrics endpoints are on but no monitor, rule, policy or dashboard is rendered', () => {
    const objs = synth(fullEksProps(null));
    expect(byKind(objs, 'PodMonitor')).toEqual([]);
    expect(byKind(objs, 'PrometheusRule')).toEqual([]);
    expect(objs.filter((o) => o.metadata.name.endsWith('-metrics-scrape'))).toEqual([]);
    const falcoYaml = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'falco-config').data['falco.yaml'];
    expect(falcoYaml).toContain('prometheus_metrics_enabled: true');
  });

  test('GIVEN every workload THEN each gets a PodMonitor on its metrics port with a fixed job label and the node label', () => {
    const pms = byKind(synth(fullEksProps()), 'PodMonitor');
    const endpoints = Object.fromEntries(pms.map((p) => [p.metadata.name, p.spec.podMetricsEndpoints[0]]));
    expect(Object.keys(endpoints).sort()).toEqual(
      ['alert-shipper-metrics', 'alertmanager-metrics', 'falco-k8saudit-metrics', 'falco-metrics', 'falcosidekick-metrics']);
    expect(endpoints['falco-metrics']).toMatchObject({ port: 'web', path: '/metrics' });
    expect(endpoints['alert-shipper-metrics']).toMatchObject({ port: 'http', path: '/api/v2/metrics/prometheus' });
    expect(endpoints['falcosidekick-metrics'].relabelings).toEqual([
      { action: 'replace', targetLabel: 'job', replacement: 'falco-routing/falcosidekick' },
      { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
    ]);
    // Each PodMonitor sits in its workload's namespace and selects it: the routing workloads in the routing namespace.
    expect(Object.fromEntries(pms.map((p) => [p.metadata.name, p.metadata.namespace]))).toEqual({
      'alert-shipper-metrics': 'falco',
      'alertmanager-metrics': 'falco-routing',
      'falco-k8saudit-metrics': 'falco',
      'falco-metrics': 'falco',
      'falcosidekick-metrics': 'falco-routing',
    });
    for (const p of pms) {
      expect(p.metadata.labels.release).toBe('kube-prometheus-stack');
      expect(p.spec.namespaceSelector).toEqual({ matchNames: [p.metadata.namespace] });
    }
  });

  test('GIVEN Tetragon THEN its agent (host network) is scraped without a NetworkPolicy and its operator with one', () => {
    const objs = synth(tetragonProps());
    expect(byKind(objs, 'PodMonitor').map((p) => p.metadata.name).sort()).toEqual(['alert-shipper-metrics', 'tetragon-metrics', 'tetragon-operator-metrics']);
    const scrapePolicies = objs.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name.endsWith('-metrics-scrape')).map((o) => o.metadata.name).sort();
    expect(scrapePolicies).toEqual(['alert-shipper-metrics-scrape', 'tetragon-operator-metrics-scrape']);
  });

  test('GIVEN the Prometheus namespace THEN each metrics port is open to that namespace only, never to every pod', () => {
    const objs = synth(fullEksProps());
    const policy = objs.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'falco-metrics-scrape');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': 'falco' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 8765, protocol: 'TCP' }] }],
    });
    for (const p of objs.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name.endsWith('-metrics-scrape'))) {
      for (const rule of p.spec.ingress) {
        expect(rule.from.length).toBeGreaterThan(0);
        for (const peer of rule.from) expect(peer.namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } });
        expect(rule.ports).toHaveLength(1);
      }
    }
  });

  test('GIVEN Prometheus pod labels THEN the policy admits only those pods of the namespace', () => {
    const objs = synth(fullEksProps({ prometheus: { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } } }));
    const policy = objs.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'falcosidekick-metrics-scrape');
    expect(policy.spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    }]);
  });

  test('GIVEN the operator-mode Alertmanager (the user\'s own) THEN it is not scraped by the stack', () => {
    const props = fullEksProps();
    const plan = stackPlan({ ...props, routing: { ...props.routing, alertmanager: { mode: 'operator', operator: { alertmanagerUrls: ['http://alertmanager-main-0.alertmanager-operated.monitoring.svc:9093'] } } } });
    expect(plan.monitoring!.targets.map((t) => t.component)).not.toContain('alertmanager');
  });

  test('every monitoring object is valid against the prometheus-operator and Kubernetes models', () => {
    const objs = synth(fullEksProps()).filter((o) => o.kind === 'PodMonitor' || o.kind === 'PrometheusRule'
      || o.metadata.name.endsWith('-metrics-scrape') || o.metadata.name.startsWith('detection-stack-'));
    expect(objs.length).toBeGreaterThan(8);
    expectValidManifests(objs);
    // The models catch a malformed monitor: a PodMonitor without a selector fails.
    const pm = objs.find((o) => o.kind === 'PodMonitor');
    expect(() => expectValidManifests([{ ...pm, spec: { ...pm.spec, selector: undefined } }])).toThrow(/selector/);
  });
});

describe('monitoring layer: props errors', () => {
  const error = (monitoring: any) => {
    try {
      stackPlan(fullEksProps(monitoring));
    } catch (e) {
      return e as DetectionStackError;
    }
    throw new Error('no error');
  };

  test.each([
    [{}, 'DS-PROPS-004', 's/monitoring.prometheus'],
    [{ prometheus: { namespace: 'monitoring' }, alerts: { tem: 'x' } }, 'DS-PROPS-011', 's/monitoring.alerts.tem'],
    [{ prometheus: { namespace: 'Monitoring' } }, 'DS-PROPS-001', 's/monitoring.prometheus.namespace'],
    [{ prometheus: { namespace: 'monitoring', scrapeInterval: '30 seconds' } }, 'DS-MON-002', 's/monitoring.prometheus.scrapeInterval'],
    [{ prometheus: { namespace: 'monitoring', resourceLabels: { release: 'a b' } } }, 'DS-PROPS-020', 's/monitoring.prometheus.resourceLabels.release'],
    [{ ...MONITORING, alerts: { runbookBaseUrl: 'http://wiki/runbooks' } }, 'DS-MON-004', 's/monitoring.alerts.runbookBaseUrl'],
    [{ ...MONITORING, alerts: { noisyRule: { maxPerDay: 0 } } }, 'DS-MON-005', 's/monitoring.alerts.noisyRule.maxPerDay'],
    [{ ...MONITORING, alerts: { maxDropRatio: 1.5 } }, 'DS-MON-005', 's/monitoring.alerts.maxDropRatio'],
    [{ ...MONITORING, alerts: { noAlertsFor: '1 day' } }, 'DS-MON-002', 's/monitoring.alerts.noAlertsFor'],
    [{ ...MONITORING, dashboards: { label: {} } }, 'DS-MON-003', 's/monitoring.dashboards.label'],
  ])('GIVEN %j THEN %s at %s', (monitoring, code, where) => {
    const e = error(monitoring);
    expect(e).toBeInstanceOf(DetectionStackError);
    expect(e.code).toBe(code);
    expect(e.where).toBe(where);
    expect(e.fix.length).toBeGreaterThan(10);
  });
});

test('planMonitoring called directly without a Prometheus says which prop is missing (DS-MON-001)', () => {
  const ctx = stackPlan(fullEksProps(null));
  expect(() => planMonitoring({} as MonitoringProps, ctx, { targets: [], rules: [] })).toThrow(/^DS-MON-001 at s\/monitoring.prometheus: .*Fix: set monitoring.prometheus.namespace/);
});

describe('monitoring layer: the PrometheusRule', () => {
  const rule = () => byKind(synth(fullEksProps()), 'PrometheusRule')[0];
  const rules = () => rule().spec.groups.flatMap((g: any) => g.rules);

  test('every alert has a severity, the cluster, the stack team and a runbook link', () => {
    const all = rules();
    expect(rule().metadata.labels.release).toBe('kube-prometheus-stack');
    for (const r of all) {
      expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
      expect(r.labels.severity).toBe(STACK_ALERTS[r.alert as keyof typeof STACK_ALERTS].severity);
      expect(r.labels.cluster).toBe('prod-eks');
      expect(r.labels.team).toBeDefined();
      expect(r.annotations.runbook_url).toBe(`runbooks/stack-health/${r.alert}.md`);
      expect(r.annotations.summary.length).toBeGreaterThan(10);
    }
    expect(new Set(all.map((r: any) => r.alert))).toEqual(new Set([
      'DetectionStackSensorMissing', 'DetectionStackMetricsDown', 'DetectionStackMetricsAbsent', 'DetectionStackFalcoDroppingEvents',
      'DetectionStackFalcoOutputQueueDropping', 'DetectionStackK8sAuditSourceDown', 'DetectionStackK8sAuditSourceStalled',
      'DetectionStackSidekickOutputErrors', 'DetectionStackSidekickRejectingInput', 'DetectionStackAlertmanagerNotificationsFailing',
      'DetectionStackNoAlertsReceived', 'DetectionStackShipperOutputErrors', 'DetectionStackShipperRetrying',
      'DetectionStackShipperDroppingRecords', 'DetectionStackShipperBufferFilling', 'DetectionStackNoisyRule',
      // the durable plan states its outage budget (durable.buffer), so half of it spent is an alert too
      'DetectionStackShipperOutageBudgetHalfSpent',
    ]));
  });

  test('the sensor-missing alert compares desired and ready pods of the Falco DaemonSet', () => {
    const r = rules().find((x: any) => x.alert === 'DetectionStackSensorMissing' && x.labels.component === 'falco');
    expect(r.expr).toBe('kube_daemonset_status_desired_number_scheduled{namespace="falco", daemonset="falco"}'
      + ' - kube_daemonset_status_number_ready{namespace="falco", daemonset="falco"} > 0');
    expect(r.for).toBe('10m');
  });

  test('GIVEN a runbook base URL THEN runbook_url points at the published runbook', () => {
    const objs = synth(fullEksProps({ ...MONITORING, alerts: { runbookBaseUrl: 'https://git.example.com/sec/runbooks/' } }));
    const r = byKind(objs, 'PrometheusRule')[0].spec.groups[0].rules[0];
    expect(r.annotations.runbook_url).toBe(`https://git.example.com/sec/runbooks/${r.alert}.md`);
    expect(r.labels.team).toBeUndefined();
  });

  test('noise: one rule per owning team with its rule names quoted, and one for the rules no team owns', () => {
    const noisy = rules().filter((r: any) => r.alert === 'DetectionStackNoisyRule');
    expect(noisy.map((r: any) => r.labels.team)).toEqual(['identity', 'payments', 'platform-security']);
    const payments = noisy.find((r: any) => r.labels.team === 'payments');
    // RE2-escaped, then quoted as a PromQL string: the hostile name cannot close the string or widen the regex.
    expect(payments.expr).toContain(`rule_name=~${quote(anyOf(['Netcat in payments', HOSTILE_RULE].sort()))}`);
    expect(payments.expr).toContain('rule_name=~"Netcat in payments|Shell \\"in\\" billing\\\\|\\\\.\\\\* \\\\(x\\\\) \\\\\\\\ end"');
    expect(payments.expr).toMatch(/\* 86400 > 1000$/);
    const rest = noisy.find((r: any) => r.labels.team === 'platform-security');
    expect(rest.expr).toContain('rule_name!~');
    expect(rest.expr).not.toContain('Unowned netcat');
  });

  test('GIVEN alerts: false THEN monitors only', () => {
    const objs = synth(fullEksProps({ ...MONITORING, alerts: false }));
    expect(byKind(objs, 'PrometheusRule')).toEqual([]);
    expect(byKind(objs, 'PodMonitor').length).toBe(5);
  });

  test('GIVEN noAlertsFor: false and noisyRule: false THEN neither the dead man\'s switch nor the noise alerts exist', () => {
    const objs = synth(fullEksProps({ ...MONITORING, alerts: { noAlertsFor: false, noisyRule: false } }));
    const names = byKind(objs, 'PrometheusRule')[0].spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert));
    expect(names).not.toContain('DetectionStackNoAlertsReceived');
    expect(names).not.toContain('DetectionStackK8sAuditSourceStalled');
    expect(names).not.toContain('DetectionStackNoisyRule');
  });
});

describe('monitoring layer: dashboards', () => {
  const dashboards = (props = fullEksProps()) => synth(props).filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('detection-stack-'));

  test('two dashboards as ConfigMaps with the sidecar label, default grafana_dashboard: "1", configurable', () => {
    const cms = dashboards();
    expect(cms.map((c) => c.metadata.name).sort()).toEqual(['detection-stack-prod-eks-detections', 'detection-stack-prod-eks-health']);
    for (const c of cms) expect(c.metadata.labels.grafana_dashboard).toBe('1');
    const custom = dashboards(fullEksProps({ ...MONITORING, dashboards: { label: { grafana_dashboard: 'security' }, namespace: 'grafana' } }));
    for (const c of custom) {
      expect(c.metadata.labels.grafana_dashboard).toBe('security');
      expect(c.metadata.namespace).toBe('grafana');
    }
    expect(dashboards(fullEksProps({ ...MONITORING, dashboards: false }))).toEqual([]);
  });

  test('the JSON: a datasource variable every panel and query uses, unique ids, and the panels the issue asks for', () => {
    for (const cm of dashboards()) {
      const [file, text] = Object.entries(cm.data)[0] as [string, string];
      const d = JSON.parse(text);
      expect(file).toBe(`${cm.metadata.name}.json`);
      expect(d.templating.list).toEqual([expect.objectContaining({ type: 'datasource', name: 'datasource', query: 'prometheus' })]);
      const panels = d.panels.filter((p: any) => p.type !== 'row');
      expect(panels.length).toBeGreaterThan(3);
      const ids = d.panels.map((p: any) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of panels) {
        expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(p.targets.length).toBeGreaterThan(0);
        for (const t of p.targets) {
          expect(t.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
          expect(t.expr).toMatch(/[a-z_]+/);
        }
        const refIds = p.targets.map((t: any) => t.refId);
        expect(new Set(refIds).size).toBe(refIds.length);
      }
    }
    const titles = dashboards().flatMap((cm) => JSON.parse(Object.values(cm.data)[0] as string).panels.map((p: any) => p.title));
    expect(titles).toEqual(expect.arrayContaining([
      'Detections by rule', 'Detections by priority', 'Detections by namespace', 'Detections by owning team',
      'Sensor coverage: desired versus ready pods', 'Scrape health per node and workload', 'Falco kernel event drops per node',
      'Falcosidekick output errors by output', 'Shipper backlog against the outage budget',
    ]));
  });

  test('detections by priority map Falco\'s numeric priority label to its names', () => {
    const plan = stackPlan(fullEksProps()).monitoring!;
    const json = renderDashboardJson(plan.dashboards!.items[0]);
    const panel = (json.panels as any[]).find((p) => p.title === 'Detections by priority');
    expect(panel.targets.map((t: any) => t.legendFormat)).toEqual(['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug']);
    expect(panel.targets[4].expr).toContain('priority="4"');
  });
});

describe('Falco serves its Prometheus metrics', () => {
  test('falco.yaml enables metrics and the webserver\'s /metrics, without snapshot alerts', () => {
    const c = falcoConfig(stackPlan(fullEksProps()).falco!);
    expect((c.webserver as any).prometheus_metrics_enabled).toBe(true);
    expect(c.metrics).toMatchObject({ enabled: true, output_rule: false, rules_counters_enabled: true, kernel_event_counters_enabled: true });
  });
});

describe('REPORT.md and the runbooks say what is monitored and what to do', () => {
  test('GIVEN monitoring THEN REPORT.md lists every target, alert and dashboard, and each alert\'s runbook file is written', () => {
    const plan = stackPlan(fullEksProps());
    const dir = mkdtempSync(join(tmpdir(), 'ds-monitoring-report-'));
    const written = writeStackReports(dir, [plan]);
    const report = readFileSync(join(dir, 'REPORT.md'), 'utf8');
    expect(report).toContain('## Monitoring');
    for (const t of plan.monitoring!.targets) expect(report).toContain(`\`${t.job}\``);
    for (const r of plan.monitoring!.alerts!.runbooks) {
      expect(report).toContain(`| ${r.alert} | ${r.severity} |`);
      const file = join(dir, r.file);
      expect(written).toContain(file);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(`# ${r.alert}`);
      expect(text).toContain('## What to do');
      expect(text).toContain(STACK_ALERTS[r.alert as keyof typeof STACK_ALERTS].actions[0]);
    }
    expect(report).toContain('Detection stack prod-eks: health');
  });

  test('GIVEN no monitoring THEN REPORT.md says so and no stack-health runbook is written', () => {
    const plan = stackPlan(fullEksProps(null));
    const dir = mkdtempSync(join(tmpdir(), 'ds-monitoring-report-'));
    const written = writeStackReports(dir, [plan]);
    expect(readFileSync(join(dir, 'REPORT.md'), 'utf8')).toContain('## Monitoring\n\n- not enabled');
    expect(written.filter((f) => f.includes('stack-health'))).toEqual([]);
  });
});

describe('the durable outage budget in the alerts and the dashboard', () => {
  test('GIVEN a shipper plan with an outage budget THEN the budget alert fires after half of it and the panel draws it', () => {
    const plan = stackPlan(fullEksProps());
    const shipper = { ...plan.durable!.shipper!, outageBudget: { bufferBytes: 2 ** 31, alertsPerSecond: 1, bytesPerAlert: 3072, hours: 10 } };
    const layers = { ...plan, durable: { ...plan.durable, shipper } };
    const monitoring = planMonitoring(fullEksProps().monitoring, plan, monitoredStack(layers, plan.namespace))!;
    const rule = monitoring.alerts!.groups.flatMap((g) => g.rules).find((r) => r.alert === 'DetectionStackShipperOutageBudgetHalfSpent')!;
    expect(rule.for).toBe('5h');
    expect(rule.expr).toBe('sum by (node) (increase(fluentbit_output_errors_total{job="falco/alert-shipper"}[10m])) > 0');
    expect(rule.annotations.description).toContain('The budget is 10h.');
    const panel = monitoring.dashboards!.items[1].rows.flatMap((r) => r.panels).find((p) => p.title === 'Shipper backlog against the outage budget')!;
    expect(panel.targets.map((t) => t.expr)).toContain('vector(10)');
  });
});
