/** How serious a code is: `error` stops synth or loading, `warning` and `info` are reported. */
export type CodeLevel = 'error' | 'warning' | 'info';

/** One registered code: its level, what it means (one problem per code) and the general fix. */
export interface CodeEntry {
  readonly level: CodeLevel;
  readonly meaning: string;
  /** What to do, in general; a message may give a more precise fix for the case at hand. */
  readonly fix: string;
}

/** The load-result category Falco 0.44.1 gives the same problem (`falco -V` prints it). */
export type FalcoLoadCategory =
  | 'LOAD_ERR_FILE_READ' | 'LOAD_ERR_YAML_PARSE' | 'LOAD_ERR_YAML_VALIDATE' | 'LOAD_ERR_VALIDATE'
  | 'LOAD_ERR_COMPILE_CONDITION' | 'LOAD_ERR_COMPILE_OUTPUT'
  | 'LOAD_NO_EVTTYPE' | 'LOAD_UNKNOWN_SOURCE' | 'LOAD_UNKNOWN_FILTER' | 'LOAD_UNKNOWN_ITEM' | 'LOAD_UNKNOWN_KEY'
  | 'LOAD_DEPRECATED_ITEM' | 'LOAD_APPEND_NO_VALUES' | 'LOAD_EXCEPTION_NAME_NOT_UNIQUE' | 'LOAD_INVALID_MACRO_NAME'
  | 'LOAD_INVALID_LIST_NAME' | 'LOAD_UNSAFE_NA_CHECK' | 'LOAD_SCHEMA' | 'LOAD_UNUSED_MACRO' | 'LOAD_UNUSED_LIST';

/** A code of the Falco rule language, with the category Falco reports for it. */
export interface RuleLanguageEntry extends CodeEntry {
  readonly falco: FalcoLoadCategory;
}

/** Declares a group of codes, keeping their literal names as the type's keys. */
export function defineCodes<T extends Record<string, CodeEntry>>(codes: T): T {
  return codes;
}
