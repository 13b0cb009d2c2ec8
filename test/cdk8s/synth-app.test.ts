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
