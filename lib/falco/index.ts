// The Falco rule language: re-exports only. No cdk8s or Pulumi import anywhere under lib/falco.
export * from './language/ast';
export * from './language/build';
export * from './language/printer';
export { quoteString, isSafeBareValue, UnrepresentableValueError } from './language/lexer';
export * from './rules/model';
export * from './rules/emit';
export * from './language/parser';
export * from './language/fields';
export * from './language/checker';
export * from './rules/diagnostics';
export * from './rules/event-types';
export * from './rules/output';
export {
  loadRuleFiles, readRuleItems, SUPPORTED_ENGINE_VERSION, RuleFileInput, LoadOptions, PredefinedNames, ResolvedRule, Ruleset, LoadResult,
} from './rules/loader';
export { FALCO_DEFAULT_RULES_NAMES, K8SAUDIT_RULES_NAMES } from './rules/default-rules-names.generated';
export * from './evaluator';
