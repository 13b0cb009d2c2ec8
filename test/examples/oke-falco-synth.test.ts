/** `npm run synth` (scripts/synth-examples.js) as users run it: the real cdk8s CLI in the example folder. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'synth-examples.js');
jest.setTimeout(120_000);

function synth(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('scripts/synth-examples.js', () => {
  test('GIVEN examples/oke-falco WHEN synthesized THEN dist/oke-falco holds the Falco DaemonSet', () => {
    const result = synth(['oke-falco']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('synthesized 1 example(s) into dist/');
    const manifest = fs.readFileSync(path.join(ROOT, 'dist', 'oke-falco', 'oke-falco.k8s.yaml'), 'utf8');
    const kinds = parseAllDocuments(manifest).map((d) => `${d.get('kind')}/${(d.toJSON() as { metadata: { name: string } }).metadata.name}`);
    expect(kinds).toEqual(expect.arrayContaining(['DaemonSet/falco', 'ConfigMap/falco-config', 'ConfigMap/falco-rules-platform-security', 'ServiceAccount/falco']));
    // The other deliveries of the same plan, beside the manifests (what `detection-stack deliver` writes).
    expect(fs.readdirSync(path.join(ROOT, 'dist', 'oke-falco', 'helm')).sort()).toEqual(['HELM.md', 'falco-values.yaml', 'falcosidekick-values.yaml']);
    expect(fs.readdirSync(path.join(ROOT, 'dist', 'oke-falco', 'operator')).sort()).toEqual(['OPERATOR.md', 'falco-operator.yaml']);
    const values = parseAllDocuments(fs.readFileSync(path.join(ROOT, 'dist', 'oke-falco', 'helm', 'falco-values.yaml'), 'utf8'))[0].toJSON();
    // oke-falco loads only its own rules (no default rules file), mounted by the chart into rules.d.
    expect(values.falco.rules_files).toEqual(['/etc/falco/rules.d']);
    expect(Object.keys(values.customRules)).toHaveLength(1);
    expect(result.stdout).toContain('report oke-falco -> dist/oke-falco/REPORT.md, helm/, operator/');
  });

  test('an unknown example name fails with a clear message', () => {
    const result = synth(['no-such-example']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('synth-examples: no example named no-such-example with a cdk8s.yaml');
  });

  describe('with a failing example', () => {
    let scratch: string;
    beforeAll(() => {
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-synth-'));
      fs.mkdirSync(path.join(scratch, 'examples', 'broken'), { recursive: true });
      fs.writeFileSync(path.join(scratch, 'examples', 'broken', 'cdk8s.yaml'),
        'language: typescript\napp: node -e "console.error(\'boom\'); process.exit(3)"\noutput: ../../dist/broken\n');
    });
    afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

    test('the script exits 1 and names the example that failed', () => {
      const result = synth([], { SYNTH_EXAMPLES_ROOT: scratch });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('synth-examples: 1 of 1 example(s) failed:');
      expect(result.stderr).toMatch(/broken: `cdk8s synth` exited with [1-9]/);
    });
  });
});
