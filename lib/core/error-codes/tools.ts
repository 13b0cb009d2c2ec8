import { defineCodes } from './entry';

/** The evaluator (lib/falco/evaluator): conditions it cannot run and events files it cannot read. */
export const EVALUATOR_CODES = defineCodes({
  EVAL_BAD_TRANSFORMER: { level: 'error', meaning: 'a transformer called with the wrong arguments (their number, kind or field argument)', fix: 'call the transformer as Falco documents it' },
  EVAL_UNSUPPORTED_TRANSFORMER: {
    level: 'error',
    meaning: 'a transformer name no Falco 0.44 has, in a condition built by hand as an AST (the parser and the builder admit only Falco\'s transformers, and the evaluator runs all of them)',
    fix: 'use one of Falco\'s transformers: tolower, toupper, b64, basename, len, join, concat, getopt, val',
  },
  EVAL_UNRESOLVED: { level: 'error', meaning: 'a condition with a macro or list that is not resolved', fix: 'evaluate a loaded rule set (loadRuleFiles), not a bare condition' },
  EVAL_BAD_OPERAND: { level: 'error', meaning: 'an operator that takes a single value was given a list', fix: 'give the operator one value' },
  EVAL_BAD_OPERATOR: { level: 'error', meaning: 'an operator the field\'s type or the right-hand side does not support', fix: 'use an operator the field supports' },
  EVAL_BAD_VALUE: { level: 'error', meaning: 'a value that does not fit the field\'s type', fix: 'compare the field with a value of its type' },
  EVAL_BAD_REGEX: { level: 'error', meaning: 'a regex that RE2 does not accept', fix: 'write the pattern in RE2 syntax' },
  EVAL_EVENT_LIST: { level: 'error', meaning: 'an audit EventList given as one event', fix: 'evaluate each of its items (splitK8sAuditEvents)' },
  EVENTS_BAD_JSON: { level: 'error', meaning: 'the events file is not valid JSON (array, JSON lines or one object)', fix: 'correct the JSON at the place given' },
  EVENTS_NOT_OBJECT: { level: 'error', meaning: 'an event that is not a JSON object', fix: 'write each event as an object of field values (or a raw audit.k8s.io Event)' },
  EVENTS_EMPTY: { level: 'error', meaning: 'the events file holds no event', fix: 'give at least one event' },
  EVENTS_UNKNOWN_FIELD: { level: 'error', meaning: 'an event key that names no field of the event\'s source (the event would match as if it were absent)', fix: 'correct the field name (the message suggests the nearest)' },
  EVENTS_BAD_VALUE: { level: 'error', meaning: 'an event value that cannot be read as its field\'s type (the evaluator would read it as missing)', fix: 'give a value of the field\'s type, or null for a missing value' },
  EVENTS_UNKNOWN_FORMAT: { level: 'error', meaning: 'an event that fits no known source format', fix: 'give syscall events as objects of field values, k8s audit events as audit.k8s.io Events' },
});

/** The condition builder (lib/falco/language/build.ts): names and values code gives it, refused before any condition exists. */
export const BUILDER_CODES = defineCodes({
  BUILD_INVALID_FIELD: { level: 'error', meaning: 'a field name that is not dotted words such as proc.name', fix: 'give the field\'s name alone, and its argument with field(name, arg)' },
  BUILD_INVALID_NAME: { level: 'error', meaning: 'a macro, list or transformer name the grammar does not read as that name', fix: 'use letters, digits and _, starting with a letter (not and, or, not), or one of Falco\'s transformers' },
  BUILD_INVALID_VALUE: {
    level: 'error',
    meaning: 'a value a Falco condition cannot carry (a NUL character, an empty field argument, a number Falco cannot read, a list item that does not read back as one value)',
    fix: 'give the value as a string without NUL characters, a finite number, or one list item per value',
  },
  BUILD_OPERAND_MISMATCH: { level: 'error', meaning: 'an operator given the wrong kind of operand (a list where it compares one value, one value where it takes a list, text where it compares numbers, a modifier it does not take)', fix: 'use the helper of the operator (inList, anyOf, gt...) with the operand it documents' },
  BUILD_MISPLACED_VAL: { level: 'error', meaning: 'val() anywhere but the whole right side of a check (libsinsp\'s grammar)', fix: 'compare a field with val(other.field): eq(\'proc.name\', val(\'proc.pname\'))' },
  BUILD_EMPTY: { level: 'error', meaning: 'and(), or() or a transformer given nothing to combine', fix: 'give at least one condition (or one argument to the transformer)' },
});

/** The command line (lib/cli). */
export const CLI_CODES = defineCodes({
  CLI_USAGE: { level: 'error', meaning: 'the command line is not valid (unknown command or option, missing argument)', fix: 'run detection-stack --help, or <command> --help' },
  CLI_INPUT_TOO_LARGE: { level: 'error', meaning: 'an input file (or standard input) over the size the command is bounded for (README, Bounds); it is not read', fix: 'give the command smaller inputs: split the files, or validate and test them in groups' },
  CLI_INTERNAL: { level: 'error', meaning: 'an internal error while checking a file (a bug in this tool)', fix: 'report it with the file; the other files\' results still hold' },
});
