export * from './escape';
export * from './queries';
export * from './runbook';
