export * from './props';
export * from '../core/priorities';
export * from './validate';
export * from './sidekick-plan';
export * from './alertmanager-plan';
export * from './alertmanager-config';
export * from '../durable/plan';
export * from './plan';
