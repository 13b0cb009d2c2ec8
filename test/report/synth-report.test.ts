/** `npm run synth` writes REPORT.md next to each example's manifests (scripts/synth-examples.js). */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(180_000);

describe('npm run synth writes the coverage report', () => {
  test('GIVEN examples/oke-falco WHEN synthesized THEN dist/oke-falco/REPORT.md has the diagram, the matrix and the gaps', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'synth-examples.js'), 'oke-falco'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('report oke-falco -> dist/oke-falco/REPORT.md');
    const report = fs.readFileSync(path.join(ROOT, 'dist', 'oke-falco', 'REPORT.md'), 'utf8');
    expect(report.split('\n')[0]).toBe('# Detection coverage: oke-falco');
    expect(report).toContain('```mermaid\nflowchart LR\n');
    expect(report).toContain('| scenario | Runtime: Falco | Runtime: Tetragon | Kubernetes audit | Cloud audit |');
    expect(report).toContain('- Cloud identity changes: no layer alerts on it (only recorded by Cloud audit, for investigation).');
    // guardrail warnings and info findings are listed for review (errors would have failed synth)
    expect(report).toContain('## Guardrail findings');
    expect(report).toMatch(/^\| DS-FALCO-104 \| warning \| oke-falco\/packs \| 9 k8s_audit pack rule\(s\) will not run /m);
    expect(fs.existsSync(path.join(ROOT, 'dist', 'oke-falco', 'audit-policy.yaml'))).toBe(true);
    // the manifests are still there, next to the report
    expect(fs.existsSync(path.join(ROOT, 'dist', 'oke-falco', 'oke-falco.k8s.yaml'))).toBe(true);
  });
});
