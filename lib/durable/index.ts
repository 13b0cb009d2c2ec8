export * from './props';
export * from './plan';
export * from './analytics-props';
