import { TETRAGON_SENSOR_OWNERSHIP } from '../../lib/checks/ds-tetra-101';
import { falcoPatternsFromRules, planOwnership } from '../../lib/stack/ownership';
import { both, plan } from '../helpers/check-fixtures';

describe('ownership declarations that make no sense fail at once, one code each (DS-TETRA-007, 015, 016, 017)', () => {
  test.each([
    ['a pattern Falco does not cover', both({ detections: [{ pattern: 'ptrace', sensor: 'falco', alertsTo: ['x'] }] }), /DS-TETRA-007 at S\/sensors\.ownership\.detections\[0\]\.pattern: pattern 'ptrace' does not overlap: Falco/],
    ['a pattern Tetragon does not cover', both({ falcoPatterns: ['crypto-miner'], detections: [{ pattern: 'crypto-miner', sensor: 'falco', alertsTo: ['x'] }] }), /DS-TETRA-007 at S\/sensors\.ownership\.detections\[0\]\.pattern: pattern 'crypto-miner' does not overlap: Tetragon/],
    ['a duplicate declaration', both({ falcoPatterns: ['ptrace'], detections: [{ pattern: 'ptrace', sensor: 'falco', alertsTo: ['x'] }, { pattern: 'ptrace', sensor: 'tetragon', alertsTo: ['x'] }] }), /DS-TETRA-015 at S\/sensors\.ownership\.detections\[1\]: pattern 'ptrace' is declared twice/],
    ['no destination', both({ falcoPatterns: ['ptrace'], detections: [{ pattern: 'ptrace', sensor: 'falco', alertsTo: [] }] }), /DS-TETRA-017 at S\/sensors\.ownership\.detections\[0\]\.alertsTo: no destination/],
    ['ownership with Tetragon alone', { tetragon: { productNamespaces: ['billing'] }, ownership: { detections: [{ pattern: 'ptrace', sensor: 'tetragon' as const, alertsTo: ['x'] }] } }, /DS-TETRA-016 at S\/sensors\.ownership\.detections\[0\]: ownership is declared but only Tetragon runs/],
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
