import { Construct } from 'constructs';
import { Workload } from './workload';
import { metacollectorWorkload } from '../falco/sensor/k8smeta';
import type { FalcoPlan } from '../falco/sensor/plan';
import { FalcoFiles, renderFalcoFiles } from '../falco/sensor/render';
import { falcoWorkload } from '../falco/sensor/workload';

export interface FalcoSensorConstructProps {
  /** The resolved plan (`DetectionStack.plan.falco`, or `planFalco(...)`). */
  readonly plan: FalcoPlan;
}

/**
 * The Falco runtime sensor rendered from its plan: ServiceAccount (no token), falco.yaml and custom rules
 * ConfigMaps, and the DaemonSet; with `kubernetesMetadata`, the k8s-metacollector too. Thin by design: every
 * decision is in the plan.
 */
export class FalcoSensor extends Construct {
  public readonly workload: Workload;
  /** The k8s-metacollector, when `kubernetesMetadata` is on. */
  public readonly metacollector?: Workload;
  /** The rendered files and their checksum. */
  public readonly files: FalcoFiles;

  constructor(scope: Construct, id: string, props: FalcoSensorConstructProps) {
    super(scope, id);
    this.files = renderFalcoFiles(props.plan);
    // The same pure function the stack plan lists the workload with (`StackPlan.workloads`).
    this.workload = new Workload(this, 'Workload', { plan: falcoWorkload(props.plan) });
    const k8smeta = props.plan.kubernetesMetadata;
    if (k8smeta) {
      this.metacollector = new Workload(this, 'Metacollector', {
        plan: metacollectorWorkload(k8smeta, { pods: props.plan.selectorLabels, namespace: props.plan.namespace }),
      });
    }
  }
}
