import { PLAN_COMMAND } from './plan-command';
import { REPORT_COMMAND } from './report-command';
import { TEST_COMMAND } from './test-command';
import { CommandIo, VALIDATE_COMMAND } from './validate';
// Registers TracingPolicy support in `validate` (Tetragon layer).
import './validate-tetragon';

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
];

const PROCESS_IO: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** The help text listing every command. */
export function helpText(commands: readonly CliCommand[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: detection-stack <command> [arguments]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "run 'detection-stack <command> --help' for a command's usage",
    '',
  ].join('\n');
}

/**
 * Runs the CLI with arguments (without `node` and the script); resolves to the exit code:
 * 0 success, 1 the input has errors, 2 usage error. Never lets an exception escape.
 */
export async function main(argv: readonly string[], io: CommandIo = PROCESS_IO, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(helpText(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`error CLI_USAGE unknown command '${name}'\n${helpText(commands)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
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
