import { readFileSync } from 'fs';
import { join } from 'path';
import { closestCommand, COMMANDS, main } from '../../lib/cli/main';
import { fileValidators } from '../../lib/cli/validate';
import { TETRAGON_FILE_VALIDATOR } from '../../lib/cli/validate-tetragon';

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

describe('detection-stack argument handling', () => {
  test.each([['--version'], ['-v']])('%s prints the package version and exits 0', async (flag) => {
    expect(await run(flag)).toEqual({ code: 0, stdout: `detection-stack ${VERSION}\n`, stderr: '' });
  });

  test.each([
    ['valdate', 'validate'],
    ['tets', 'test'],
    ['Report', 'report'],
    ['plna', 'plan'],
  ])('a typo %s suggests the closest command %s', async (typo, command) => {
    const r = await run(typo, 'x.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error CLI_USAGE unknown command '${typo}'; did you mean '${command}'\\?\\n`));
  });

  test('a name close to no command gets no suggestion', async () => {
    const r = await run('frobnicate');
    expect(r.stderr).toMatch(/^error CLI_USAGE unknown command 'frobnicate'\n/);
    expect(closestCommand('frobnicate')).toBeUndefined();
  });

  test('an unknown option before the command is a usage error naming it', async () => {
    const r = await run('--verbose', 'validate', 'x.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error CLI_USAGE .*'--verbose'/);
  });

  test('--help after `--` belongs to the command, not the CLI', async () => {
    const r = await run('validate', '--', '--help');
    expect(r.stdout).not.toMatch(/^usage: detection-stack validate/);
  });

  test('--help before the command lists every registered command', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name}`);
  });

  test('the CLI registers the TracingPolicy validator explicitly', () => {
    expect(fileValidators()).toEqual([TETRAGON_FILE_VALIDATOR]);
  });
});
