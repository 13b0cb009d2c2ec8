// Rules files that load with one warning each, shared by the unit test (test/falco/rules/load-warnings.test.ts) and
// the conformance test that has real Falco 0.44.1 load them (test/conformance/falco-load-warning-codes.test.ts).

const SHELL = '- rule: Shell\n  desc: d\n  condition: evt.type = execve and proc.name = bash\n  output: "shell %proc.name"\n  priority: WARNING\n';
const CI_EXCEPTION = '    - name: ci\n      fields: [proc.pname]\n      values: [[runner]]\n';

export interface WarningFixture {
  readonly code: string;
  readonly content: string;
  /** Where our loader reports it (line:col of the file) and about which item. */
  readonly at: string;
  readonly item?: { readonly kind: 'rule' | 'macro' | 'list'; readonly name: string };
  /** The item real Falco names innermost (its load result's context). */
  readonly falcoItem?: string;
}

export const WARNING_FIXTURES: readonly WarningFixture[] = [
  { code: 'LOAD_UNKNOWN_ITEM', content: `${SHELL}- plugin: nothing\n`, at: '6:3' },
  {
    code: 'LOAD_APPEND_NO_VALUES',
    content: `${SHELL}  exceptions:\n${CI_EXCEPTION}- rule: Shell\n  exceptions:\n    - name: ci\n  override:\n    exceptions: append\n`,
    at: '12:7',
    item: { kind: 'rule', name: 'Shell' },
    falcoItem: 'ci',
  },
  {
    code: 'LOAD_EXCEPTION_NAME_NOT_UNIQUE',
    content: `${SHELL}  exceptions:\n${CI_EXCEPTION}${CI_EXCEPTION}`,
    at: '10:7',
    item: { kind: 'rule', name: 'Shell' },
    falcoItem: 'ci',
  },
  {
    code: 'LOAD_INVALID_MACRO_NAME',
    content: `- macro: 1bad_macro\n  condition: evt.type = execve\n${SHELL}`,
    at: '1:10',
    item: { kind: 'macro', name: '1bad_macro' },
    falcoItem: '1bad_macro',
  },
  {
    code: 'LOAD_INVALID_LIST_NAME',
    content: `- list: "bad list"\n  items: [bash]\n${SHELL}`,
    at: '1:9',
    item: { kind: 'list', name: 'bad list' },
    falcoItem: 'bad list',
  },
];
