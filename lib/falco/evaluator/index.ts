// The evaluator's public API: re-exports only.
export {
  RuleEvaluator, RuleEvaluatorOptions, EvaluatorRule, Detection, RuleMatching, EvaluatorError,
  FieldTypeInfo, FieldTypeLookup, SYSCALL_SOURCE, catalogueFieldTypes, displayPriority, eventSource,
} from './evaluator';
export { evaluatorForRuleset, loadRulesForEvaluation, RulesForEvaluation } from './rules';
export { parseEventsText, EventsFileError, LocatedEvent } from './events';
export {
  K8S_AUDIT_SOURCE, K8sAuditValue, K8sAuditExtractor, isK8sAuditEvent, splitK8sAuditEvents, isK8sAuditListField,
  k8sAuditExtractor, extractK8sAuditField,
} from './k8s-audit';
