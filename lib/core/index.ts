// The shared vocabulary of every layer. Nothing here imports anything else of the project.
export * from './context';
export * from './errors';
export * from './names';
export * from './providers';
