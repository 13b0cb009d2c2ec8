// The shared vocabulary of every layer. Nothing here imports anything else of the project.
export * from './context';
export * from './egress';
export * from './host-paths';
export * from './errors';
export * from './error-codes';
export * from './names';
export * from './opt-out';
export * from './priorities';
export * from './providers';
export * from './secrets';
export * from './tags';
export * from './images';
export * from './resources';
export * from './app-run';
export * from './workload';
