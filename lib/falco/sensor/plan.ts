// Owned by the Falco sensor layer.
import type { PlanContext } from '../../stack/plan';
import type { FalcoSensorProps } from './props';

/** The Falco DaemonSet as plain data. */
export interface FalcoPlan {
  readonly namespace: string;
}

export function planFalco(_props: FalcoSensorProps, ctx: PlanContext): FalcoPlan {
  return { namespace: ctx.namespace };
}
