// What every CLI command shares about its input and text output: `-` is standard input, and values from the
// input files (rule names, event values) are printed with control characters escaped, so a rules or events
// file cannot move the cursor, recolour or rewrite the user's terminal.
import { closeSync, openSync, readSync, statSync } from 'fs';
import { setFlagsFromString } from 'v8';

/** The file name that means standard input. */
export const STDIN = '-';

const MIB = 1024 * 1024;

/**
 * How many bytes of input each command reads at most (README "Bounds"; `npm run bench -- bounds` measures each
 * command's time and memory at these sizes). Beyond, the input is refused before it is read.
 */
export const INPUT_BOUNDS: Readonly<Record<'validate' | 'testRules' | 'testEvents', InputBound>> = {
  /** All the files given to `validate`, together. */
  validate: { what: 'the files given to validate', bytes: 8 * MIB, fix: 'validate them in smaller groups (each group loaded on its own)' },
  /** The rules files given to `test`, together. */
  testRules: { what: 'the rules files given to test', bytes: 1 * MIB, fix: 'test the rules in smaller groups' },
  /** The events file given to `test`. */
  testEvents: { what: 'the events file given to test', bytes: 32 * MIB, fix: 'split the events into several files and test each' },
};

/** What an input is (for messages), its bound in bytes, and what to do when over it. */
export interface InputBound {
  readonly what: string;
  readonly bytes: number;
  readonly fix: string;
}

/** An input over its bound (CLI_INPUT_TOO_LARGE); the message names the size, the bound and what to do. */
export class InputTooLargeError extends Error {
  readonly code = 'CLI_INPUT_TOO_LARGE';
}

/** A size for a message: bytes below 1 MiB, else MiB rounded up to 0.01 (so 8 MiB and 1 byte is 8.01 MiB). */
export function formatSize(bytes: number): string {
  if (bytes < MIB) return `${bytes} bytes`;
  return `${(Math.ceil((bytes / MIB) * 100) / 100).toFixed(2).replace(/\.?0+$/, '')} MiB`;
}

/**
 * Why a file given on the command line could not be read, with what to do: a missing file, a folder (the
 * commands take files, a shell glob gives a folder's), a file the user may not read; else the system's message.
 */
export function readFailure(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'it is a folder; give the files in it (e.g. folder/*.yaml)';
    case 'EACCES': return 'permission denied; make the file readable or give a copy';
    default: return (e as Error).message;
  }
}

/** What one command may still read of one kind of input. */
export class InputBudget {
  private used = 0;

  constructor(private readonly bound: InputBound) {}

  /**
   * Reads a named input file, or standard input for `-`, as UTF-8; throws {@link InputTooLargeError} (before
   * reading a file, or once standard input passes the bound) when it would take the reads over the bound.
   */
  read(name: string, readStdin?: () => string): string {
    const left = this.bound.bytes - this.used;
    if (name !== STDIN) {
      const size = statSync(name).size;
      if (size > left) this.refuse(size, true);
    }
    const bytes = name !== STDIN ? readBounded(name, left) : readStdin ? Buffer.from(readStdin(), 'utf8') : readBounded(0, left);
    // a file that grew since, or standard input (read up to one byte past the bound)
    if (bytes.length > left) this.refuse(bytes.length, name === STDIN && !readStdin ? false : true);
    this.used += bytes.length;
    countInput(bytes.length);
    return bytes.toString('utf8');
  }

  private refuse(size: number, exact: boolean): never {
    const { what, bytes, fix } = this.bound;
    const bound = formatSize(bytes);
    const problem = this.used > 0
      ? `with it, ${what} come to ${exact ? formatSize(this.used + size) : `more than ${bound}`}, above their bound of ${bound}`
      : exact ? `it is ${formatSize(size)}, above the bound of ${bound} for ${what}` : `it is over the bound of ${bound} for ${what}`;
    throw new InputTooLargeError(`${problem} (README, Bounds): ${fix}`);
  }
}

/** Up to `limit + 1` bytes of a file or descriptor (one more than the limit tells it is over). */
function readBounded(file: string | number, limit: number): Buffer {
  const fd = typeof file === 'number' ? file : openSync(file, 'r');
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(MIB, limit + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // a non-blocking pipe not ready yet
        continue;
      }
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) break;
    }
  } finally {
    if (typeof file !== 'number') closeSync(fd);
  }
  return Buffer.concat(chunks, total);
}

/**
 * From how many bytes of input V8's optimizing compiler (TurboFan) pays for itself. Below, a `validate`
 * or `test` run is over before the optimized code earns back its compilation (the three upstream rules files,
 * 220 kB, take a third less CPU without it); above, the optimized code wins (2.7 MB of rules: a third more
 * CPU without it). Measured with `npm run bench` and synthetic rules files of 0.26 to 2.7 MB.
 */
export const OPTIMIZE_FROM_BYTES = MIB;

let interpreted = false;
let bytesRead = 0;

/**
 * For a command whose work grows with its inputs, run by the CLI process itself (never by a host program
 * that imports the CLI): V8's optimizing compiler is off until the inputs read reach
 * {@link OPTIMIZE_FROM_BYTES}.
 */
export function interpretUntilLargeInput(): void {
  setFlagsFromString('--no-opt');
  interpreted = true;
  countInput(0);
}

function countInput(bytes: number): void {
  bytesRead += bytes;
  if (interpreted && bytesRead >= OPTIMIZE_FROM_BYTES) {
    setFlagsFromString('--opt');
    interpreted = false;
  }
}

// C0 controls (tab kept), DEL, C1 controls, and the Unicode line/paragraph separators and bidi overrides.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text for a terminal: every control character as a visible escape (`\x1b`, `\n`, `\u202e`). */
export function escapeForTerminal(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
