import { readFileSync } from 'fs';
import { join } from 'path';
import { parseArgs } from 'util';
import { closestName, CommandIo } from './args';
import { interpretUntilLargeInput } from './input';
import { registerFileValidator } from './validate';
import { TETRAGON_FILE_VALIDATOR } from './validate-tetragon';

/**
 * The `detection-stack` command line: a small registry of commands. To add one, export a
 * `{ usage, run }` object from its module and list it in COMMANDS with its name, summary and loader.
 * Only the command that runs is loaded: `validate` starts without the cdk8s, Pulumi and report code.
 */

/** What a command's module provides. `run` returns (or resolves to) the exit code. */
export interface CommandBody {
  readonly usage: string;
  run(argv: readonly string[], io: CommandIo): number | Promise<number>;
}

/** A command of the CLI: its name and summary for the help text, and its module, loaded when it runs. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  /** Its work grows with the files it reads (see {@link interpretUntilLargeInput}). */
  readonly inputBound?: boolean;
  load(): Promise<CommandBody>;
}

export const COMMANDS: readonly CliCommand[] = [
  {
    name: 'validate',
    summary: 'check Falco rules files (loaded in order, like falco -r) and other registered file kinds',
    load: async () => (await import('./validate')).VALIDATE_COMMAND,
    inputBound: true,
  },
  {
    name: 'test',
    summary: 'run Falco rules over events (JSON array or JSON lines; syscall field objects or raw k8s audit events) and print which rule fired',
    load: async () => (await import('./test-command')).TEST_COMMAND,
    inputBound: true,
  },
  {
    name: 'plan',
    summary: 'print every resource a Pulumi program would register, under mocks (no cloud account)',
    load: async () => (await import('./plan-command')).PLAN_COMMAND,
  },
  {
    name: 'report',
    summary: 'print the coverage matrix and Mermaid diagram of the DetectionStacks a cdk8s app builds',
    load: async () => (await import('./report-command')).REPORT_COMMAND,
  },
  {
    name: 'deliver',
    summary: 'write the Helm values (official charts) and Falco Operator resources of the DetectionStacks a cdk8s app builds',
    load: async () => (await import('./deliver-command')).DELIVER_COMMAND,
  },
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
  const closest = closestName(name, commands.map((c) => c.name));
  return commands.find((c) => c.name === closest);
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
  if (processEntry && command.inputBound) interpretUntilLargeInput();
  try {
    const body = await command.load();
    if (wantsHelp(rest)) {
      io.stdout(`${body.usage}\n${command.summary}\n`);
      return 0;
    }
    return await body.run(rest, io);
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

/** Set by {@link run}: the CLI is the process, not a library a host program (or a test) calls. */
let processEntry = false;

/** The entry point of bin/detection-stack. */
export function run(): void {
  processEntry = true;
  main(process.argv.slice(2)).then(
    exitOnceWritten,
    (e: unknown) => {
      process.stderr.write(`error CLI_INTERNAL ${e instanceof Error ? e.message : String(e)}\n`);
      exitOnceWritten(1);
    },
  );
}

/**
 * Ends the process as soon as what it wrote is flushed: the answer is complete, and the garbage collection
 * V8 would otherwise finish first is wasted work (a tenth of a short `validate`).
 */
function exitOnceWritten(code: number): void {
  let pending = 2;
  const written = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', written);
  process.stderr.write('', written);
}
