import { parseArgs, ParseArgsConfig } from 'util';
import { editDistance } from '../falco/language/fields';

/**
 * The arguments of every command are read by `node:util` `parseArgs` (strict: an unknown option or a missing value
 * is refused) through {@link parseCommandLine}; a command's `parse...Args` throws a {@link UsageError} naming the
 * problem, and {@link parseOrUsage} turns it into `error CLI_USAGE <problem>` and the command's usage line (exit 2).
 */

/** A command line the command cannot take; its message names the problem. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Where a command writes. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Standard input, for a file named `-`. @default the process's standard input */
  readonly readStdin?: () => string;
}

type Options = NonNullable<ParseArgsConfig['options']>;
/** What {@link parseCommandLine} returns: the values, the positionals and the tokens. */
export type ParsedCommandLine<O extends Options> =
  ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true; tokens: true }>>;

/** The candidate closest to a mistyped name, when it is close enough to be the likely intent. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const ranked = candidates.map((c) => ({ c, distance: editDistance(name.toLowerCase(), c) })).sort((a, b) => a.distance - b.distance);
  const best = ranked[0];
  return best && best.distance <= Math.max(2, Math.floor(best.c.length / 3)) ? best.c : undefined;
}

/**
 * `parseArgs` over a command's arguments, positionals allowed, with the tokens (for options whose order matters).
 * Its errors become UsageErrors in the CLI's words: `unknown option '--x'` (with the closest option of the command),
 * `--format needs a value` (or the phrase `needs` gives for the option: `--rules needs at least one file`).
 */
export function parseCommandLine<O extends Options>(
  argv: readonly string[], options: O, needs: Partial<Record<keyof O, string>> = {},
): ParsedCommandLine<O> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true });
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    const option = /'(-[^' ]+)/.exec(error.message)?.[1];
    if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
      const closest = option.startsWith('--') ? closestName(option.slice(2), Object.keys(options)) : undefined;
      throw new UsageError(`unknown option '${option}'${closest ? `; did you mean '--${closest}'?` : ''}`);
    }
    if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
      const name = option.replace(/^-+/, '');
      throw new UsageError(`${option} needs ${needs[name as keyof O] ?? 'a value'}`);
    }
    throw new UsageError(error.message);
  }
}

/** An option's value among the ones it takes: `--format takes text or json, not 'yaml'`. */
export function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${option} takes ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}, not '${value}'`);
  }
  return value as T;
}

/** The one positional argument a command takes: `what` names it in the errors (`the program folder`). */
export function onePositional(positionals: readonly string[], what: string, missing: string = `${what} is missing`): string {
  if (positionals.length === 0) throw new UsageError(missing);
  if (positionals.length > 1) throw new UsageError(`one ${what.replace(/^the /, '')} only (got ${positionals.map((p) => `'${p}'`).join(' and ')})`);
  return positionals[0];
}

/**
 * Parses a command's arguments; on a UsageError writes `error CLI_USAGE <problem>` and the usage line and returns
 * undefined (the command then exits 2). Any other error is not a usage error and goes on.
 */
export function parseOrUsage<T>(parse: (argv: readonly string[]) => T, usage: string, argv: readonly string[], io: Pick<CommandIo, 'stderr'>): T | undefined {
  try {
    return parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`error CLI_USAGE ${e.message}\n${usage}\n`);
    return undefined;
  }
}
