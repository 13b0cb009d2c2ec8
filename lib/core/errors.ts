import { CodeLevel, ERROR_CODES, StackCode } from './error-codes';

/**
 * An error in a stack definition: a registered code, the place (construct path or prop path),
 * what is wrong and what to do about it. Thrown at construction for bad props.
 */
export class DetectionStackError extends Error {
  /** The code's level in the registry (`error` for every code thrown at construction). */
  public readonly level: CodeLevel;
  /** What to do about it: the caller's fix for this case, or the registry's general fix for the code. */
  public readonly fix: string;
  /** Where: the construct path followed by the prop path, e.g. `oke-falco/cluster.name`. */
  public readonly where: string;
  /** What is wrong. */
  public readonly problem: string;

  constructor(
    /** A code of the registry (`lib/core/error-codes`), e.g. `DS-PROPS-002`. */
    public readonly code: StackCode,
    /** Where: the construct path followed by the prop path, e.g. `oke-falco/cluster.name`. */
    where: string,
    /** What is wrong (values from the props in it are shown bounded and escaped, see {@link boundedMessageText}). */
    problem: string,
    fix?: string,
  ) {
    const entry = ERROR_CODES[code];
    const resolvedFix = fix ?? entry.fix;
    const shownWhere = boundedMessageText(where);
    const shownProblem = boundedMessageText(problem);
    super(`${code} at ${shownWhere}: ${shownProblem}. Fix: ${resolvedFix}`);
    this.where = shownWhere;
    this.problem = shownProblem;
    this.name = 'DetectionStackError';
    this.level = entry.level;
    this.fix = resolvedFix;
  }
}

/** Longest problem or place an error prints whole; a longer one keeps its start and end. */
export const MESSAGE_TEXT_MAX = 2000;

const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text of an error that may hold values from the props: control characters (terminal escapes, carriage
 * returns, bidi overrides) as visible escapes, and at most {@link MESSAGE_TEXT_MAX} characters, so a 50 MB
 * string or an escape sequence given as a prop never reaches a terminal or a CI log as is. Line breaks stay.
 */
export function boundedMessageText(text: string): string {
  const shown = text.length <= MESSAGE_TEXT_MAX ? text
    : `${text.slice(0, MESSAGE_TEXT_MAX * 0.75)}...(${text.length - MESSAGE_TEXT_MAX} characters left out)...${text.slice(-MESSAGE_TEXT_MAX / 4)}`;
  return shown.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
