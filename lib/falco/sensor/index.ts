// The Falco sensor layer: props, pure plan, rendered files. No cdk8s or Pulumi import here.
export * from './props';
export * from './defaults';
export * from './plan';
export * from './render';
export * from './rules-files';
export type { FalcoRuleTuning, FalcoTuningPlan } from '../tuning';
