import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { eksTeamsStack } from '../../examples/eks-teams/main';
import type { MonitoringPlan } from '../../lib/monitoring/plan';
import { durationSeconds } from '../../lib/monitoring/promql';
import { AlertRulePlan, STACK_ALERTS, StackAlertName } from '../../lib/monitoring/rules';
import { fullEksProps, HOSTILE_RULE, stackPlan, tetragonProps } from '../monitoring/fixtures';

/**
 * The real promtool (Debian 12's prometheus package, 2.42) judges the generated rules: `promtool check rules`
 * on every rule group, and `promtool test rules` with synthetic series for every alert, once where it must
 * fire (with the exact labels it must carry) and once where it must stay quiet.
 */

type Series = { series: string; values: string };
interface Scenario {
  /** Series under which the alert fires, and the labels the series contribute to the alert. */
  readonly fire: { series: Series[]; labels: Record<string, string>[]; at: string };
  /** Series under which it stays quiet. */
  readonly quiet: { series: Series[]; at: string };
}

const s = (series: string, values: string): Series => ({ series, values });
const rising = (start = 3, n = 40) => `0x${start} 1+1x${n}`;

/** The scenarios of one stack, per alert (and per rule of an alert, by its labels). */
function scenarios(plan: MonitoringPlan, rule: AlertRulePlan): Scenario {
  const ns = plan.namespace;
  // Each component is scraped in its own namespace (routing workloads run apart from the sensors).
  const target = (c: string) => {
    const found = plan.targets.find((t) => t.component === c);
    if (!found) throw new Error(`no scrape target for ${c}`);
    return found;
  };
  const job = (c: string) => target(c).job;
  const name = rule.alert as StackAlertName;
  const c = rule.labels.component;
  const forMinutes = Math.ceil(durationSeconds(rule.for) / 60);
  const at = `${forMinutes + 15}m`;
  switch (name) {
    case 'DetectionStackSensorMissing': {
      const ds = `namespace="${target(c).namespace}", daemonset="${c === 'alert-shipper' ? 'alert-shipper' : c}"`;
      return {
        fire: {
          series: [s(`kube_daemonset_status_desired_number_scheduled{${ds}}`, '3x40'), s(`kube_daemonset_status_number_ready{${ds}}`, '2x40')],
          labels: [{ namespace: target(c).namespace, daemonset: c }],
          at,
        },
        quiet: { series: [s(`kube_daemonset_status_desired_number_scheduled{${ds}}`, '3x40'), s(`kube_daemonset_status_number_ready{${ds}}`, '3x40')], at },
      };
    }
    case 'DetectionStackMetricsDown':
      return {
        fire: { series: [s(`up{job="${job(c)}", node="n1", instance="10.0.0.1:1"}`, '0x40')], labels: [{ job: job(c), node: 'n1', instance: '10.0.0.1:1' }], at },
        quiet: { series: [s(`up{job="${job(c)}", node="n1", instance="10.0.0.1:1"}`, '1x40')], at },
      };
    case 'DetectionStackMetricsAbsent':
      return {
        fire: { series: [s('up{job="unrelated"}', '1x40')], labels: [{ job: job(c) }], at },
        quiet: { series: [s(`up{job="${job(c)}", node="n1"}`, '1x40')], at },
      };
    case 'DetectionStackFalcoDroppingEvents':
      return {
        fire: {
          series: [s(`falcosecurity_scap_n_drops_total{job="${job('falco')}", node="n1"}`, '0+50x40'),
            s(`falcosecurity_scap_n_evts_total{job="${job('falco')}", node="n1"}`, '0+1000x40')],
          labels: [{ node: 'n1' }],
          at: '30m',
        },
        quiet: {
          series: [s(`falcosecurity_scap_n_drops_total{job="${job('falco')}", node="n1"}`, '0+5x40'),
            s(`falcosecurity_scap_n_evts_total{job="${job('falco')}", node="n1"}`, '0+1000x40')],
          at: '30m',
        },
      };
    case 'DetectionStackFalcoOutputQueueDropping':
      return {
        fire: {
          series: [s(`falcosecurity_falco_outputs_queue_num_drops_total{job="${job('falco')}", node="n1"}`, rising())],
          labels: [{ job: job('falco'), node: 'n1' }],
          at: '10m',
        },
        quiet: { series: [s(`falcosecurity_falco_outputs_queue_num_drops_total{job="${job('falco')}", node="n1"}`, '0x40')], at: '10m' },
      };
    case 'DetectionStackTetragonDroppingEvents': {
      const metric = rule.labels.metric;
      return {
        fire: { series: [s(`${metric}{job="${job('tetragon')}", node="n1"}`, rising())], labels: [{ node: 'n1' }], at: '10m' },
        quiet: { series: [s(`${metric}{job="${job('tetragon')}", node="n1"}`, '0x40')], at: '10m' },
      };
    }
    case 'DetectionStackK8sAuditSourceDown': {
      const d = `namespace="${ns}", deployment="falco-k8saudit"`;
      return {
        fire: { series: [s(`kube_deployment_status_replicas_available{${d}}`, '0x40')], labels: [{ namespace: ns, deployment: 'falco-k8saudit' }], at },
        quiet: { series: [s(`kube_deployment_status_replicas_available{${d}}`, '1x40')], at },
      };
    }
    case 'DetectionStackK8sAuditSourceStalled': {
      const available = s(`kube_deployment_status_replicas_available{namespace="${ns}", deployment="falco-k8saudit"}`, '1x60');
      return {
        fire: { series: [available], labels: [{}], at },
        quiet: { series: [available, s(`falcosecurity_falco_rules_matches_total{job="${job('falco-k8saudit')}", source="k8s_audit", rule_name="r", priority="4"}`, '0+1x60')], at },
      };
    }
    case 'DetectionStackSidekickOutputErrors':
      return {
        fire: {
          series: [s(`falcosecurity_falcosidekick_outputs_total{job="${job('falcosidekick')}", destination="webhook", status="error"}`, rising())],
          labels: [{ destination: 'webhook' }],
          at,
        },
        quiet: {
          series: [s(`falcosecurity_falcosidekick_outputs_total{job="${job('falcosidekick')}", destination="webhook", status="ok"}`, rising()),
            s(`falcosecurity_falcosidekick_outputs_total{job="${job('falcosidekick')}", destination="webhook", status="error"}`, '0x40')],
          at,
        },
      };
    case 'DetectionStackSidekickRejectingInput':
      return {
        fire: { series: [s(`falcosecurity_falcosidekick_inputs_total{job="${job('falcosidekick')}", source="requests", status="rejected"}`, rising())], labels: [{}], at },
        quiet: { series: [s(`falcosecurity_falcosidekick_inputs_total{job="${job('falcosidekick')}", source="requests", status="accepted"}`, rising())], at },
      };
    case 'DetectionStackAlertmanagerNotificationsFailing':
      return {
        fire: {
          series: [s(`alertmanager_notifications_failed_total{job="${job('alertmanager')}", integration="slack", reason="other"}`, rising())],
          labels: [{ integration: 'slack' }],
          at,
        },
        quiet: { series: [s(`alertmanager_notifications_failed_total{job="${job('alertmanager')}", integration="slack", reason="other"}`, '0x40')], at },
      };
    case 'DetectionStackNoAlertsReceived': {
      const received = plan.targets.some((t) => t.component === 'falcosidekick')
        ? `falcosecurity_falcosidekick_inputs_total{job="${job('falcosidekick')}", source="requests", status="accepted"}`
        : `tetragon_policy_events_total{job="${job('tetragon')}", policy="p", hook="h"}`;
      return {
        fire: { series: [s('up{job="unrelated"}', '1x40')], labels: [{}], at },
        quiet: { series: [s(received, '0+1x40')], at },
      };
    }
    case 'DetectionStackShipperOutputErrors':
    case 'DetectionStackShipperRetrying':
    case 'DetectionStackShipperOutageBudgetHalfSpent': {
      const metric = name === 'DetectionStackShipperRetrying' ? 'fluentbit_output_retries_total' : 'fluentbit_output_errors_total';
      const n = forMinutes + 20;
      return {
        fire: { series: [s(`${metric}{job="${job('alert-shipper')}", node="n1", name="s3.0"}`, rising(3, n))], labels: [{ node: 'n1' }], at },
        quiet: { series: [s(`${metric}{job="${job('alert-shipper')}", node="n1", name="s3.0"}`, `0x${n}`)], at },
      };
    }
    case 'DetectionStackShipperDroppingRecords': {
      const metric = rule.labels.metric;
      return {
        fire: { series: [s(`${metric}{job="${job('alert-shipper')}", node="n1", name="s3.0"}`, rising())], labels: [{ node: 'n1' }], at: '10m' },
        quiet: { series: [s(`${metric}{job="${job('alert-shipper')}", node="n1", name="s3.0"}`, '0x40')], at: '10m' },
      };
    }
    case 'DetectionStackShipperBufferFilling':
      return {
        fire: { series: [s(`fluentbit_output_chunk_available_capacity_percent{job="${job('alert-shipper')}", node="n1", name="s3.0"}`, '30x40')], labels: [{ node: 'n1' }], at },
        quiet: { series: [s(`fluentbit_output_chunk_available_capacity_percent{job="${job('alert-shipper')}", node="n1", name="s3.0"}`, '100x40')], at },
      };
    case 'DetectionStackNoisyRule': {
      // 100 matches a minute is 144000 a day; 0.1 a minute is 144.
      const matches = (ruleName: string, perMinute: number) =>
        s(`falcosecurity_falco_rules_matches_total{job="${job('falco')}", rule_name="${ruleName.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}", priority="4", source="syscall"}`, `0+${perMinute}x120`);
      const team = rule.labels.team;
      const rules = team === 'payments' ? ['Netcat in payments', HOSTILE_RULE] : team === 'identity' ? ['Netcat in identity'] : ['Unowned netcat'];
      // Near misses that must not alert here: a longer name than a team's rule (the regex is anchored), and for the
      // rule of the unowned rest, a rule a team owns.
      const others = team === 'payments' || team === 'identity' ? [`${rules[0]}-x`] : rule.expr.includes('rule_name!~') ? ['Netcat in payments'] : [];
      return {
        fire: { series: [...rules, ...others].map((r) => matches(r, 100)), labels: rules.map((r) => ({ rule_name: r })), at: '90m' },
        quiet: { series: rules.map((r) => matches(r, 0.1)), at: '90m' },
      };
    }
  }
}

/** One promtool test file per rule, each with a rules file of that rule alone: alerts sharing a name are judged apart. */
function writePromtoolTests(plan: MonitoringPlan, dir: string, slug: string): string[] {
  const files: string[] = [];
  plan.alerts!.groups.forEach((g) => g.rules.forEach((rule, i) => {
    const base = join(dir, `${slug}-${g.name}-${i}`);
    writeFileSync(`${base}.rules.yaml`, stringify({ groups: [{ name: g.name, rules: [rule] }] }, { lineWidth: 0 }));
    const sc = scenarios(plan, rule);
    const own = Object.fromEntries(Object.entries(rule.labels).filter(([k]) => ['component', 'metric', 'team'].includes(k)));
    writeFileSync(`${base}.test.yaml`, stringify({
      rule_files: [`${base}.rules.yaml`],
      evaluation_interval: '1m',
      tests: [
        {
          name: `${rule.alert} ${JSON.stringify(own)} fires`,
          interval: '1m',
          input_series: sc.fire.series,
          alert_rule_test: [{
            eval_time: sc.fire.at,
            alertname: rule.alert,
            exp_alerts: sc.fire.labels.map((l) => ({ exp_labels: { ...rule.labels, ...l }, exp_annotations: { ...rule.annotations } })),
          }],
        },
        {
          name: `${rule.alert} ${JSON.stringify(own)} stays quiet`,
          interval: '1m',
          input_series: sc.quiet.series,
          alert_rule_test: [{ eval_time: sc.quiet.at, alertname: rule.alert, exp_alerts: [] }],
        },
      ],
    }, { lineWidth: 0 }));
    files.push(`${base}.test.yaml`);
  }));
  return files;
}

const STACKS: [string, () => MonitoringPlan][] = [
  ['the eks-teams example', () => eksTeamsStack(Testing.app()).plan.monitoring!],
  ['every Falco-side workload (EKS, k8saudit, bundled Alertmanager, shipper)', () => stackPlan(fullEksProps()).monitoring!],
  ['Tetragon with the shipper', () => stackPlan(tetragonProps()).monitoring!],
];

/** promtool from Debian's prometheus package (.ci/run installs it); missing is a failure, never a skip. */
function promtoolBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  if (found.status !== 0) throw new Error("promtool not found on PATH: install it with 'apt-get install prometheus' (.ci/run does)");
  return found.stdout.trim();
}

describe('promtool judges the generated PrometheusRule', () => {
  const promtool = promtoolBinary();
  const dir = mkdtempSync(join(tmpdir(), 'ds-promtool-'));

  test('promtool supports rule unit tests (2.42 or later)', () => {
    const version = execFileSync(promtool, ['--version'], { encoding: 'utf8' });
    const [, major, minor] = /version (\d+)\.(\d+)/.exec(version) ?? [];
    expect(Number(major) * 1000 + Number(minor)).toBeGreaterThanOrEqual(2042);
  });

  test.each(STACKS)('%s: every group passes promtool check rules, and every alert passes its unit tests', (label, planOf) => {
    const plan = planOf();
    const slug = label.replace(/[^a-z]+/gi, '-');
    const rulesFile = join(dir, `${slug}.rules.yaml`);
    writeFileSync(rulesFile, stringify({ groups: plan.alerts!.groups }, { lineWidth: 0 }));
    const check = spawnSync(promtool, ['check', 'rules', rulesFile], { encoding: 'utf8' });
    expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });

    const testFiles = writePromtoolTests(plan, dir, slug);
    expect(testFiles.length).toBe(plan.alerts!.groups.flatMap((g) => g.rules).length);
    const run = spawnSync(promtool, ['test', 'rules', ...testFiles], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const failed = (run.stdout + run.stderr).split('\n').filter((l) => /FAILED|name: |error/i.test(l)).slice(0, 40).join('\n');
    expect({ status: run.status, failed }).toEqual({ status: 0, failed: '' });
  });

  test('together the stacks exercise every alert the layer can raise (the budget alert where the durable plan states one)', () => {
    const alerts = new Set(STACKS.flatMap(([, planOf]) => planOf().alerts!.groups.flatMap((g) => g.rules.map((r) => r.alert))));
    const all = Object.keys(STACK_ALERTS).filter((a) => a !== 'DetectionStackShipperOutageBudgetHalfSpent' || alerts.has(a));
    expect([...alerts].sort()).toEqual(all.sort());
  });

  test('a wrong expectation fails: promtool is really judging (a quiet scenario that fires)', () => {
    const plan = stackPlan(fullEksProps()).monitoring!;
    const rulesFile = join(dir, 'teeth.rules.yaml');
    writeFileSync(rulesFile, stringify({ groups: plan.alerts!.groups }, { lineWidth: 0 }));
    const testFile = join(dir, 'teeth.test.yaml');
    writeFileSync(testFile, stringify({
      rule_files: [rulesFile],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [s('up{job="falco/falco", node="n1"}', '0x40')],
        alert_rule_test: [{ eval_time: '30m', alertname: 'DetectionStackMetricsDown', exp_alerts: [] }],
      }],
    }, { lineWidth: 0 }));
    const run = spawnSync(promtool, ['test', 'rules', testFile], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('DetectionStackMetricsDown');
  });
});
