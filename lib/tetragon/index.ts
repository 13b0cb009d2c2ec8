// The Tetragon layer: TracingPolicy model, validation, YAML, seed detections, sensor plan, sensor ownership.
export * from './vocabulary';
export * from './model';
export * from './validate';
export * from './yaml';
export * from './props';
export * from './seed';
export * from '../stack/ownership';
export * from './plan';
