import {
  Detection, EvaluatorRule, FieldTypeInfo, RuleEvaluator, RuleEvaluatorOptions,
} from '../../../lib/falco/evaluator/evaluator';
import { parseCondition } from '../../../lib/falco/language/parser';

/** A few syscall field types, as Falco lists them, for typed comparisons in tests. */
export const TEST_FIELD_TYPES: Readonly<Record<string, FieldTypeInfo>> = {
  'proc.pid': { type: 'INT64', isList: false },
  'proc.ppid': { type: 'INT64', isList: false },
  'proc.apid': { type: 'INT64', isList: false },
  'user.uid': { type: 'UINT32', isList: false },
  'evt.num': { type: 'UINT64', isList: false },
  'fd.num': { type: 'INT64', isList: false },
  'fd.sport': { type: 'PORT', isList: false },
  'fd.cport': { type: 'PORT', isList: false },
  'fd.sip': { type: 'IPADDR', isList: false },
  'fd.cip': { type: 'IPADDR', isList: false },
  'fd.net': { type: 'IPNET', isList: false },
  'fd.snet': { type: 'IPNET', isList: false },
  'proc.is_exe_upper_layer': { type: 'BOOL', isList: false },
  'evt.buffer': { type: 'BYTEBUF', isList: false },
  'fd.types': { type: 'CHARBUF', isList: true },
};

export function testFieldTypes(_source: string, name: string): FieldTypeInfo | undefined {
  return TEST_FIELD_TYPES[name];
}

/** A rule from condition text; output and priority are optional. */
export function rule(name: string, condition: string, extra: Partial<Omit<EvaluatorRule, 'condition' | 'name'>> = {}): EvaluatorRule {
  return { name, condition: parseCondition(condition), output: extra.output ?? `${name} fired`, priority: extra.priority ?? 'WARNING', ...extra };
}

export function evaluator(rules: readonly EvaluatorRule[], options: RuleEvaluatorOptions = {}): RuleEvaluator {
  return new RuleEvaluator(rules, { fieldTypes: testFieldTypes, ...options });
}

/** Whether one condition matches one syscall event. */
export function matches(condition: string, event: Record<string, unknown>): boolean {
  return evaluator([rule('r', condition)]).evaluate(event, 'syscall').length === 1;
}

export function ruleNames(detections: readonly Detection[]): string[] {
  return detections.map((d) => d.rule);
}
