export * from './stages';
export * from './delivery';
