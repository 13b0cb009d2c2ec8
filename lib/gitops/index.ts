export * from './stages';
export * from './delivery';
export * from './stack-files';
