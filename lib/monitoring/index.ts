export * from './metrics';
export * from './props';
export * from './plan';
export * from './rules';
export * from './dashboards';
export * from './render';
export * from './report';
