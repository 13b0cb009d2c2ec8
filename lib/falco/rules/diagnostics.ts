/**
 * Diagnostics of the rules loader: every error and warning has a stable code, a place
 * (file, 1-based line and column) and a message in the words Falco users know.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  /** A stable code from {@link DIAGNOSTIC_CODES}. */
  readonly code: DiagnosticCode;
  readonly message: string;
  /** The file name as given to the loader. */
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The rule, macro or list the diagnostic is about, when there is one. */
  readonly item?: { readonly kind: 'rule' | 'macro' | 'list'; readonly name: string };
}

/**
 * Every code with the Falco load-result category it corresponds to and what it means.
 * Warning codes are Falco's own where Falco has one.
 */
export const DIAGNOSTIC_CODES = {
  // reading the YAML
  RULES_FILE_READ: { falco: 'LOAD_ERR_FILE_READ', description: 'the file cannot be read' },
  RULES_YAML_SYNTAX: { falco: 'LOAD_ERR_YAML_PARSE', description: 'the content is not valid YAML' },
  RULES_YAML_ALIAS_LIMIT: { falco: 'LOAD_ERR_YAML_PARSE', description: 'YAML aliases expand to more nodes than the reader allows (an alias bomb)' },
  RULES_NOT_A_LIST: { falco: 'LOAD_ERR_YAML_VALIDATE', description: 'the document is not a YAML sequence of items' },
  RULES_ITEM_NOT_A_MAP: { falco: 'LOAD_ERR_YAML_VALIDATE', description: 'an item of the sequence is not a mapping' },
  RULES_MISSING_KEY: { falco: 'LOAD_ERR_YAML_VALIDATE', description: 'a required key is missing (often a misspelt key: see LOAD_UNKNOWN_KEY)' },
  RULES_EMPTY_VALUE: { falco: 'LOAD_ERR_YAML_VALIDATE', description: 'a key has an empty value' },
  RULES_WRONG_TYPE: { falco: 'LOAD_ERR_YAML_VALIDATE', description: 'a value has the wrong YAML type (scalar, sequence, boolean, integer)' },
  RULES_BAD_PRIORITY: { falco: 'LOAD_ERR_YAML_VALIDATE', description: 'the priority is not one of Falco\'s priorities' },
  RULES_BAD_ENGINE_VERSION: { falco: 'LOAD_ERR_YAML_VALIDATE', description: 'required_engine_version is neither an integer nor a semver string' },
  RULES_UNSUPPORTED_ENGINE_VERSION: { falco: 'LOAD_ERR_VALIDATE', description: 'the file needs a newer rule engine than the one this tool checks against' },
  RULES_BAD_PLUGIN_VERSION: { falco: 'LOAD_ERR_VALIDATE', description: 'a required plugin version is invalid or a plugin is listed twice' },
  RULES_OVERRIDE_WITH_APPEND: { falco: 'LOAD_ERR_YAML_VALIDATE', description: '`override` and `append: true` used together' },
  RULES_INVALID_OVERRIDE_MODE: { falco: 'LOAD_ERR_YAML_VALIDATE', description: 'an override mode other than append or replace' },
  RULES_OVERRIDE_NOT_ALLOWED: { falco: 'LOAD_ERR_YAML_VALIDATE', description: 'a key that cannot be appended to (or replaced) was given that mode' },
  RULES_OVERRIDE_KEY_MISSING: { falco: 'LOAD_ERR_YAML_VALIDATE', description: 'an override names a key the item does not define' },
  RULES_OVERRIDE_KEY_UNEXPECTED: { falco: 'LOAD_ERR_YAML_VALIDATE', description: 'an overriding item defines a key without an override entry' },
  RULES_EXCEPTION_INVALID: { falco: 'LOAD_ERR_YAML_VALIDATE', description: 'an exception is not a mapping, or its values are not sequences' },
  // collecting items
  RULES_NO_PREVIOUS_LIST: { falco: 'LOAD_ERR_VALIDATE', description: 'a list appends to a list that does not exist' },
  RULES_NO_PREVIOUS_MACRO: { falco: 'LOAD_ERR_VALIDATE', description: 'a macro appends to a macro that does not exist' },
  RULES_NO_PREVIOUS_RULE: { falco: 'LOAD_ERR_VALIDATE', description: 'a rule appends to, overrides or enables a rule that does not exist' },
  RULES_NOTHING_TO_UPDATE: { falco: 'LOAD_ERR_VALIDATE', description: 'an appending or overriding rule has nothing to append or replace' },
  RULES_SOURCE_MISMATCH: { falco: 'LOAD_ERR_VALIDATE', description: 'a rule is re-defined with a different source' },
  RULES_EXCEPTION_MISMATCH: { falco: 'LOAD_ERR_VALIDATE', description: 'an exception\'s fields, comps and values do not line up' },
  RULES_EXCEPTION_BAD_COMP: { falco: 'LOAD_ERR_VALIDATE', description: 'an exception comparison operator is not supported' },
  RULES_EXCEPTION_UNKNOWN_FIELD: { falco: 'LOAD_ERR_VALIDATE', description: 'an exception names a field the source does not have' },
  RULES_LIST_LOOP: { falco: 'LOAD_ERR_VALIDATE', description: 'lists refer to each other in a loop' },
  // conditions and outputs
  COND_EMPTY: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'the condition is empty' },
  COND_SYNTAX: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'the condition does not parse' },
  COND_UNKNOWN_OPERATOR: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'a check uses an operator Falco does not have' },
  COND_UNBALANCED_PARENS: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'parentheses do not balance' },
  COND_UNCLOSED_QUOTE: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'a quoted string is not closed' },
  COND_BAD_ESCAPE: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'a quoted string has an escape libsinsp does not support' },
  COND_TOO_DEEP: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'the condition nests deeper than the parser allows, or than the expansion bound once its macros are expanded' },
  COND_TOO_LARGE: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'the condition grows beyond the expansion bound once its macros are expanded (a macro bomb)' },
  COND_UNDEFINED_MACRO: { falco: 'LOAD_ERR_VALIDATE', description: 'a macro is used but not defined (or, in a macro, defined only later)' },
  COND_MACRO_LOOP: { falco: 'LOAD_ERR_VALIDATE', description: 'macros refer to each other in a loop' },
  COND_LIST_ITEM_STRUCTURE: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'a list item that Falco, pasting it into the condition as text, would read as something other than one value' },
  COND_UNDEFINED_LIST: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'a list operator names a list that is not defined' },
  COND_UNKNOWN_FIELD: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'a field the rule\'s source does not have' },
  COND_UNKNOWN_EVENT_TYPE: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'an evt.type value that is not an event or syscall name' },
  COND_FIELD_ARGUMENT: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'a field argument is missing, not allowed, or of the wrong form' },
  COND_BAD_VALUE: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'a value does not fit the field\'s type (e.g. `proc.pid = abc`)' },
  COND_BAD_OPERATOR_FOR_FIELD: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'an operator the field\'s type does not support' },
  COND_BAD_TRANSFORMER: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'a transformer applied to a field type it does not support' },
  COND_UNRESOLVED_IDENTIFIER: { falco: 'LOAD_ERR_COMPILE_CONDITION', description: 'a bare word where a value was expected names nothing' },
  OUTPUT_UNKNOWN_FIELD: { falco: 'LOAD_ERR_COMPILE_OUTPUT', description: 'the output refers to a field the rule\'s source does not have' },
  // warnings (Falco's codes)
  LOAD_NO_EVTTYPE: { falco: 'LOAD_NO_EVTTYPE', description: 'a syscall rule with no evt.type restriction (a significant performance penalty)' },
  LOAD_UNKNOWN_SOURCE: { falco: 'LOAD_UNKNOWN_SOURCE', description: 'a rule for a source this tool has no field catalogue for: fields are not checked' },
  LOAD_UNKNOWN_FILTER: { falco: 'LOAD_UNKNOWN_FILTER', description: 'a rule with skip-if-unknown-filter uses an unknown field: it is skipped' },
  LOAD_UNKNOWN_ITEM: { falco: 'LOAD_UNKNOWN_ITEM', description: 'an item that is not a rule, macro, list or version requirement' },
  LOAD_UNKNOWN_KEY: { falco: 'LOAD_UNKNOWN_KEY', description: 'a key Falco ignores (often a misspelling)' },
  LOAD_DEPRECATED_ITEM: { falco: 'LOAD_DEPRECATED_ITEM', description: 'a deprecated construct: standalone `enabled`, `append`, `evt.dir`, `%container.info`, ...' },
  LOAD_APPEND_NO_VALUES: { falco: 'LOAD_APPEND_NO_VALUES', description: 'an appended exception without values' },
  LOAD_EXCEPTION_NAME_NOT_UNIQUE: { falco: 'LOAD_EXCEPTION_NAME_NOT_UNIQUE', description: 'two exceptions of a rule share a name' },
  LOAD_INVALID_MACRO_NAME: { falco: 'LOAD_INVALID_MACRO_NAME', description: 'a macro name that is not an identifier' },
  LOAD_INVALID_LIST_NAME: { falco: 'LOAD_INVALID_LIST_NAME', description: 'a list name that cannot be written bare in a condition' },
  LOAD_UNSAFE_NA_CHECK: { falco: 'LOAD_UNSAFE_NA_CHECK', description: 'a k8s audit field compared with <NA>' },
  LOAD_SCHEMA: { falco: 'LOAD_SCHEMA', description: 'the item does not follow Falco\'s rules-file schema (e.g. a lower-case priority): Falco loads it with a schema warning' },
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** `file:line:col: error CODE message`, the format of the CLI and of compilers. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code} ${d.message}`;
}
