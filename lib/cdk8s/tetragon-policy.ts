import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { TracingPolicy } from '../tetragon/model';
import { formatPolicyIssue, validateTracingPolicy } from '../tetragon/validate';

export interface TetragonTracingPolicyProps {
  /** The policy, typed. */
  readonly policy: TracingPolicy;
  /**
   * Accept actions that stop or alter processes (Sigkill, Signal, Override, NotifyEnforcer, Set).
   * @default false
   */
  readonly allowEnforcement?: boolean;
}

/**
 * One TracingPolicy or TracingPolicyNamespaced (cilium.io/v1alpha1) as a cdk8s object.
 * The policy is checked at synth: each problem names its path inside the policy
 * (e.g. `spec.kprobes[0].selectors[2].matchBinaries`) and a fix.
 */
export class TetragonTracingPolicy extends Construct {
  public readonly apiObject: ApiObject;
  public readonly policy: TracingPolicy;

  constructor(scope: Construct, id: string, props: TetragonTracingPolicyProps) {
    super(scope, id);
    this.policy = props.policy;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: props.policy.apiVersion,
      kind: props.policy.kind,
      metadata: { ...props.policy.metadata },
      spec: props.policy.spec,
    });
    this.node.addValidation({
      validate: () => validateTracingPolicy(props.policy, { allowEnforcement: props.allowEnforcement ?? false })
        .map((issue) => formatPolicyIssue(issue, `${this.node.path}: `)),
    });
  }
}
