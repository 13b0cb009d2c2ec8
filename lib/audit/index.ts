export * from './props';
export * from './policy';
export * from './policy-file';
export * from './plan';
export * from './k8saudit-plugin';
