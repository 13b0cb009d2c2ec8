import { execFileSync, spawnSync } from 'child_process';
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { formatSize, INPUT_BOUNDS, InputBudget, InputTooLargeError } from '../../lib/cli/input';
import { runTestCommand } from '../../lib/cli/test-command';
import { runValidateCommand } from '../../lib/cli/validate';

// #14: every command reads at most the sizes the README's Bounds table states; a larger input is refused before it
// is read, with the file, its size, the bound and what to do (CLI_INPUT_TOO_LARGE).

const MIB = 1024 * 1024;
const ROOT = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ds-bounds-'));

/** A file of `bytes` bytes: a valid rules file padded with a comment (sparse when `sparse`: never read). */
function sized(name: string, bytes: number, sparse = false): string {
  const path = join(dir, name);
  if (sparse) {
    const fd = openSync(path, 'w');
    ftruncateSync(fd, bytes);
    closeSync(fd);
    return path;
  }
  const rule = '- rule: R\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n';
  writeFileSync(path, `${rule}#${'x'.repeat(bytes - rule.length - 2)}\n`);
  return path;
}

interface Io {
  stdout: (t: string) => void;
  stderr: (t: string) => void;
  readStdin?: () => string;
}

function capture(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } }, out: () => out, err: () => err };
}

describe('input bounds', () => {
  test('the bounds are the README Bounds table', () => {
    const mib = Object.fromEntries(Object.entries(INPUT_BOUNDS).map(([k, b]) => [k, b.bytes / MIB]));
    expect(mib).toEqual({ validate: 8, testRules: 1, testEvents: 32 });
  });

  test('GIVEN a rules file one byte over 8 MiB WHEN validated THEN it is refused unread, naming its size and the bound', () => {
    const big = sized('big.yaml', 8 * MIB + 1, true);
    const c = capture();
    expect(runValidateCommand(['--format', 'json', big], c.io)).toBe(1);
    expect(JSON.parse(c.out()).diagnostics).toEqual([{
      file: big,
      line: 1,
      col: 1,
      severity: 'error',
      code: 'CLI_INPUT_TOO_LARGE',
      message: 'not read: it is 8.01 MiB, above the bound of 8 MiB for the files given to validate (README, Bounds): '
        + 'validate them in smaller groups (each group loaded on its own)',
    }]);
  });

  test('GIVEN two 5 MiB files WHEN validated together THEN the first is checked and the second refused: together they pass the bound', () => {
    const a = sized('a.yaml', 5 * MIB);
    const b = sized('b.yaml', 5 * MIB);
    const c = capture();
    expect(runValidateCommand([a, b], c.io)).toBe(1);
    expect(c.out()).toBe(`${b}:1:1: error CLI_INPUT_TOO_LARGE not read: with it, the files given to validate come to 10 MiB, above their bound of 8 MiB `
      + '(README, Bounds): validate them in smaller groups (each group loaded on its own)\n'
      + 'invalid: 2 files, 1 error, 0 warnings\n');
    const alone = capture();
    expect(runValidateCommand([b], alone.io)).toBe(0);
  }, 60_000);

  test('standard input is bounded too (a reader that returns more than the bound)', () => {
    const c = capture();
    expect(runValidateCommand(['-'], { ...c.io, readStdin: () => 'x'.repeat(8 * MIB + 1) })).toBe(1);
    expect(c.out()).toMatch(/^-:1:1: error CLI_INPUT_TOO_LARGE not read: it is 8.01 MiB, above the bound of 8 MiB for the files given to validate \(/);
  });

  test('GIVEN a rules file over 1 MiB or an events file over 32 MiB WHEN tested THEN each is refused with its bound', () => {
    const rules = sized('test-rules.yaml', MIB + 1);
    const c = capture();
    expect(runTestCommand(['--rules', rules, '--events', rules], c.io)).toBe(1);
    expect(c.err()).toBe(`${rules}:1:1: error CLI_INPUT_TOO_LARGE the rules file is not read: it is 1.01 MiB, above the bound of 1 MiB for the rules files `
      + 'given to test (README, Bounds): test the rules in smaller groups\n');
    const small = sized('small.yaml', 1000);
    const events = sized('events.jsonl', 33 * MIB, true);
    const e = capture();
    expect(runTestCommand(['--rules', small, '--events', events], e.io)).toBe(1);
    expect(e.err()).toBe(`${events}:1:1: error CLI_INPUT_TOO_LARGE the events file is not read: it is 33 MiB, above the bound of 32 MiB for the events `
      + 'file given to test (README, Bounds): split the events into several files and test each\n');
  });

  test('a folder, an endless device and a link to it as file arguments: each a clear error naming it, never a hang', () => {
    const link = join(dir, 'zero.yaml');
    symlinkSync('/dev/zero', link);
    const c = capture();
    expect(runValidateCommand(['--format', 'json', dir, '/dev/zero', link], c.io)).toBe(1);
    expect((JSON.parse(c.out()) as { diagnostics: { file: string; code: string; message: string }[] }).diagnostics
      .map((d) => [d.file, d.code, d.message.split(':')[0]])).toEqual([
      [dir, 'RULES_FILE_READ', 'cannot read the file'],
      ['/dev/zero', 'CLI_INPUT_TOO_LARGE', 'not read'],
      [link, 'CLI_INPUT_TOO_LARGE', 'not read'],
    ]);
    const t = capture();
    expect(runTestCommand(['--rules', sized('dir-rules.yaml', 200), '--events', dir], t.io)).toBe(1);
    expect(t.err()).toBe(`${dir}:1:1: error EVENTS_EMPTY cannot read the file: it is a folder; give the files in it (e.g. folder/*.yaml)\n`);
  });

  test('sizes in messages round up, so a file just over a bound never reads as equal to it', () => {
    expect([1000, MIB, MIB + 1, 10 * MIB, 33 * MIB - 1].map(formatSize)).toEqual(['1000 bytes', '1 MiB', '1.01 MiB', '10 MiB', '33 MiB']);
  });

  test('a budget adds up what it read; under the bound a file reads whole', () => {
    const budget = new InputBudget({ what: 'the test inputs', bytes: 10, fix: 'give less' });
    writeFileSync(join(dir, 'six'), 'ünf6\n'); // 6 bytes in UTF-8
    expect(budget.read(join(dir, 'six'))).toBe('ünf6\n');
    expect(() => budget.read(join(dir, 'six'))).toThrow(new InputTooLargeError(
      'with it, the test inputs come to 12 bytes, above their bound of 10 bytes (README, Bounds): give less'));
    expect(budget.read('-', () => 'four')).toBe('four');
  });

  test('bin/detection-stack validate - refuses standard input over the bound after reading one byte more than it', () => {
    if (!existsSync(join(ROOT, 'build', 'cli', 'main.js'))) execFileSync('npx', ['tsc', '--build'], { cwd: ROOT });
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'detection-stack'), 'validate', '-'], { input: Buffer.alloc(9 * MIB, 0x23), encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('-:1:1: error CLI_INPUT_TOO_LARGE not read: it is over the bound of 8 MiB for the files given to validate '
      + '(README, Bounds): validate them in smaller groups (each group loaded on its own)\ninvalid: 1 file, 1 error, 0 warnings\n');
  }, 60_000);
});
