import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { closestName, oneOf, onePositional, parseCommandLine, parseOrUsage, UsageError } from '../../lib/cli/args';

const CLI = join(__dirname, '..', '..', 'lib', 'cli');

describe('the command-line argument helpers', () => {
  test('parseCommandLine reads options with node:util parseArgs and words its errors for the CLI', () => {
    const options = { format: { type: 'string' }, out: { type: 'string' } } as const;
    expect(parseCommandLine(['app', '--format=json', '--out', 'dir'], options)).toMatchObject({ values: { format: 'json', out: 'dir' }, positionals: ['app'] });
    expect(parseCommandLine(['--', '--format'], options).positionals).toEqual(['--format']);
    expect(() => parseCommandLine(['--fromat', 'json'], options)).toThrow(new UsageError("unknown option '--fromat'; did you mean '--format'?"));
    expect(() => parseCommandLine(['-x'], options)).toThrow(new UsageError("unknown option '-x'"));
    expect(() => parseCommandLine(['--out'], options, { out: 'a folder' })).toThrow(new UsageError('--out needs a folder'));
    expect(() => parseCommandLine(['--format', '--out', 'd'], options)).toThrow(new UsageError('--format needs a value'));
  });

  test('oneOf, onePositional and closestName', () => {
    expect(oneOf('format', undefined, ['text', 'json'], 'text')).toBe('text');
    expect(oneOf('format', 'json', ['text', 'json'], 'text')).toBe('json');
    expect(() => oneOf('only', 'flux', ['helm', 'operator', 'argo'], 'helm')).toThrow(new UsageError("--only takes helm, operator or argo, not 'flux'"));
    expect(onePositional(['dir'], 'the program folder')).toBe('dir');
    expect(() => onePositional([], 'the program folder')).toThrow(new UsageError('the program folder is missing'));
    expect(() => onePositional(['a', 'b'], 'the program folder')).toThrow(new UsageError("one program folder only (got 'a' and 'b')"));
    expect(closestName('reprot', ['report', 'plan'])).toBe('report');
    expect(closestName('frobnicate', ['report', 'plan'])).toBeUndefined();
  });

  test('parseOrUsage prints CLI_USAGE and the usage line for a usage error, and lets other errors through', () => {
    const err: string[] = [];
    const io = { stderr: (t: string) => err.push(t) };
    const parse = (argv: readonly string[]) => onePositional(argv, 'the app');
    expect(parseOrUsage(parse, 'usage: x APP', ['a'], io)).toBe('a');
    expect(parseOrUsage(parse, 'usage: x APP', [], io)).toBeUndefined();
    expect(err).toEqual(['error CLI_USAGE the app is missing\nusage: x APP\n']);
    expect(() => parseOrUsage(() => { throw new TypeError('bug'); }, 'usage: x', [], io)).toThrow(TypeError);
  });

  test('every command parses through these helpers: no command file reads arguments its own way', () => {
    const commands = readdirSync(CLI).filter((f) => f !== 'args.ts' && f.endsWith('.ts'))
      .map((f) => ({ f, text: readFileSync(join(CLI, f), 'utf8') }));
    expect(commands.filter(({ text }) => /class \w*UsageError\b/.test(text) || /from 'util'/.test(text) && /\bparseArgs\(/.test(text) && !/wantsHelp|GLOBAL_OPTIONS/.test(text))
      .map(({ f }) => f)).toEqual([]);
    const runners = commands.filter(({ text }) => /export (async )?function run\w+Command\(/.test(text));
    expect(runners.map(({ f }) => f).sort()).toEqual(['deliver-command.ts', 'plan-command.ts', 'report-command.ts', 'test-command.ts', 'validate.ts']);
    expect(runners.filter(({ text }) => !/parseOrUsage\(parse\w+Args, \w+_USAGE, argv, io\)/.test(text)).map(({ f }) => f)).toEqual([]);
  });
});
