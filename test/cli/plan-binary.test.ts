import { execFileSync, spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';

// The user's path: plain Node runs build/cli/main.js, which registers ts-node for the program's index.ts.
const ROOT = join(__dirname, '..', '..');
const bin = join(ROOT, 'bin', 'detection-stack');

test('GIVEN the package is built WHEN plan runs an example THEN it prints its resources as JSON, with no cloud account', () => {
  if (!existsSync(join(ROOT, 'build', 'cli', 'plan-command.js'))) execFileSync('npx', ['tsc', '--build'], { cwd: ROOT });
  const r = spawnSync(process.execPath, [bin, 'plan', join(ROOT, 'examples', 'oke-pulumi'), '--format', 'json'], {
    encoding: 'utf8', env: { ...process.env, PULUMI_CONFIG: '', AWS_PROFILE: 'none', OCI_CLI_PROFILE: 'none' },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const plan = JSON.parse(r.stdout);
  expect(plan.resources.find((x: { type: string }) => x.type === 'oci:ObjectStorage/bucket:Bucket').inputs.accessType).toBe('NoPublicAccess');
  const text = spawnSync(process.execPath, [bin, 'plan', join(ROOT, 'examples', 'oke-pulumi')], { encoding: 'utf8' });
  expect(text.status).toBe(0);
  expect(text.stdout).toMatch(/^TYPE +NAME +PARENT +DEPENDS ON\n/);
  expect(text.stdout).toMatch(/\n\d+ resources\n$/);
}, 120_000);
