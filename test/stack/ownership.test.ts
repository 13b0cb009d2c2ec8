import { Testing } from 'cdk8s';
import { DetectionStack, planStack, STACK_CHECKS, runChecks, SensorsProps } from '../../lib';
import { TETRAGON_SENSOR_OWNERSHIP } from '../../lib/checks/tetragon-sensor-ownership';
import { falcoPatternsFromRules, planOwnership } from '../../lib/stack/ownership';

const both = (ownership?: SensorsProps['ownership']): SensorsProps => ({
  falco: {},
  tetragon: { productNamespaces: ['billing'], seedPatterns: ['shell-in-container', 'ptrace', 'privilege-change'] },
  ownership,
});
const plan = (sensors: SensorsProps) => planStack({ cluster: { name: 'prod', provider: 'eks' }, namespace: 'security', sensors }, 'S');

describe('DS-TETRA-101: overlapping detections need a declared owner', () => {
  test('is registered in STACK_CHECKS', () => {
    expect(STACK_CHECKS).toContain(TETRAGON_SENSOR_OWNERSHIP);
  });

  test('GIVEN only Tetragon THEN not applicable', () => {
    expect(TETRAGON_SENSOR_OWNERSHIP.evaluate(plan({ tetragon: { productNamespaces: ['billing'] } }))).toEqual([{ status: 'not-applicable', path: 'S/sensors.ownership' }]);
  });

  test('GIVEN both sensors and no ownership at all THEN non-compliant', () => {
    const [outcome] = TETRAGON_SENSOR_OWNERSHIP.evaluate(plan(both()));
    expect(outcome).toEqual({ status: 'non-compliant', path: 'S/sensors.ownership', message: expect.stringMatching(/sensors\.ownership is not declared/) });
  });

  test('GIVEN two overlapping patterns and no declaration THEN non-compliant, listing both with the detections on each side', () => {
    const [outcome] = TETRAGON_SENSOR_OWNERSHIP.evaluate(plan(both({ falcoPatterns: ['shell-in-container', 'ptrace', 'crypto-miner'] })));
    expect(outcome).toEqual({
      status: 'non-compliant',
      path: 'S/sensors.ownership.detections',
      message: 'overlapping detections without an owner: ptrace (Falco: ownership.falcoPatterns(ptrace); Tetragon: ptrace); '
        + 'shell-in-container (Falco: ownership.falcoPatterns(shell-in-container); Tetragon: shell-in-container)',
    });
  });

  test('GIVEN every overlap declared THEN compliant, and the yielding sensor drops its detection', () => {
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

describe('ownership declarations that make no sense fail at once (DS-TETRA-007)', () => {
  test.each([
    ['a pattern Falco does not cover', both({ detections: [{ pattern: 'ptrace', sensor: 'falco', alertsTo: ['x'] }] }), /DS-TETRA-007 at S\/sensors\.ownership\.detections\[0\]\.pattern: pattern 'ptrace' does not overlap: Falco/],
    ['a pattern Tetragon does not cover', both({ falcoPatterns: ['crypto-miner'], detections: [{ pattern: 'crypto-miner', sensor: 'falco', alertsTo: ['x'] }] }), /does not overlap: Tetragon/],
    ['a duplicate declaration', both({ falcoPatterns: ['ptrace'], detections: [{ pattern: 'ptrace', sensor: 'falco', alertsTo: ['x'] }, { pattern: 'ptrace', sensor: 'tetragon', alertsTo: ['x'] }] }), /declared twice/],
    ['no destination', both({ falcoPatterns: ['ptrace'], detections: [{ pattern: 'ptrace', sensor: 'falco', alertsTo: [] }] }), /DS-TETRA-007 at S\/sensors\.ownership\.detections\[0\]\.alertsTo/],
    ['ownership with Tetragon alone', { tetragon: { productNamespaces: ['billing'] }, ownership: { detections: [{ pattern: 'ptrace', sensor: 'tetragon' as const, alertsTo: ['x'] }] } }, /only Tetragon runs/],
  ])('%s', (_name, sensors, error) => {
    expect(() => plan(sensors)).toThrow(error);
  });
});

describe('Falco rules tagged pattern:<id> count as Falco detections', () => {
  test('falcoPatternsFromRules groups rules by pattern tag', () => {
    expect([...falcoPatternsFromRules([
      { name: 'Shell in container', tags: ['container', 'pattern:shell-in-container'] },
      { name: 'Untagged', tags: ['mitre_execution'] },
    ])]).toEqual([['shell-in-container', ['Shell in container']]]);
  });

  test('planOwnership finds the overlap through the rule tags', () => {
    const o = planOwnership('S', [{ id: 'shell', pattern: 'shell-in-container', owner: 'sec', policies: [] }], true, {},
      [{ name: 'Shell in container', tags: ['pattern:shell-in-container'] }]);
    expect(o.overlaps).toEqual([{ pattern: 'shell-in-container', falco: ['Shell in container'], tetragon: ['shell'], owner: undefined, alertsTo: undefined }]);
  });

  test('GIVEN a Falco custom rule tagged pattern:ptrace THEN the stack plan sees the overlap without falcoPatterns', () => {
    const p = plan({
      ...both({}),
      falco: {
        customRules: [{
          owner: 'platform-security',
          rule: {
            kind: 'rule',
            name: 'Ptrace attach',
            desc: 'ptrace attach',
            condition: 'evt.type = ptrace',
            output: 'ptrace (proc.name=%proc.name)',
            priority: 'WARNING',
            tags: ['process', 'pattern:ptrace'],
          },
        }],
      },
    });
    expect(p.ownership!.overlaps.map((o) => [o.pattern, o.falco])).toEqual([['ptrace', ['Ptrace attach']]]);
    const [outcome] = TETRAGON_SENSOR_OWNERSHIP.evaluate(p);
    expect(outcome).toMatchObject({ status: 'non-compliant', message: expect.stringContaining('ptrace (Falco: Ptrace attach; Tetragon: ptrace)') });
  });
});
