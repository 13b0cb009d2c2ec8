import { Construct } from 'constructs';
import { Workload } from './workload';
import type { SidekickPlan } from '../routing/sidekick-plan';

export interface SidekickConstructProps {
  /** The resolved plan (`DetectionStack.plan.routing.sidekick`). */
  readonly plan: SidekickPlan;
}

/** Falcosidekick rendered from its plan (`SidekickPlan.workload`). */
export class Sidekick extends Construct {
  public readonly configYaml: string;
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: SidekickConstructProps) {
    super(scope, id);
    this.configYaml = props.plan.configYaml;
    this.workload = new Workload(this, 'Workload', { plan: props.plan.workload });
  }
}
