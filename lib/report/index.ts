export * from './coverage';
export * from './mermaid';
export * from './markdown';
export * from './plan-packs';
export * from './write';
