// What every CLI command shares about its input and text output: `-` is standard input, and values from the
// input files (rule names, event values) are printed with control characters escaped, so a rules or events
// file cannot move the cursor, recolour or rewrite the user's terminal.
import { readFileSync } from 'fs';
import { setFlagsFromString } from 'v8';

/** The file name that means standard input. */
export const STDIN = '-';

/** Reads a named input file, or standard input for `-`. */
export function readInput(name: string, readStdin: () => string = () => readFileSync(0, 'utf8')): string {
  const text = name === STDIN ? readStdin() : readFileSync(name, 'utf8');
  countInput(text.length);
  return text;
}

/**
 * From how many characters of input V8's optimizing compiler (TurboFan) pays for itself. Below, a `validate`
 * or `test` run is over before the optimized code earns back its compilation (the three upstream rules files,
 * 220 kB, take a third less CPU without it); above, the optimized code wins (2.7 MB of rules: a third more
 * CPU without it). Measured with `npm run bench` and synthetic rules files of 0.26 to 2.7 MB.
 */
export const OPTIMIZE_FROM_CHARS = 1024 * 1024;

let interpreted = false;
let charsRead = 0;

/**
 * For a command whose work grows with its inputs, run by the CLI process itself (never by a host program
 * that imports the CLI): V8's optimizing compiler is off until the inputs read reach
 * {@link OPTIMIZE_FROM_CHARS}.
 */
export function interpretUntilLargeInput(): void {
  setFlagsFromString('--no-opt');
  interpreted = true;
  countInput(0);
}

function countInput(chars: number): void {
  charsRead += chars;
  if (interpreted && charsRead >= OPTIMIZE_FROM_CHARS) {
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
