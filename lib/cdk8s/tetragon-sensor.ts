import { Construct } from 'constructs';
import { TetragonTracingPolicy } from './tetragon-policy';
import { Workload } from './workload';
import type { TetragonPlan } from '../tetragon/plan';

export { TETRAGON_CRD_NAMES, TETRAGON_NAME, TETRAGON_OPERATOR_NAME } from '../tetragon/workload';

export interface TetragonSensorConstructProps {
  /** The resolved plan (`DetectionStack.plan.tetragon`, or `planTetragon(...)`). */
  readonly plan: TetragonPlan;
}

/**
 * The Tetragon runtime sensor: the agent and operator workloads as planned (`tetragonWorkloads`, where the
 * privileges are explained) and the detections' TracingPolicies. Every decision is in the plan.
 */
export class TetragonSensor extends Construct {
  public readonly agent: Workload;
  public readonly operator: Workload;
  public readonly policies: TetragonTracingPolicy[] = [];

  constructor(scope: Construct, id: string, props: TetragonSensorConstructProps) {
    super(scope, id);
    const plan = props.plan;
    this.agent = new Workload(this, 'Agent', { plan: plan.workloads.agent });
    this.operator = new Workload(this, 'Operator', { plan: plan.workloads.operator });

    // ---- detections: the CRDs exist once the operator ran; GitOps tools retry until then
    for (const detection of plan.detections) {
      detection.policies.forEach((policy, i) => {
        this.policies.push(new TetragonTracingPolicy(this, `${detection.id}-${policy.metadata.namespace ?? 'cluster'}-${i}`, {
          policy: {
            ...policy,
            metadata: {
              ...policy.metadata,
              labels: { ...plan.labels, ...policy.metadata.labels },
              annotations: { ...policy.metadata.annotations, 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
            },
          },
          allowEnforcement: plan.enforcement.enabled,
        }));
      });
    }
  }
}
