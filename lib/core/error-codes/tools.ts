import { defineCodes } from './entry';

/** The evaluator (lib/falco/evaluator): conditions it cannot run and events files it cannot read. */
export const EVALUATOR_CODES = defineCodes({
  EVAL_BAD_TRANSFORMER: { level: 'error', meaning: 'a transformer that does not exist, or called with the wrong arguments', fix: 'call the transformer as Falco documents it' },
  EVAL_UNSUPPORTED_TRANSFORMER: { level: 'error', meaning: 'a transformer Falco has and the evaluator does not run', fix: 'test this rule on a node with Falco, or rewrite the condition without the transformer' },
  EVAL_UNRESOLVED: { level: 'error', meaning: 'a condition with a macro or list that is not resolved', fix: 'evaluate a loaded rule set (loadRuleFiles), not a bare condition' },
  EVAL_BAD_OPERAND: { level: 'error', meaning: 'an operator that takes a single value was given a list', fix: 'give the operator one value' },
  EVAL_BAD_OPERATOR: { level: 'error', meaning: 'an operator the field\'s type or the right-hand side does not support', fix: 'use an operator the field supports' },
  EVAL_BAD_VALUE: { level: 'error', meaning: 'a value that does not fit the field\'s type', fix: 'compare the field with a value of its type' },
  EVAL_BAD_REGEX: { level: 'error', meaning: 'a regex that RE2 does not accept', fix: 'write the pattern in RE2 syntax' },
  EVAL_EVENT_LIST: { level: 'error', meaning: 'an audit EventList given as one event', fix: 'evaluate each of its items (splitK8sAuditEvents)' },
  EVENTS_BAD_JSON: { level: 'error', meaning: 'the events file is not valid JSON (array, JSON lines or one object)', fix: 'correct the JSON at the place given' },
  EVENTS_NOT_OBJECT: { level: 'error', meaning: 'an event that is not a JSON object', fix: 'write each event as an object of field values (or a raw audit.k8s.io Event)' },
  EVENTS_EMPTY: { level: 'error', meaning: 'the events file holds no event', fix: 'give at least one event' },
  EVENTS_UNKNOWN_FORMAT: { level: 'error', meaning: 'an event that fits no known source format', fix: 'give syscall events as objects of field values, k8s audit events as audit.k8s.io Events' },
});

/** The command line (lib/cli). */
export const CLI_CODES = defineCodes({
  CLI_USAGE: { level: 'error', meaning: 'the command line is not valid (unknown command or option, missing argument)', fix: 'run detection-stack --help, or <command> --help' },
  CLI_INPUT_TOO_LARGE: { level: 'error', meaning: 'an input file (or standard input) over the size the command is bounded for (README, Bounds); it is not read', fix: 'give the command smaller inputs: split the files, or validate and test them in groups' },
  CLI_INTERNAL: { level: 'error', meaning: 'an internal error while checking a file (a bug in this tool)', fix: 'report it with the file; the other files\' results still hold' },
});
