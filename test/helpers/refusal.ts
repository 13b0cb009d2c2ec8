import { DetectionStackError } from '../../lib/core/errors';
import { planStack } from '../../lib/stack/plan';
import type { DetectionStackProps } from '../../lib/stack/props';

/**
 * The error planning a stack definition at `stack` gives, as `<code> at <place>: <problem>` (the fix left out):
 * refusal tests assert the code and the place exactly. Anything but a DetectionStackError fails the test.
 */
export function refusalOf(props: DetectionStackProps): string {
  return refusalIn(() => planStack(props, 'stack'));
}

/** The DetectionStackError a call throws, as `<code> at <place>: <problem>`; a failure when it throws none. */
export function refusalIn(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (!(e instanceof DetectionStackError)) throw e;
    return `${e.code} at ${e.where}: ${e.problem}`;
  }
  throw new Error('accepted');
}

/** The DetectionStackError planning untyped props (as a JavaScript or YAML-fed caller passes them) at `stack` throws. */
export function planErrorOf(props: unknown): DetectionStackError {
  try {
    planStack(props as DetectionStackProps, 'stack');
  } catch (e) {
    if (e instanceof DetectionStackError) return e;
    throw e;
  }
  throw new Error('expected a DetectionStackError');
}

/** An EKS cluster in eu-west-1 with a bucket, which every refusal test changes in one place. */
export const EKS: DetectionStackProps = {
  cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
  durable: { bucket: { name: 'detections-prod-eks', aws: { podIdentity: true } } },
};
