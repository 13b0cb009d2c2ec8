import { Construct } from 'constructs';
import { Workload } from './workload';
import type { K8sAuditFalcoPlan } from '../stack/k8saudit-falco';

export interface K8sAuditFalcoProps {
  /** The audit Falco as the stack plan assembled it. */
  readonly plan: K8sAuditFalcoPlan;
}

/** The single-replica Falco that runs the k8saudit plugin of EKS or AKS, rendered from its plan. */
export class K8sAuditFalco extends Construct {
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: K8sAuditFalcoProps) {
    super(scope, id);
    this.workload = new Workload(this, 'Workload', { plan: props.plan.workload });
  }
}
