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

  constructor(
    /** A code of the registry (`lib/core/error-codes`), e.g. `DS-PROPS-002`. */
    public readonly code: StackCode,
    /** Where: the construct path followed by the prop path, e.g. `oke-falco/cluster.name`. */
    public readonly where: string,
    /** What is wrong. */
    public readonly problem: string,
    fix?: string,
  ) {
    const entry = ERROR_CODES[code];
    const resolvedFix = fix ?? entry.fix;
    super(`${code} at ${where}: ${problem}. Fix: ${resolvedFix}`);
    this.name = 'DetectionStackError';
    this.level = entry.level;
    this.fix = resolvedFix;
  }
}
