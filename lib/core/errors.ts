/**
 * An error in a stack definition: a stable code, the place (construct path or prop path),
 * what is wrong and what to do about it. Thrown at construction for bad props.
 */
export class DetectionStackError extends Error {
  constructor(
    /** Stable identifier, e.g. `DS-PROPS-002`. */
    public readonly code: string,
    /** Where: the construct path followed by the prop path, e.g. `oke-falco/cluster.name`. */
    public readonly where: string,
    /** What is wrong. */
    public readonly problem: string,
    /** What to do about it. */
    public readonly fix: string,
  ) {
    super(`${code} at ${where}: ${problem}. Fix: ${fix}`);
    this.name = 'DetectionStackError';
  }
}
