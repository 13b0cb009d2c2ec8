import { Testing } from 'cdk8s';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import { runChecks, STACK_CHECKS } from '../../lib/checks';
import { TETRAGON_SENSOR_OWNERSHIP } from '../../lib/checks/ds-tetra-101';
import { both, plan } from '../helpers/check-fixtures';

describe('DS-TETRA-101 overlapping detections need a declared owner', () => {
  test('is registered in STACK_CHECKS', () => {
    expect(STACK_CHECKS).toContain(TETRAGON_SENSOR_OWNERSHIP);
  });

  test('not applicable: only Tetragon', () => {
    expect(TETRAGON_SENSOR_OWNERSHIP.evaluate(plan({ tetragon: { productNamespaces: ['billing'] } }))).toEqual([{ status: 'not-applicable', path: 'S/sensors.ownership' }]);
  });

  test('non-compliant: both sensors and no ownership at all', () => {
    const [outcome] = TETRAGON_SENSOR_OWNERSHIP.evaluate(plan(both()));
    expect(outcome).toEqual({ status: 'non-compliant', path: 'S/sensors.ownership', message: expect.stringMatching(/sensors\.ownership is not declared/) });
  });

  test('non-compliant: two overlapping patterns and no declaration, listing both with the detections on each side', () => {
    const [outcome] = TETRAGON_SENSOR_OWNERSHIP.evaluate(plan(both({ falcoPatterns: ['shell-in-container', 'ptrace', 'crypto-miner'] })));
    expect(outcome).toEqual({
      status: 'non-compliant',
      path: 'S/sensors.ownership.detections',
      message: 'overlapping detections without an owner: ptrace (Falco: ownership.falcoPatterns(ptrace); Tetragon: ptrace); '
        + 'shell-in-container (Falco: ownership.falcoPatterns(shell-in-container); Tetragon: shell-in-container)',
    });
  });

  test('compliant: every overlap declared, and the yielding sensor drops its detection', () => {
    const p = plan(both({
      falcoPatterns: ['shell-in-container', 'ptrace'],
      detections: [
        { pattern: 'shell-in-container', sensor: 'falco', alertsTo: ['slack-security'] },
        { pattern: 'ptrace', sensor: 'tetragon', alertsTo: ['pagerduty-security'] },
      ],
    }));
    expect(TETRAGON_SENSOR_OWNERSHIP.evaluate(p)).toEqual([{ status: 'compliant', path: 'S/sensors.ownership' }]);
    const t = p.tetragon!;
    expect(t.detections.map((d) => d.id)).toEqual(['ptrace', 'privilege-change']);
    expect(t.yieldedDetections).toEqual(['shell-in-container']);
    expect(p.ownership!.falcoYields).toEqual(['ptrace']);
    expect(p.ownership!.overlaps).toEqual([
      { pattern: 'ptrace', falco: ['ownership.falcoPatterns(ptrace)'], tetragon: ['ptrace'], owner: 'tetragon', alertsTo: ['pagerduty-security'] },
      { pattern: 'shell-in-container', falco: ['ownership.falcoPatterns(shell-in-container)'], tetragon: ['shell-in-container'], owner: 'falco', alertsTo: ['slack-security'] },
    ]);
  });

  test('GIVEN an undeclared overlap WHEN the chart is synthesized THEN synth fails listing the overlap', () => {
    const app = Testing.app();
    const chart = new DetectionStack(app, 'both', { cluster: { name: 'prod', provider: 'eks' }, namespace: 'security', sensors: both({ falcoPatterns: ['ptrace'] }) });
    expect(chart.node.validate().join('\n')).toMatch(/ERROR DS-TETRA-101 at both\/sensors\.ownership\.detections: overlapping detections without an owner: ptrace/);
    expect(() => app.synth()).toThrow(/DS-TETRA-101/);
  });

  test('GIVEN the overlap suppressed with a reason THEN the finding is kept as suppressed', () => {
    const report = runChecks([TETRAGON_SENSOR_OWNERSHIP], plan(both({ falcoPatterns: ['ptrace'] })), [{ id: 'DS-TETRA-101', reason: 'duplicate alerts accepted during the migration to Tetragon' }]);
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((s) => s.finding.id)).toEqual(['DS-TETRA-101']);
  });
});
