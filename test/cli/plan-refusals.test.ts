import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runPlanCommand } from '../../lib/cli/plan-command';

/** Runs `detection-stack plan DIR` and returns its exit code and what it printed on stderr. */
async function plan(dir: string): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await runPlanCommand([dir], { stdout: () => undefined, stderr: (t) => err.push(t) });
  return { code, err: err.join('') };
}

describe('plan refuses a program it cannot run offline, naming the folder, file or key', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-refusals-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  /** A program folder; `linked`: with the repository's node_modules beside it, as a user's program has its own. */
  const program = (name: string, index: string, files: Record<string, string> = {}, linked = true): string => {
    const dir = path.join(scratch, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), `name: ${name}\nruntime: nodejs\n`);
    fs.writeFileSync(path.join(dir, 'index.ts'), index);
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    if (linked) fs.symlinkSync(path.resolve(__dirname, '../../node_modules'), path.join(dir, 'node_modules'), 'dir');
    return dir;
  };

  test('@pulumi/pulumi not installed where the program is (DS-PULUMI-021)', async () => {
    const dir = program('no-sdk', 'export {};\n', {}, false);
    expect(await plan(dir)).toEqual({ code: 1, err: expect.stringMatching(new RegExp(`^error DS-PULUMI-021 at ${dir}: @pulumi/pulumi cannot be resolved from the program\\. Fix: `)) });
  });

  test('an encrypted config value, which only the Pulumi CLI can read (DS-PULUMI-024)', async () => {
    const dir = program('encrypted', 'export {};\n', { 'Pulumi.plan.yaml': 'config:\n  dbPassword:\n    secure: AAABAKx2\n' });
    const file = path.join(dir, 'Pulumi.plan.yaml');
    expect(await plan(dir)).toEqual({ code: 1, err: expect.stringMatching(new RegExp(`^error DS-PULUMI-024 at ${file}: dbPassword: encrypted config cannot be read without the Pulumi CLI\\.`)) });
  }, 60_000);

  test('a program that throws under the mocks, with its first line (DS-PULUMI-023)', async () => {
    const dir = program('throws', "throw new Error('no cluster named prod-oke\\nstack trace line');\n");
    expect(await plan(dir)).toEqual({ code: 1, err: expect.stringMatching(new RegExp(`^error DS-PULUMI-023 at ${dir}: the program failed under mocks: no cluster named prod-oke\\. Fix: `)) });
  }, 60_000);

  test('an AWS program without aws:region in the plan stack\'s config (DS-PULUMI-025)', async () => {
    const dir = program('no-region', "import * as aws from '@pulumi/aws';\nexport default async () => ({ region: (await aws.getRegion()).name });\n", { 'Pulumi.plan.yaml': 'config: {}\n' });
    const { code, err } = await plan(dir);
    expect(code).toBe(1);
    expect(err).toMatch(/^error DS-PULUMI-025 at aws:region: the AWS provider has no region\. Fix: set aws:region in the Pulumi\.<stack>\.yaml config/);
  }, 120_000);
});
