import { Construct } from 'constructs';
import { Workload } from './workload';
import type { FalcoPlan } from '../falco/sensor/plan';
import { FalcoFiles, renderFalcoFiles } from '../falco/sensor/render';
import { falcoWorkload } from '../falco/sensor/workload';

export interface FalcoSensorConstructProps {
  /** The resolved plan (`DetectionStack.plan.falco`, or `planFalco(...)`). */
  readonly plan: FalcoPlan;
}

/**
 * The Falco runtime sensor rendered from its plan: ServiceAccount (no token), falco.yaml and custom rules
 * ConfigMaps, and the DaemonSet. Thin by design: every decision is in the plan.
 */
export class FalcoSensor extends Construct {
  public readonly workload: Workload;
  /** The rendered files and their checksum. */
  public readonly files: FalcoFiles;

  constructor(scope: Construct, id: string, props: FalcoSensorConstructProps) {
    super(scope, id);
    this.files = renderFalcoFiles(props.plan);
    // The same pure function the stack plan lists the workload with (`StackPlan.workloads`).
    this.workload = new Workload(this, 'Workload', { plan: falcoWorkload(props.plan) });
  }
}
