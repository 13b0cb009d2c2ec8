// The Falco rule language: re-exports only. No cdk8s or Pulumi import anywhere under lib/falco.
export * from './language/ast';
export * from './language/build';
export * from './language/printer';
export { quoteString, isSafeBareValue, UnrepresentableValueError } from './language/lexical';
export * from './rules/model';
export * from './rules/emit';
export * from './language/parser';
