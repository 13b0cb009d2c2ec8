import { Construct } from 'constructs';
import { Workload } from './workload';
import type { ShipperPlan } from '../durable/plan';

export interface ShipperConstructProps {
  /** The resolved plan (`DetectionStack.plan.durable.shipper`). */
  readonly plan: ShipperPlan;
}

/** The durable path's Fluent Bit shipper rendered from its plan (`ShipperPlan.workload`). */
export class Shipper extends Construct {
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: ShipperConstructProps) {
    super(scope, id);
    this.workload = new Workload(this, 'Workload', { plan: props.plan.workload });
  }
}
