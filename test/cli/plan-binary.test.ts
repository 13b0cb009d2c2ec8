import { execFileSync, spawnSync } from 'child_process';
import { existsSync, rmSync } from 'fs';
import { join } from 'path';
import { installedCopy } from '../pulumi/installed-copy';

// The user's path: plain Node runs build/cli/main.js, which registers ts-node for the program's index.ts.
const ROOT = join(__dirname, '..', '..');
const bin = join(ROOT, 'bin', 'detection-stack');

let program: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'build', 'cli', 'plan-command.js'))) execFileSync('npx', ['tsc', '--build'], { cwd: ROOT });
  // The example imports detection-stack/pulumi/oci: installed beside it, as in a user's project.
  program = installedCopy('oke-pulumi');
});
afterAll(() => rmSync(program, { recursive: true, force: true }));

test('GIVEN the package is built WHEN plan runs an installed example THEN it prints its resources as JSON, with no cloud account', () => {
  const r = spawnSync(process.execPath, [bin, 'plan', program, '--format', 'json'], {
    encoding: 'utf8', env: { ...process.env, PULUMI_CONFIG: '', AWS_PROFILE: 'none', OCI_CLI_PROFILE: 'none' },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const plan = JSON.parse(r.stdout);
  expect(plan.resources.find((x: { type: string }) => x.type === 'oci:ObjectStorage/bucket:Bucket').inputs.accessType).toBe('NoPublicAccess');
  const text = spawnSync(process.execPath, [bin, 'plan', program], { encoding: 'utf8' });
  expect(text.status).toBe(0);
  expect(text.stdout).toMatch(/^TYPE +NAME +PARENT +DEPENDS ON\n/);
  expect(text.stdout).toMatch(/\n\d+ resources\n$/);
}, 120_000);
