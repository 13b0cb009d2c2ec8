export * from './coverage';
export * from './mermaid';
export * from './markdown';
export * from './investigation-settings';
export * from './write';
