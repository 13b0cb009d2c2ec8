export * from './types';
export * from './props';
export * from './fields';
export * from './definition';
export { RUNTIME_PACK } from './runtime';
export { K8S_AUDIT_PACK } from './k8s-audit';
export * from './build';
export * from './tetragon';
