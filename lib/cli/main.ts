import { readFileSync } from 'fs';
import { join } from 'path';
import { parseArgs } from 'util';
import { DELIVER_COMMAND } from './deliver-command';
import { PLAN_COMMAND } from './plan-command';
import { REPORT_COMMAND } from './report-command';
import { TEST_COMMAND } from './test-command';
import { CommandIo, registerFileValidator, VALIDATE_COMMAND } from './validate';
import { TETRAGON_FILE_VALIDATOR } from './validate-tetragon';
import { editDistance } from '../falco/language/fields';

/**
 * The `detection-stack` command line: a small registry of commands. To add one, export a
 * `{ name, usage, summary, run }` object from its module and list it in COMMANDS.
 */

/** A command of the CLI. `run` returns (or resolves to) the exit code. */
export interface CliCommand {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  run(argv: readonly string[], io: CommandIo): number | Promise<number>;
}

export const COMMANDS: readonly CliCommand[] = [
  VALIDATE_COMMAND,
  TEST_COMMAND,
  PLAN_COMMAND,
  REPORT_COMMAND,
  DELIVER_COMMAND,
];

// `validate` checks TracingPolicies besides Falco rules files.
registerFileValidator(TETRAGON_FILE_VALIDATOR);

const PROCESS_IO: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** The help text listing every command. */
export function helpText(commands: readonly CliCommand[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: detection-stack <command> [arguments]',
    '       detection-stack --version | --help',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "run 'detection-stack <command> --help' for a command's usage",
    '',
  ].join('\n');
}

/** The package's version, as its package.json states it (two folders up from lib/cli and build/cli). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The command whose name is closest to a mistyped one, when it is close enough to be the likely intent. */
export function closestCommand(name: string, commands: readonly CliCommand[] = COMMANDS): CliCommand | undefined {
  const ranked = commands.map((c) => ({ c, distance: editDistance(name.toLowerCase(), c.name) })).sort((a, b) => a.distance - b.distance);
  const best = ranked[0];
  return best && best.distance <= Math.max(2, Math.floor(best.c.name.length / 3)) ? best.c : undefined;
}

const GLOBAL_OPTIONS = {
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Runs the CLI with arguments (without `node` and the script); resolves to the exit code:
 * 0 success, 1 the input has errors, 2 usage error. Never lets an exception escape.
 */
export async function main(argv: readonly string[], io: CommandIo = PROCESS_IO, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  // Options before the command are the CLI's own; everything from the command on belongs to the command.
  const commandAt = argv.findIndex((a) => !a.startsWith('-'));
  const own = commandAt < 0 ? [...argv] : argv.slice(0, commandAt);
  let global: { version?: boolean; help?: boolean };
  try {
    global = parseArgs({ args: own, options: GLOBAL_OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    io.stderr(`error CLI_USAGE ${e instanceof Error ? e.message : String(e)}\n${helpText(commands)}`);
    return 2;
  }
  if (global.version) {
    io.stdout(`detection-stack ${packageVersion()}\n`);
    return 0;
  }
  const name = commandAt < 0 ? undefined : argv[commandAt];
  if (global.help || name === 'help') {
    io.stdout(helpText(commands));
    return 0;
  }
  if (name === undefined) {
    io.stderr(helpText(commands));
    return 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const closest = closestCommand(name, commands);
    io.stderr(`error CLI_USAGE unknown command '${name}'${closest ? `; did you mean '${closest.name}'?` : ''}\n${helpText(commands)}`);
    return 2;
  }
  const rest = argv.slice(commandAt + 1);
  if (wantsHelp(rest)) {
    io.stdout(`${command.usage}\n${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    io.stderr(`error CLI_INTERNAL ${command.name} failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

/** `--help` or `-h` among a command's arguments (not after `--`); the command's own options are its business. */
function wantsHelp(args: readonly string[]): boolean {
  const { tokens } = parseArgs({ args: [...args], options: { help: { type: 'boolean', short: 'h' } }, strict: false, allowPositionals: true, tokens: true });
  return tokens.some((t) => t.kind === 'option' && t.name === 'help');
}

/** The entry point of bin/detection-stack. */
export function run(): void {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`error CLI_INTERNAL ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
