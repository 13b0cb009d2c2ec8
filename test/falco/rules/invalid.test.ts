import { Diagnostic, loadRuleFiles } from '../../../lib/falco';

/** A rule whose condition starts at line 3, column 14. */
const rule = (condition: string, extra = '') => `- rule: R
  desc: d
  condition: ${condition}
  output: "o %proc.name"
  priority: WARNING
${extra}`;

const LISTS = '- list: shell_binaries\n  items: [bash, sh]\n- macro: spawned_process\n  condition: evt.type = execve\n';

interface Case {
  readonly name: string;
  readonly yaml: string;
  readonly code: string;
  readonly line: number;
  readonly col: number;
  readonly message: RegExp;
}

const CASES: Case[] = [
  // YAML and file shape
  { name: 'YAML syntax error', yaml: '- rule: [a\n', code: 'RULES_YAML_SYNTAX', line: 2, col: 1, message: /flow sequence|Unexpected|end/i },
  { name: 'duplicate key in a mapping', yaml: '- list: a\n  items: [x]\n  items: [y]\n', code: 'RULES_YAML_SYNTAX', line: 3, col: 3, message: /Map keys must be unique/ },
  { name: 'document is a mapping, not a list', yaml: 'rule: a\ndesc: b\n', code: 'RULES_NOT_A_LIST', line: 1, col: 1, message: /not yaml array of objects/ },
  { name: 'document is a scalar', yaml: 'hello\n', code: 'RULES_NOT_A_LIST', line: 1, col: 1, message: /Rules content is not yaml/ },
  { name: 'item is not a mapping', yaml: '- just a string\n', code: 'RULES_ITEM_NOT_A_MAP', line: 1, col: 3, message: /Each element should be a yaml associative array/ },
  // keys
  { name: 'misspelt condition key', yaml: rule('x').replace('condition:', 'condtion:'), code: 'RULES_MISSING_KEY', line: 1, col: 3, message: /Item has no mapping for key 'condition' \(is 'condtion' a misspelling/ },
  { name: 'missing output', yaml: '- rule: R\n  desc: d\n  condition: evt.type = open\n  priority: INFO\n', code: 'RULES_MISSING_KEY', line: 1, col: 3, message: /no mapping for key 'output'/ },
  { name: 'list without items', yaml: '- list: l\n', code: 'RULES_MISSING_KEY', line: 1, col: 3, message: /no mapping for key 'items'/ },
  // falco -V: "Rule has been re-defined with a different source" when the redefinition leaves source out (syscall).
  { name: 'rule of another source redefined without source', yaml: `${rule('evt.type = open', '  source: nosuchsource\n')}${rule('evt.type = open')}`, code: 'RULES_SOURCE_MISMATCH', line: 7, col: 3, message: /re-defined with a different source \('nosuchsource', now 'syscall'\)/ },
  // falco -V: "Item has no mapping for key 'enabled'" (LOAD_ERR_YAML_VALIDATE), also when the rule exists.
  { name: 'rule item with its name only', yaml: `${rule('evt.type = open')}- rule: R\n`, code: 'RULES_MISSING_KEY', line: 6, col: 3, message: /no mapping for key 'enabled'/ },
  { name: 'macro without condition', yaml: '- macro: m\n', code: 'RULES_MISSING_KEY', line: 1, col: 3, message: /no mapping for key 'condition'/ },
  { name: 'empty condition', yaml: rule(''), code: 'RULES_EMPTY_VALUE', line: 3, col: 3, message: /Mapping for key 'condition' is empty/ },
  { name: 'condition is a sequence', yaml: rule('[a, b]'), code: 'RULES_WRONG_TYPE', line: 3, col: 14, message: /Value is not a scalar value/ },
  { name: 'enabled is not a boolean', yaml: rule('evt.type = open', '  enabled: maybe\n'), code: 'RULES_WRONG_TYPE', line: 6, col: 12, message: /'enabled' must be true or false/ },
  { name: 'list items are not a sequence', yaml: '- list: l\n  items: bash\n', code: 'RULES_WRONG_TYPE', line: 2, col: 10, message: /Value is not a sequence/ },
  { name: 'a tag is not a scalar', yaml: rule('evt.type = open', '  tags: [{a: b}]\n'), code: 'RULES_WRONG_TYPE', line: 6, col: 10, message: /sequence value is not scalar/ },
  { name: 'bad priority', yaml: rule('evt.type = open').replace('WARNING', 'SEVERE'), code: 'RULES_BAD_PRIORITY', line: 5, col: 13, message: /Invalid priority 'SEVERE'/ },
  // versions
  { name: 'unparsable engine version', yaml: '- required_engine_version: abc\n', code: 'RULES_BAD_ENGINE_VERSION', line: 1, col: 28, message: /Unable to parse engine version 'abc'/ },
  { name: 'engine version newer than supported', yaml: '- required_engine_version: 0.99.0\n', code: 'RULES_UNSUPPORTED_ENGINE_VERSION', line: 1, col: 28, message: /Rules require engine version 0.99.0, but engine version is 0.62.0/ },
  { name: 'invalid plugin version', yaml: '- required_plugin_versions:\n  - name: k8saudit\n    version: latest\n', code: 'RULES_BAD_PLUGIN_VERSION', line: 1, col: 3, message: /Invalid required version 'latest' for plugin 'k8saudit'/ },
  { name: 'plugin listed twice among alternatives', yaml: '- required_plugin_versions:\n  - name: a\n    version: 1.0.0\n    alternatives:\n    - name: a\n      version: 2.0.0\n', code: 'RULES_BAD_PLUGIN_VERSION', line: 1, col: 3, message: /multiple alternative version requirements for plugin 'a'/ },
  // override / append
  { name: 'override with append: true', yaml: `${LISTS}- list: shell_binaries\n  items: [zsh]\n  append: true\n  override:\n    items: append\n`, code: 'RULES_OVERRIDE_WITH_APPEND', line: 9, col: 5, message: /'override' and 'append: true' cannot be used together/ },
  { name: 'invalid override mode', yaml: `${LISTS}- macro: spawned_process\n  condition: and proc.name = x\n  override:\n    condition: prepend\n`, code: 'RULES_INVALID_OVERRIDE_MODE', line: 8, col: 16, message: /Invalid override operation for key 'condition': 'prepend'. Allowed values are: append replace/ },
  { name: 'append to a key that can only be replaced', yaml: `${rule('evt.type = open')}- rule: R\n  priority: INFO\n  override:\n    priority: append\n`, code: 'RULES_OVERRIDE_NOT_ALLOWED', line: 9, col: 5, message: /Key 'priority' cannot be appended to, use 'replace' instead/ },
  { name: 'override names a key the item lacks', yaml: `${rule('evt.type = open')}- rule: R\n  output: more\n  override:\n    condition: append\n`, code: 'RULES_OVERRIDE_KEY_MISSING', line: 6, col: 3, message: /An append override for 'condition' was specified but 'condition' is not defined/ },
  { name: 'key without an override entry', yaml: `${rule('evt.type = open')}- rule: R\n  condition: and proc.name = x\n  output: more\n  override:\n    condition: append\n`, code: 'RULES_OVERRIDE_KEY_UNEXPECTED', line: 8, col: 11, message: /Unexpected key 'output': no corresponding entry under 'override' is defined/ },
  { name: 'dangling list append', yaml: '- list: nope\n  items: [a]\n  override:\n    items: append\n', code: 'RULES_NO_PREVIOUS_LIST', line: 1, col: 3, message: /List uses 'append' or 'override.items: append' but no list by that name already exists/ },
  { name: 'dangling legacy macro append', yaml: '- macro: nope\n  condition: and a\n  append: true\n', code: 'RULES_NO_PREVIOUS_MACRO', line: 1, col: 3, message: /Macro uses 'append'.* but no macro by that name already exists/ },
  { name: 'dangling rule append', yaml: '- rule: nope\n  condition: and proc.name = a\n  override:\n    condition: append\n', code: 'RULES_NO_PREVIOUS_RULE', line: 1, col: 3, message: /Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists/ },
  { name: 'dangling rule replace', yaml: '- rule: nope\n  enabled: false\n  override:\n    enabled: replace\n', code: 'RULES_NO_PREVIOUS_RULE', line: 1, col: 3, message: /'override.<key>: replace' to a rule was requested but no rule by that name already exists/ },
  { name: 'enabled-only item for a missing rule', yaml: '- rule: nope\n  enabled: false\n', code: 'RULES_NO_PREVIOUS_RULE', line: 1, col: 3, message: /Rule has 'enabled' key but no rule by that name already exists/ },
  { name: 'legacy append with nothing to append', yaml: `${rule('evt.type = open')}- rule: R\n  append: true\n`, code: 'RULES_NOTHING_TO_UPDATE', line: 6, col: 3, message: /Appended rule must have exceptions or condition property/ },
  { name: 'rule re-defined with another source', yaml: `${rule('evt.type = open')}- rule: R\n  source: k8s_audit\n  condition: and ka.verb = get\n  override:\n    condition: append\n`, code: 'RULES_SOURCE_MISMATCH', line: 6, col: 3, message: /re-defined with a different source/ },
  // exceptions
  { name: 'exception fields and comps of different lengths', yaml: rule('evt.type = open', '  exceptions:\n  - name: e\n    fields: [proc.name, fd.name]\n    comps: [=]\n    values: [[a, b]]\n'), code: 'RULES_EXCEPTION_MISMATCH', line: 7, col: 5, message: /Fields and comps lists must have equal length/ },
  { name: 'exception values not lining up with fields', yaml: rule('evt.type = open', '  exceptions:\n  - name: e\n    fields: [proc.name, fd.name]\n    values: [[a]]\n'), code: 'RULES_EXCEPTION_MISMATCH', line: 7, col: 5, message: /Fields and values lists must have equal length/ },
  { name: 'exception comparison operator unknown', yaml: rule('evt.type = open', '  exceptions:\n  - name: e\n    fields: [proc.name]\n    comps: [like]\n    values: [[a]]\n'), code: 'RULES_EXCEPTION_BAD_COMP', line: 7, col: 5, message: /'like' is not a supported comparison operator/ },
  { name: 'single-field exception with a non-list comp', yaml: rule('evt.type = open', '  exceptions:\n  - name: e\n    fields: proc.name\n    comps: =\n    values: [a]\n'), code: 'RULES_EXCEPTION_BAD_COMP', line: 7, col: 5, message: /When fields is a single value, comps must be one of \(in, pmatch, intersects\)/ },
  { name: 'exception on an unknown field', yaml: rule('evt.type = open', '  exceptions:\n  - name: e\n    fields: [proc.nmae]\n    values: [[a]]\n'), code: 'RULES_EXCEPTION_UNKNOWN_FIELD', line: 7, col: 5, message: /'proc.nmae' is not a supported filter field/ },
  { name: 'exception without fields', yaml: rule('evt.type = open', '  exceptions:\n  - name: e\n    values: [[a]]\n'), code: 'RULES_MISSING_KEY', line: 7, col: 5, message: /no mapping for key 'fields'/ },
  { name: 'exception is not a mapping', yaml: rule('evt.type = open', '  exceptions:\n  - just-a-name\n'), code: 'RULES_EXCEPTION_INVALID', line: 7, col: 5, message: /Rule exception must be a mapping/ },
  { name: 'appending fields to an existing exception', yaml: `${rule('evt.type = open', '  exceptions:\n  - name: e\n    fields: [proc.name]\n    values: [[a]]\n')}- rule: R\n  exceptions:\n  - name: e\n    fields: [fd.name]\n    values: [[b]]\n  override:\n    exceptions: append\n`, code: 'RULES_EXCEPTION_MISMATCH', line: 12, col: 5, message: /Can not append exception fields to existing exception, only values/ },
  // macros and lists
  { name: 'undefined macro', yaml: rule('spawned_procss and evt.type = open'), code: 'COND_UNDEFINED_MACRO', line: 3, col: 14, message: /Undefined macro 'spawned_procss' used in filter\./ },
  { name: 'macro using a macro defined after it', yaml: '- macro: a\n  condition: b and proc.name = x\n- macro: b\n  condition: evt.type = open\n', code: 'COND_UNDEFINED_MACRO', line: 2, col: 14, message: /Undefined macro 'b' used in filter\. \(macro 'b' is defined later, at test.yaml:3:3/ },
  { name: 'macros in a loop', yaml: '- macro: a\n  condition: evt.type = open\n- macro: b\n  condition: a\n- macro: a\n  condition: b\n- rule: R\n  desc: d\n  condition: a\n  output: o\n  priority: INFO\n', code: 'COND_MACRO_LOOP', line: 5, col: 3, message: /Macros refer to each other in a loop: a -> b -> a/ },
  { name: 'undefined list', yaml: rule('evt.type = execve and proc.name in shel_binaries'), code: 'COND_UNDEFINED_LIST', line: 3, col: 49, message: /Undefined list 'shel_binaries' used in filter/ },
  // conditions
  { name: 'unknown operator', yaml: rule('evt.type = open and proc.name like bash'), code: 'COND_UNKNOWN_OPERATOR', line: 3, col: 44, message: /expected a valid check operator: one of 'exists'/ },
  { name: 'unbalanced parentheses', yaml: rule('evt.type = open and (proc.name = a or proc.name = b'), code: 'COND_UNBALANCED_PARENS', line: 3, col: 65, message: /expected a '\)' token/ },
  { name: 'extra closing parenthesis', yaml: rule('"evt.type = open)"'), code: 'COND_UNBALANCED_PARENS', line: 3, col: 30, message: /unexpected token after 'open', expecting 'or', 'and'/ },
  { name: 'unclosed quote', yaml: rule("'evt.type = open and proc.name = \"bash'"), code: 'COND_UNCLOSED_QUOTE', line: 3, col: 47, message: /unclosed quoted string/ },
  { name: 'unsupported escape', yaml: rule("'evt.type = open and proc.name = \"a\\qb\"'"), code: 'COND_BAD_ESCAPE', line: 3, col: 49, message: /unsupported string escape sequence: \\q/ },
  { name: 'unknown field', yaml: rule('evt.type = open and proc.nmae = bash'), code: 'COND_UNKNOWN_FIELD', line: 3, col: 34, message: /filter_check called with nonexistent field proc.nmae.*did you mean 'proc.name'/ },
  { name: 'field of another source', yaml: rule('ka.verb = get').replace('  priority: WARNING', '  priority: WARNING\n  source: syscall'), code: 'COND_UNKNOWN_FIELD', line: 3, col: 14, message: /nonexistent field ka.verb: the syscall source/ },
  { name: 'misspelt event type', yaml: rule('evt.type in (open, exceve)'), code: 'COND_UNKNOWN_EVENT_TYPE', line: 3, col: 33, message: /unknown event type exceve \(did you mean 'execve'/ },
  { name: 'number field compared with a word', yaml: rule('evt.type = open and proc.pid = abc'), code: 'COND_BAD_VALUE', line: 3, col: 45, message: /'abc' is not a valid number for field proc.pid/ },
  { name: 'boolean field compared with a word', yaml: rule('evt.type = open and container.privileged = yes'), code: 'COND_BAD_VALUE', line: 3, col: 57, message: /'yes' is not a valid boolean/ },
  { name: 'IP field compared with a bad address', yaml: rule('evt.type = connect and fd.sip = 300.1.1.1'), code: 'COND_BAD_VALUE', line: 3, col: 46, message: /'300.1.1.1' is not a valid IP address/ },
  { name: 'bcontains with non-hex bytes', yaml: rule('evt.type = write and evt.buffer bcontains ELF'), code: 'COND_BAD_VALUE', line: 3, col: 56, message: /'bcontains' expects hexadecimal bytes/ },
  { name: 'argument on a field that takes none', yaml: rule('evt.type = open and proc.name[1] = bash'), code: 'COND_FIELD_ARGUMENT', line: 3, col: 34, message: /field 'proc.name' does not take an argument/ },
  { name: 'field that needs an argument', yaml: rule('evt.type = open and thread.cgroup = x'), code: 'COND_FIELD_ARGUMENT', line: 3, col: 34, message: /field 'thread.cgroup' requires an argument/ },
  { name: 'string transformer on a number field', yaml: rule('evt.type = open and tolower(proc.pid) = 1'), code: 'COND_BAD_TRANSFORMER', line: 3, col: 34, message: /type 'INT64' of field 'proc.pid' is not supported by 'tolower' transformer/ },
  { name: 'pmatch on a number field', yaml: rule('evt.type = open and proc.pid pmatch (1)'), code: 'COND_BAD_OPERATOR_FOR_FIELD', line: 3, col: 34, message: /'pmatch' operator not supported for numeric filters \(field proc\.pid is INT64\)/ },
  { name: 'unknown field in output', yaml: rule('evt.type = open').replace('"o %proc.name"', '"o %proc.nmae"'), code: 'OUTPUT_UNKNOWN_FIELD', line: 4, col: 11, message: /invalid formatting token %proc.nmae/ }, // the output's quote, as falco -V (conformance/falco-output-positions)
];

function firstError(yaml: string): Diagnostic | undefined {
  return loadRuleFiles([{ name: 'test.yaml', content: yaml }]).diagnostics.find((d) => d.severity === 'error');
}

describe('invalid rules files: each error has a stable code, the file, line and column, and a Falco-like message', () => {
  test('there are at least 40 distinct invalid inputs and codes are varied', () => {
    expect(new Set(CASES.map((c) => c.yaml)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.code)).size).toBeGreaterThanOrEqual(35);
  });

  test.each(CASES)('$name', (c) => {
    const error = firstError(c.yaml);
    expect(error).toBeDefined();
    expect({ code: error?.code, file: error?.file, line: error?.line, col: error?.col }).toEqual({ code: c.code, file: 'test.yaml', line: c.line, col: c.col });
    expect(error?.message).toMatch(c.message);
  });
});
