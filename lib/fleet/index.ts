export * from './props';
export * from './plan';
