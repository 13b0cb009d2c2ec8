import fc from 'fast-check';
import { stringify } from 'yaml';

/**
 * A fast-check generator of Falco rules files for the differential loading test: lists, macros, rules,
 * exceptions, overrides, legacy appends, standalone `enabled` items and version requirements, mostly valid
 * and sometimes broken (misspelt fields, bad values, dangling references, syntax errors, wrong types,
 * missing keys, bad versions). Names come from small pools so that items refer to each other.
 */

const LIST_NAMES = ['shells', 'paths', 'nets'] as const;
const MACRO_NAMES = ['is_open', 'in_tmp', 'is_shell'] as const;
const RULE_NAMES = ['Rule A', 'Rule B', 'Rule C'] as const;

const LIST_ITEMS = ['bash', 'sh', 'zsh', '/tmp', '/etc/passwd', '"quoted item"', '10.0.0.0/8', '192.168.1.1', 'shells', 'paths', 'a b', '1234', "'x y'"];

type Item = Record<string, unknown>;

const evtType = fc.constantFrom('evt.type = open', 'evt.type in (open, openat)', 'evt.type = execve', 'evt.type != close', 'evt.type in (execve, execveat)');

const stringField = fc.constantFrom('proc.name', 'fd.name', 'proc.pname', 'container.id', 'user.name', 'proc.cmdline');
const stringOp = fc.constantFrom('=', '!=', 'contains', 'startswith', 'endswith', 'glob', 'icontains', 'regex', 'bcontains', 'iglob');
const stringValue = fc.constantFrom('bash', '/tmp', '"a b"', 'x', '"(a+)+"', '"/etc/*"', 'host', "'single'", '"x(y"');
const listRef = fc.constantFrom(...LIST_NAMES);

const validAtom: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: evtType },
  { weight: 4, arbitrary: fc.tuple(stringField, stringOp, stringValue).map(([f, o, v]) => `${f} ${o} ${v}`) },
  { weight: 3, arbitrary: fc.tuple(stringField, listRef).map(([f, l]) => `${f} in (${l})`) },
  { weight: 1, arbitrary: fc.tuple(stringField, listRef).map(([f, l]) => `${f} pmatch (${l})`) },
  { weight: 1, arbitrary: fc.tuple(stringField, fc.constantFrom('bash, sh', '"a", b', 'shells, x', 'paths')).map(([f, v]) => `${f} in (${v})`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('proc.pid = 1', 'proc.pid > 100', 'fd.sport = 443', 'fd.sip = 10.0.0.1', 'fd.snet = 10.0.0.0/8',
      'evt.is_io = true', 'proc.aname[2] = sshd', 'proc.name exists', 'tolower(proc.name) = bash', 'proc.name = val(proc.pname)',
      'proc.args contains -c', 'evt.arg.flags contains O_RDONLY', 'fd.name intersects (paths)', 'proc.name in (shells, paths)',
      'proc.name startswith oneof (shells)', 'fd.sport in (80, 443)', 'fd.sip in (nets)'),
  },
  { weight: 3, arbitrary: fc.constantFrom(...MACRO_NAMES) },
);

/** Mistakes users make, one kind each. */
const brokenAtom: fc.Arbitrary<string> = fc.constantFrom(
  'proc.nmae = bash', 'toupper(proc.nmae) = X', 'evt.type = notasyscall', 'evt.type in (execve, bogus_evt)', 'proc.pid = abc',
  'fd.sport = abc', 'fd.sip = 10.0.0.300', 'evt.is_io = 1', 'proc.aname[x] = sshd', 'proc.name exists bash',
  'proc.name startswith (a, b)', 'proc.name ===', 'proc.name = bash)', '(proc.name = bash', 'proc.name = "x\\qy"', 'proc.name = "unterminated',
  'proc.name in (undefined_list)', 'proc.name in shells', 'proc.name in undefined_list', 'undefined_macro', 'is_opne', 'proc.name in ()',
  'fd.name pmatch (undefined_list)', 'proc.name regex "(a"',
);

const atom: fc.Arbitrary<string> = fc.oneof({ weight: 30, arbitrary: validAtom }, { weight: 1, arbitrary: brokenAtom });

/** A condition: atoms joined by and/or, some negated or bracketed. */
const condition: fc.Arbitrary<string> = fc.array(
  fc.tuple(atom, fc.constantFrom('', 'not '), fc.boolean()).map(([a, neg, br]) => `${neg}${br ? `(${a})` : a}`),
  { minLength: 1, maxLength: 4 },
).chain((atoms) => fc.array(fc.constantFrom(' and ', ' and ', ' or '), { minLength: atoms.length - 1, maxLength: atoms.length - 1 })
  .map((ops) => atoms.map((a, i) => (i === 0 ? a : `${ops[i - 1]}${a}`)).join('')));

const output = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('shell %proc.name', 'file %fd.name by %proc.cmdline', 'plain text', '%evt.type %container.id', 'x %tolower(proc.name)') },
  { weight: 1, arbitrary: fc.constantFrom('bad %proc.nmae', 'user=%user.name %', 'x %proc.aname[x]') },
);
const priority = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('WARNING', 'CRITICAL', 'NOTICE', 'INFO', 'INFORMATIONAL', 'DEBUG', 'EMERGENCY', 'ERROR', 'ALERT') },
  { weight: 2, arbitrary: fc.constantFrom('Notice', 'informational', 'warning') },
  { weight: 1, arbitrary: fc.constantFrom('SEVERE', '') },
);

const validException: fc.Arbitrary<Item> = fc.oneof(
  fc.record({
    name: fc.constantFrom('proc_exc', 'file_exc'),
    fields: fc.constant(['proc.name', 'fd.name']),
    comps: fc.constantFrom(['=', 'startswith'], ['=', '='], ['in', 'pmatch']),
    values: fc.constantFrom([['bash', '/tmp']], [['bash', '/tmp'], ['sh', '/etc']], [], [[['bash', 'sh'], ['/tmp']]]),
  }, { requiredKeys: ['name', 'fields'] }).map((e) => ((e.comps as string[] | undefined)?.[0] === 'in' && e.values !== undefined
    ? { ...e, values: [[['bash', 'sh'], ['/tmp']]] } : e)),
  fc.record({
    name: fc.constantFrom('single_exc'),
    fields: fc.constantFrom('proc.name', 'fd.name'),
    comps: fc.constantFrom('in', 'pmatch'),
    values: fc.constantFrom(['bash', 'sh'], [], ['shells']),
  }, { requiredKeys: ['name', 'fields'] }),
);
const brokenException: fc.Arbitrary<Item> = fc.constantFrom(
  { name: 'e', fields: ['proc.nmae'], comps: ['='], values: [['bash']] },
  { name: 'e', fields: ['proc.name', 'fd.name'], comps: ['='], values: [['bash', '/tmp']] },
  { name: 'e', fields: ['proc.name'], comps: ['like'], values: [['bash']] },
  { name: 'e', fields: ['proc.name', 'fd.name'], values: [['bash']] },
  { name: 'e', fields: 'proc.name', comps: 'in', values: 'bash' },
  { fields: ['proc.name'], values: [['bash']] },
);
const exception: fc.Arbitrary<Item> = fc.oneof({ weight: 15, arbitrary: validException }, { weight: 1, arbitrary: brokenException });

const list: fc.Arbitrary<Item> = fc.tuple(
  fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...LIST_NAMES) }, { weight: 1, arbitrary: fc.constantFrom('bad name', '1list') }),
  fc.array(fc.constantFrom(...LIST_ITEMS), { maxLength: 4 }),
  fc.oneof({ weight: 20, arbitrary: fc.constantFrom('none', 'none', 'none', 'append', 'override-append', 'override-replace') }, { weight: 1, arbitrary: fc.constant('items-not-a-list') }),
).map(([name, items, mode]) => {
  if (mode === 'items-not-a-list') return { list: name, items: 'bash' };
  return {
    list: name,
    items,
    ...(mode === 'append' ? { append: true } : {}),
    ...(mode.startsWith('override') ? { override: { items: mode === 'override-append' ? 'append' : 'replace' } } : {}),
  };
});

const macro: fc.Arbitrary<Item> = fc.tuple(
  fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...MACRO_NAMES) }, { weight: 1, arbitrary: fc.constant('bad-name') }),
  condition,
  fc.oneof({ weight: 20, arbitrary: fc.constantFrom('none', 'none', 'none', 'append', 'override-append', 'override-replace') }, { weight: 1, arbitrary: fc.constant('no-condition') }),
).map(([name, cond, mode]) => {
  if (mode === 'no-condition') return { macro: name };
  const appended = mode === 'append' || mode === 'override-append';
  return {
    macro: name,
    condition: appended ? `or ${cond}` : cond,
    ...(mode === 'append' ? { append: true } : {}),
    ...(mode.startsWith('override') ? { override: { condition: mode === 'override-append' ? 'append' : 'replace' } } : {}),
  };
});

const fullRule: fc.Arbitrary<Item> = fc.record({
  rule: fc.constantFrom(...RULE_NAMES),
  desc: fc.oneof({ weight: 20, arbitrary: fc.constant('a rule') }, { weight: 1, arbitrary: fc.constant('') }),
  condition,
  output,
  priority,
  enabled: fc.boolean(),
  tags: fc.oneof({ weight: 20, arbitrary: fc.constantFrom(['container'], ['a', 'b']) }, { weight: 1, arbitrary: fc.constant('not-a-list') }),
  // No k8s_audit: this Falco build has no k8saudit plugin, so such rules are judged in falco-examples-rules.test.ts.
  source: fc.oneof({ weight: 20, arbitrary: fc.constant('syscall') }, { weight: 1, arbitrary: fc.constant('nosuchsource') }),
  exceptions: fc.array(exception, { minLength: 1, maxLength: 2 }),
  warn_evttypes: fc.boolean(),
  skip_if_unknown_filter: fc.boolean(),
}, { requiredKeys: ['rule', 'desc', 'condition', 'output', 'priority'] })
  .chain((r) => fc.oneof({ weight: 40, arbitrary: fc.constant('keep') },
    { weight: 1, arbitrary: fc.constantFrom('drop-desc', 'drop-output', 'drop-priority', 'drop-condition', 'condition-list', 'misspelt-key') })
    .map((change) => {
      const copy: Item = { ...r };
      if (change.startsWith('drop-')) delete copy[change.slice(5)];
      if (change === 'condition-list') copy.condition = [copy.condition];
      if (change === 'misspelt-key') copy.priorty = copy.priority;
      return copy;
    }));

/** Changes to a rule defined earlier: override, legacy append, standalone enabled. */
const ruleChange: fc.Arbitrary<Item> = fc.tuple(
  fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...RULE_NAMES) }, { weight: 1, arbitrary: fc.constant('No Such Rule') }),
  fc.oneof(
    {
      weight: 20,
      arbitrary: fc.constantFrom('override-condition', 'override-output', 'override-priority', 'override-exceptions', 'override-enabled',
        'append', 'append-exceptions', 'enabled'),
    },
    { weight: 1, arbitrary: fc.constantFrom('override-desc-append', 'override-bad-mode', 'override-missing-key', 'enabled-and-append', 'override-and-append') },
  ),
  condition,
  exception,
).map(([name, kind, cond, exc]): Item => {
  switch (kind) {
    case 'override-condition': return { rule: name, condition: `and ${cond}`, override: { condition: 'append' } };
    case 'override-output': return { rule: name, output: 'replaced %proc.name', override: { output: 'replace' } };
    case 'override-priority': return { rule: name, priority: 'ERROR', override: { priority: 'replace' } };
    case 'override-exceptions': return { rule: name, exceptions: [exc], override: { exceptions: 'append' } };
    case 'override-enabled': return { rule: name, enabled: false, override: { enabled: 'replace' } };
    case 'override-desc-append': return { rule: name, desc: 'more', override: { desc: 'append' } };
    case 'override-bad-mode': return { rule: name, condition: 'and proc.name = x', override: { condition: 'prepend' } };
    case 'override-missing-key': return { rule: name, override: { condition: 'append' } };
    case 'append': return { rule: name, condition: `and ${cond}`, append: true };
    case 'append-exceptions': return { rule: name, exceptions: [exc], append: true };
    case 'enabled': return { rule: name, enabled: false };
    case 'enabled-and-append': return { rule: name, enabled: true, append: true };
    default: return { rule: name, condition: 'and proc.name = x', append: true, override: { condition: 'append' } };
  }
});

const requirement: fc.Arbitrary<Item> = fc.oneof(
  fc.constantFrom('0.10.0', '0.62.0', '0.63.0', 10, 62, 999, 'abc', '1.0').map((v) => ({ required_engine_version: v })),
  // Only the container plugin is loaded (as on the node): requirements on it, met or not, or malformed.
  fc.constantFrom(
    [{ name: 'container', version: '0.1.0' }],
    [{ name: 'container', version: '0.7.1' }],
    [{ name: 'container', version: '9.0.0' }],
    [{ name: 'container', version: 'abc' }],
    [{ name: 'container' }],
  ).map((v) => ({ required_plugin_versions: v })),
);

const oddItem: fc.Arbitrary<unknown> = fc.constantFrom({ foo: 'bar' }, 'just a string', { list: 'shells' }, { rule: 'Rule A' }, { macro: 'm', condition: 'proc.name = x', extra: 1 });

/** Generated items in the order a user writes them: requirements, lists, macros, rules, changes to rules. */
const KIND_ORDER = ['required_engine_version', 'required_plugin_versions', 'list', 'macro', 'rule'];
const kindRank = (i: unknown): number => {
  if (i === null || typeof i !== 'object') return KIND_ORDER.length + 1;
  const o = i as Item;
  const k = KIND_ORDER.findIndex((key) => key in o);
  if (k < 0) return KIND_ORDER.length + 1;
  return KIND_ORDER[k] === 'rule' && !('condition' in o && 'output' in o) ? KIND_ORDER.length : k;
};

const item: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 30, arbitrary: list },
  { weight: 40, arbitrary: macro },
  { weight: 60, arbitrary: fullRule },
  { weight: 25, arbitrary: ruleChange },
  { weight: 5, arbitrary: requirement },
  { weight: 2, arbitrary: oddItem },
);

/** Every list and macro name of the pools, defined plainly, so most references resolve. */
const BASE: readonly Item[] = [
  { list: 'shells', items: ['bash', 'sh'] },
  { list: 'paths', items: ['/tmp', '/etc'] },
  { list: 'nets', items: ['10.0.0.0/8'] },
  { macro: 'is_open', condition: 'evt.type in (open, openat)' },
  { macro: 'in_tmp', condition: 'fd.name startswith /tmp' },
  { macro: 'is_shell', condition: 'proc.name in (shells)' },
];

export interface GeneratedRulesFile {
  readonly items: readonly unknown[];
  /** The YAML text given to both loaders. */
  readonly text: string;
}

export function rulesFileText(items: readonly unknown[]): string {
  return stringify(items, { lineWidth: 0 });
}

const itemsFile = fc.tuple(fc.array(item, { minLength: 1, maxLength: 6 }), fc.constantFrom('base', 'base', 'base', 'none'), fc.boolean())
  .map(([generated, base, ordered]) => {
    const body = ordered ? [...generated].sort((a, b) => kindRank(a) - kindRank(b)) : generated;
    const items = base === 'base' ? [...BASE, ...body] : body;
    return { items, text: rulesFileText(items) };
  });

/** A rules file: a few items; now and then a document that is not a list of items at all. */
export const rulesFile: fc.Arbitrary<GeneratedRulesFile> = fc.oneof(
  { weight: 60, arbitrary: itemsFile },
  { weight: 1, arbitrary: fc.constantFrom('rule: not a list\n', '- rule: [unclosed\n', '- - nested\n').map((text) => ({ items: [], text })) },
);
