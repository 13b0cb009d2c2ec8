import { RuleLanguageEntry } from './entry';

const rule = <T extends Record<string, RuleLanguageEntry>>(codes: T): T => codes;

/**
 * Diagnostics of the Falco rules loader and checker (lib/falco/language, lib/falco/rules), with the load-result
 * category Falco 0.44.1 gives the same problem. Warning codes are Falco's own where Falco has one.
 */
export const RULE_LANGUAGE_CODES = rule({
  // reading the YAML
  RULES_FILE_READ: { level: 'error', falco: 'LOAD_ERR_FILE_READ', meaning: 'the file cannot be read', fix: 'check the path and its permissions' },
  RULES_YAML_SYNTAX: { level: 'error', falco: 'LOAD_ERR_YAML_PARSE', meaning: 'the content is not valid YAML (also duplicate keys, and aliases without an anchor before them)', fix: 'correct the YAML at the place given' },
  RULES_YAML_ALIAS_LIMIT: { level: 'error', falco: 'LOAD_ERR_YAML_PARSE', meaning: 'the YAML aliases expand to more than 100,000 nodes (an alias bomb)', fix: 'write the repeated content out, or use fewer nested aliases' },
  RULES_NOT_A_LIST: { level: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', meaning: 'the document is not a YAML sequence of items', fix: 'write the file as a sequence of `- rule:`, `- macro:` and `- list:` items' },
  RULES_ITEM_NOT_A_MAP: { level: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', meaning: 'an item of the sequence is not a mapping', fix: 'write each item as a mapping (`- rule: name` followed by its keys)' },
  RULES_MISSING_KEY: { level: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', meaning: 'a required key is missing (often a misspelt key: see LOAD_UNKNOWN_KEY)', fix: 'add the key the message names (or correct its spelling)' },
  RULES_EMPTY_VALUE: { level: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', meaning: 'a key has an empty value', fix: 'give the key a value' },
  RULES_WRONG_TYPE: { level: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', meaning: 'a value has the wrong YAML type (scalar, sequence, boolean, integer)', fix: 'write the value as the type the message names' },
  RULES_BAD_PRIORITY: { level: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', meaning: 'the priority is not one of Falco\'s priorities', fix: 'use EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFORMATIONAL or DEBUG' },
  RULES_BAD_ENGINE_VERSION: { level: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', meaning: 'required_engine_version is neither an integer nor a semver string', fix: 'write it as a semver string such as 0.31.0' },
  RULES_UNSUPPORTED_ENGINE_VERSION: { level: 'error', falco: 'LOAD_ERR_VALIDATE', meaning: 'the file needs a newer rule engine than the one this tool checks against (Falco 0.44)', fix: 'lower required_engine_version, or use rules written for Falco 0.44' },
  RULES_BAD_PLUGIN_VERSION: { level: 'error', falco: 'LOAD_ERR_VALIDATE', meaning: 'a required plugin version is invalid or a plugin is listed twice', fix: 'list each plugin once with a semver version' },
  RULES_OVERRIDE_WITH_APPEND: { level: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', meaning: '`override` and `append: true` used together', fix: 'keep override and drop append' },
  RULES_INVALID_OVERRIDE_MODE: { level: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', meaning: 'an override mode other than append or replace', fix: 'use append or replace' },
  RULES_OVERRIDE_NOT_ALLOWED: { level: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', meaning: 'a key that cannot be appended to (or replaced) was given that mode', fix: 'use the mode Falco allows for that key (the message names it)' },
  RULES_OVERRIDE_KEY_MISSING: { level: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', meaning: 'an override names a key the item does not define', fix: 'define the key in the item, or drop it from override' },
  RULES_OVERRIDE_KEY_UNEXPECTED: { level: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', meaning: 'an overriding item defines a key without an override entry', fix: 'add the key to override, or remove it' },
  RULES_EXCEPTION_INVALID: { level: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', meaning: 'an exception is not a mapping, or its values are not sequences', fix: 'write the exception as { name, fields, comps, values: [[...]] }' },
  // collecting items
  RULES_NO_PREVIOUS_LIST: { level: 'error', falco: 'LOAD_ERR_VALIDATE', meaning: 'a list appends to a list that does not exist', fix: 'define the list first (or load the file that defines it first), or drop the append' },
  RULES_NO_PREVIOUS_MACRO: { level: 'error', falco: 'LOAD_ERR_VALIDATE', meaning: 'a macro appends to a macro that does not exist', fix: 'define the macro first (or load the file that defines it first), or drop the append' },
  RULES_NO_PREVIOUS_RULE: { level: 'error', falco: 'LOAD_ERR_VALIDATE', meaning: 'a rule appends to, overrides or enables a rule that does not exist', fix: 'check the rule name, or load the file that defines it first' },
  RULES_NOTHING_TO_UPDATE: { level: 'error', falco: 'LOAD_ERR_VALIDATE', meaning: 'an appending or overriding rule has nothing to append or replace', fix: 'give the keys to append or replace' },
  RULES_SOURCE_MISMATCH: { level: 'error', falco: 'LOAD_ERR_VALIDATE', meaning: 'a rule is re-defined with a different source', fix: 'give the redefinition the source of the rule it changes' },
  RULES_EXCEPTION_MISMATCH: { level: 'error', falco: 'LOAD_ERR_VALIDATE', meaning: 'an exception\'s fields, comps and values do not line up', fix: 'give as many comps and values per row as fields' },
  RULES_EXCEPTION_BAD_COMP: { level: 'error', falco: 'LOAD_ERR_VALIDATE', meaning: 'an exception comparison operator is not supported', fix: 'use a comparison operator Falco supports in exceptions (=, !=, in, startswith, ...)' },
  RULES_EXCEPTION_UNKNOWN_FIELD: { level: 'error', falco: 'LOAD_ERR_VALIDATE', meaning: 'an exception names a field the source does not have', fix: 'use a field of the rule\'s source' },
  // conditions and outputs
  COND_EMPTY: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'the condition is empty', fix: 'write a condition' },
  COND_SYNTAX: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'the condition does not parse', fix: 'correct the condition at the place given' },
  COND_UNKNOWN_OPERATOR: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'a check uses an operator Falco does not have', fix: 'use one of Falco\'s operators (=, !=, <, in, contains, startswith, glob, regex, ...)' },
  COND_UNBALANCED_PARENS: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'parentheses do not balance', fix: 'close every parenthesis you open' },
  COND_UNCLOSED_QUOTE: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'a quoted string is not closed', fix: 'close the quote' },
  COND_BAD_ESCAPE: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'a quoted string has an escape libsinsp does not support', fix: 'remove the backslash, or use an escape libsinsp supports (the message names the character)' },
  COND_TOO_DEEP: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'the condition nests deeper than the parser allows, or more than 1,000 levels once its macros are expanded (a long chain of macros)', fix: 'flatten the condition or the chain of macros' },
  COND_TOO_LARGE: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'once its macros are expanded, the condition has more than 100,000 nodes (a macro bomb: each macro using the previous one twice); reported at the first macro over the bound', fix: 'use each macro fewer times, or use a list' },
  COND_UNDEFINED_MACRO: { level: 'error', falco: 'LOAD_ERR_VALIDATE', meaning: 'a macro is used but not defined (or, in a macro, defined only later)', fix: 'define the macro before it is used, or correct its name (the message suggests one)' },
  COND_MACRO_LOOP: { level: 'error', falco: 'LOAD_ERR_VALIDATE', meaning: 'macros refer to each other in a loop', fix: 'break the loop' },
  COND_LIST_ITEM_STRUCTURE: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'a list item that Falco, pasting it into the condition as text, would read as something other than one value', fix: 'quote the item, or remove the characters that change the condition' },
  COND_UNDEFINED_LIST: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'a list operator names a list that is not defined', fix: 'define the list, or correct its name' },
  COND_UNKNOWN_FIELD: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'a field the rule\'s source does not have', fix: 'use a field of the rule\'s source (the message suggests the closest ones)' },
  COND_UNKNOWN_EVENT_TYPE: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'an evt.type value that is not an event or syscall name', fix: 'use an event or syscall name (the message suggests the closest one)' },
  COND_FIELD_ARGUMENT: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'a field argument is missing, not allowed, or of the wrong form', fix: 'give the field the argument its documentation names, or none' },
  COND_BAD_VALUE: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'a value does not fit the field\'s type (e.g. `proc.pid = abc`)', fix: 'compare the field with a value of its type' },
  COND_BAD_OPERATOR_FOR_FIELD: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'an operator the field\'s type does not support', fix: 'use an operator the field\'s type supports' },
  COND_BAD_TRANSFORMER: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'a transformer applied to a field type it does not support', fix: 'apply the transformer to a field of a type it supports' },
  COND_UNREPRESENTABLE_VALUE: { level: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', meaning: 'a value no condition text can carry (a NUL character ends libsinsp\'s C string)', fix: 'remove the NUL character from the value' },
  OUTPUT_UNKNOWN_FIELD: { level: 'error', falco: 'LOAD_ERR_COMPILE_OUTPUT', meaning: 'the output refers to a field the rule\'s source does not have', fix: 'use a field of the rule\'s source after %' },
  // warnings (Falco's codes)
  LOAD_NO_EVTTYPE: { level: 'warning', falco: 'LOAD_NO_EVTTYPE', meaning: 'a syscall rule with no evt.type restriction (a significant performance penalty)', fix: 'restrict the condition to the event types it is about (evt.type in (...))' },
  LOAD_UNKNOWN_SOURCE: { level: 'warning', falco: 'LOAD_UNKNOWN_SOURCE', meaning: 'a rule for a source this tool has no field catalogue for: fields are not checked', fix: 'check the source name; rules for other plugins are loaded unchecked' },
  LOAD_UNKNOWN_FILTER: { level: 'warning', falco: 'LOAD_UNKNOWN_FILTER', meaning: 'a rule with skip-if-unknown-filter uses an unknown field: it is skipped', fix: 'load the plugin that provides the field, or correct its name' },
  LOAD_UNKNOWN_ITEM: { level: 'warning', falco: 'LOAD_UNKNOWN_ITEM', meaning: 'an item that is not a rule, macro, list or version requirement', fix: 'remove the item, or correct its key' },
  LOAD_UNKNOWN_KEY: { level: 'warning', falco: 'LOAD_UNKNOWN_KEY', meaning: 'a key Falco ignores (often a misspelling)', fix: 'remove the key, or correct its spelling' },
  LOAD_DEPRECATED_ITEM: { level: 'warning', falco: 'LOAD_DEPRECATED_ITEM', meaning: 'a deprecated construct (standalone `enabled`, `append`, `evt.dir`, `%container.info` and others)', fix: 'use the replacement the message names (override, ...)' },
  LOAD_APPEND_NO_VALUES: { level: 'warning', falco: 'LOAD_APPEND_NO_VALUES', meaning: 'an appended exception without values', fix: 'give the appended exception its values' },
  LOAD_EXCEPTION_NAME_NOT_UNIQUE: { level: 'warning', falco: 'LOAD_EXCEPTION_NAME_NOT_UNIQUE', meaning: 'two exceptions of a rule share a name', fix: 'give each exception its own name' },
  LOAD_INVALID_MACRO_NAME: { level: 'warning', falco: 'LOAD_INVALID_MACRO_NAME', meaning: 'a macro name that is not an identifier', fix: 'use letters, digits and \'_\', starting with a letter or \'_\'' },
  LOAD_INVALID_LIST_NAME: { level: 'warning', falco: 'LOAD_INVALID_LIST_NAME', meaning: 'a list name that cannot be written bare in a condition', fix: 'use letters, digits, \'_\', \'.\' or \'-\'' },
  LOAD_UNSAFE_NA_CHECK: { level: 'warning', falco: 'LOAD_UNSAFE_NA_CHECK', meaning: 'a k8s audit field compared with <NA>', fix: 'test the field with exists instead' },
  LOAD_UNUSED_MACRO: { level: 'warning', falco: 'LOAD_UNUSED_MACRO', meaning: 'a macro no rule or macro refers to (given only when the files load with no error, as Falco gives it)', fix: 'use the macro in a rule, or remove it' },
  LOAD_UNUSED_LIST: { level: 'warning', falco: 'LOAD_UNUSED_LIST', meaning: 'a list no rule, macro or list refers to (Falco counts a list as used wherever its name stands between blanks, parentheses, commas or `=` in a condition, quoted or not)', fix: 'use the list in a condition, or remove it' },
  LOAD_SCHEMA: { level: 'warning', falco: 'LOAD_SCHEMA', meaning: 'the item does not follow Falco\'s rules-file schema (e.g. a lower-case priority): Falco loads it with a schema warning', fix: 'write the item as the schema asks (e.g. an upper-case priority)' },
});
