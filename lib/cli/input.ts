// What every CLI command shares about its input and text output: `-` is standard input, and values from the
// input files (rule names, event values) are printed with control characters escaped, so a rules or events
// file cannot move the cursor, recolour or rewrite the user's terminal.
import { readFileSync } from 'fs';

/** The file name that means standard input. */
export const STDIN = '-';

/** Reads a named input file, or standard input for `-`. */
export function readInput(name: string, readStdin: () => string = () => readFileSync(0, 'utf8')): string {
  return name === STDIN ? readStdin() : readFileSync(name, 'utf8');
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
