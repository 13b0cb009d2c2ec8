import { mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import { synthApp } from '../../lib/cdk8s/synth-app';

describe('synthApp: errors in a definition are reported without a stack trace', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    process.exitCode = 0;
  });
  const printed = () => stderr.mock.calls.map((c) => String(c[0])).join('');

  test('GIVEN bad props THEN the DetectionStackError message alone, exit code 1', () => {
    synthApp((app) => new DetectionStack(app, 'bad', { cluster: { name: 'prod eu', provider: 'eks' } }), { outdir: mkdtempSync(join(tmpdir(), 'synth-')) });
    expect(printed()).toMatch(/^error DS-PROPS-002 at bad\/cluster\.name: cluster name 'prod eu' is not valid\. Fix: .*\n$/);
    expect(printed()).not.toMatch(/\n\s+at /);
    expect(process.exitCode).toBe(1);
  });

  // The #14 reproducers as a user's program meets them (they printed a TypeError stack trace under synthApp).
  const EKS = { cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' }, durable: { waived: { reason: 'not needed in this test' } } };
  test.each<[string, unknown, string]>([
    ["routing.teams: 'payments'", { ...EKS, routing: { teams: 'payments' } }, 'DS-PROPS-010 at h/routing.teams'],
    ['routing.teams: [null]', { ...EKS, routing: { teams: [null] } }, 'DS-PROPS-010 at h/routing.teams[0]'],
    ["productNamespaces: 'billing'", { ...EKS, sensors: { tetragon: { productNamespaces: 'billing' } } }, 'DS-PROPS-010 at h/sensors.tetragon.productNamespaces'],
    ['minimumPriority: 5', { ...EKS, sensors: { falco: { minimumPriority: 5 } } }, 'DS-PROPS-012 at h/sensors.falco.minimumPriority'],
    ['tags: [1]', { ...EKS, sensors: { falco: { customRules: [{ owner: 'x', rule: { kind: 'rule', name: 'r', tags: [1] } }] } } }, 'DS-PROPS-010 at h/sensors.falco.customRules[0].rule.tags[0]'],
    ['suppressions reason: 5', { ...EKS, suppressions: [{ id: 'DS-X', reason: 5 }] }, 'DS-PROPS-010 at h/suppressions[0].reason'],
    ['cluster.name: 9', { cluster: { name: 9, provider: 'eks' } }, 'DS-PROPS-010 at h/cluster.name'],
    ['props undefined', undefined, 'DS-PROPS-004 at h'],
    ['a missing cluster.name', { cluster: { provider: 'eks' } }, 'DS-PROPS-004 at h/cluster.name'],
    ["namespace: ['falco']", { ...EKS, namespace: ['falco'] }, 'DS-PROPS-010 at h/namespace'],
    ['minimumPriorty', { ...EKS, sensors: { falco: { minimumPriorty: 'NOTICE' } } }, "DS-PROPS-011 at h/sensors.falco.minimumPriorty: 'minimumPriorty' is not a prop of FalcoSensorProps (did you mean 'minimumPriority'?)"],
    ['a newline in nodeSelector', { ...EKS, sensors: { falco: { nodeSelector: { pool: 'a\nb' } } } }, 'at h/sensors.falco.nodeSelector'],
  ])('GIVEN the #14 reproducer %s THEN one error line naming the prop, exit code 1, nothing written', (_name, props, start) => {
    const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
    synthApp((app) => new DetectionStack(app, 'h', props as never), { outdir });
    expect(printed()).toMatch(/^error DS-[A-Z]+-\d{3} at h\S*: [^\n]+\. Fix: [^\n]+\n$/);
    expect(printed()).toContain(start);
    expect(printed()).not.toMatch(/TypeError|\n\s+at /);
    expect(process.exitCode).toBe(1);
    expect(readdirSync(outdir)).toEqual([]);
  });

  test('GIVEN a guardrail error THEN the findings alone, exit code 1, nothing written', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
    synthApp((app) => new DetectionStack(app, 'nobucket', { cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' } }), { outdir });
    expect(printed()).toMatch(/^synth failed, the stack breaks guardrails:\n {2}\[nobucket\] ERROR DS-DURABLE-100 at nobucket\/durable: /);
    expect(printed()).not.toMatch(/\n\s+at /);
    expect(process.exitCode).toBe(1);
    expect(readdirSync(outdir)).toEqual([]);
  });

  test('GIVEN a valid stack THEN the manifests are written and the exit code untouched', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
    synthApp((app) => new DetectionStack(app, 'ok', {
      cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' }, durable: { waived: { reason: 'synthApp test: no bucket' } },
    }), { outdir });
    expect(readdirSync(outdir)).toEqual(['ok.k8s.yaml']);
    expect(process.exitCode).not.toBe(1);
  });

  test('GIVEN warning findings THEN each is printed on stderr with code, place and fix, and the manifests are written', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
    synthApp((app) => new DetectionStack(app, 'warn', {
      cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' },
      durable: { waived: { reason: 'synthApp test: no bucket' } },
      sensors: { falco: { privileged: true } },
    }), { outdir });
    expect(printed()).toMatch(/^WARNING DS-FALCO-101 at warn\/sensors\.falco: .*\. Fix: .+\n/m);
    const warnings = printed().split('\n').filter((l) => l.startsWith('WARNING '));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((l) => / at warn\/\S*: .*\. Fix: ./.test(l))).toBe(true);
    expect(readdirSync(outdir)).toEqual(['warn.k8s.yaml']);
    expect(process.exitCode).not.toBe(1);
  });

  test('GIVEN a guardrail error and warnings THEN the warnings are printed too', () => {
    synthApp((app) => new DetectionStack(app, 'both', {
      cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' }, sensors: { falco: { privileged: true } },
    }), { outdir: mkdtempSync(join(tmpdir(), 'synth-')) });
    expect(printed()).toMatch(/^WARNING DS-FALCO-101 at both\//m);
    expect(printed()).toMatch(/ERROR DS-DURABLE-100/);
    expect(process.exitCode).toBe(1);
  });

  test('GIVEN a bug (any other error) THEN it is rethrown as is', () => {
    expect(() => synthApp(() => { throw new TypeError('boom'); })).toThrow(TypeError);
  });
});
