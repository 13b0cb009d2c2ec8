// Public API: re-exports only. No @pulumi/* module may be reachable from here.
export * from './errors';
export * from './checks';
export * from './stack/props';
export * from './stack/providers';
export * from './stack/plan';
export * from './cdk8s/detection-stack';
export * from './falco';
export * from './falco/sensor';
export * from './cdk8s/falco-sensor';
export * from './tetragon';
export * from './cdk8s/tetragon-sensor';
export * from './cdk8s/tetragon-policy';
export * from './routing';
export * from './audit';
export * from './packs';
export * from './investigation';
export * from './report';
