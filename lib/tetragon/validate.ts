// What Tetragon would reject (or silently misread) when a node loads a TracingPolicy, checked before it ships.
// Each limit cites where upstream states it (cilium/tetragon v1.7).
import type {
  ActionSelector, AnyHook, ArgSelector, HookKind, KProbeArg, KProbeSpec, LabelSelector, Selector, TracingPolicy,
} from './model';
import { HOOK_KINDS } from './model';
import { checkShape, POLICY_SHAPE } from './shape';
import {
  Action, ArgType, CAPABILITIES, ENFORCEMENT_ACTIONS, OVERRIDE_METHODS, POLICY_MODES, POLICY_OPTION_NAMES,
  TETRAGON_API_VERSION, TRACING_POLICY_KINDS,
} from './vocabulary';
import type { StackCode } from '../core/error-codes';

/** One problem in a policy: a stable code, the path inside the policy, what is wrong and what to do. */
export interface PolicyIssue {
  readonly code: StackCode;
  /** Path inside the policy document, e.g. `spec.kprobes[0].selectors[2].matchBinaries`. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

export interface PolicyValidationOptions {
  /**
   * Accept actions that stop or alter processes (Sigkill, Signal, Override, NotifyEnforcer, Set).
   * @default false: such actions are an error unless the caller opted in by name
   */
  readonly allowEnforcement?: boolean;
}

// docs/content/en/docs/concepts/tracing-policy/selectors.md "Limitations"; pkg/selectors/selectors.go MaxSelectors = 5.
export const MAX_SELECTORS_PER_HOOK = 5;
// pkg/selectors/kernel.go ParseMatchArgs: up to 5 matchArgs+matchData filters per selector (kernels >= 5.3).
export const MAX_ARG_FILTERS_PER_SELECTOR = 5;
// pkg/selectors/kernel.go writeMatchValues: maxMatchValues = 4 (MAX_MATCH_VALUES in bpf/process/types/basic.h),
// for numeric comparisons; string Equal/Prefix/Postfix and the map operators are stored in maps.
export const MAX_NUMERIC_VALUES_PER_FILTER = 4;
// pkg/selectors/selectors.go StringPrefixMaxLength = 256 (writePrefix rejects longer values).
export const MAX_PREFIX_LENGTH = 256;
// pkg/selectors/selectors.go StringPostfixMaxLength = 128; writePostfix rejects size >= 128, so 127 characters at most.
export const MAX_POSTFIX_LENGTH = 127;
// pkg/api/processapi/processapi.go BINARY_PATH_MAX_LEN = 256; ParseMatchBinary rejects In/NotIn values longer than 255.
export const MAX_BINARY_PATH_LENGTH = 255;
// pkg/selectors/kernel.go writeMatchSubString: substrings shorter than 100 characters, SubstringMapEntries = 100 per policy hook.
export const MAX_SUBSTRING_LENGTH = 99;
export const MAX_SUBSTRINGS = 100;
// selectors.md "Limitations": Max PID values per selector 4.
export const MAX_PID_VALUES = 4;
// selectors.md "Namespaces filter": up to 4 values per namespace filter; up to 10 namespace filters (kernels >= 5.3).
export const MAX_NAMESPACE_VALUES = 4;
export const MAX_NAMESPACE_FILTERS = 10;
// pkg/selectors/kernel.go ParseMatchActions: only 3 actions per selector.
export const MAX_ACTIONS_PER_SELECTOR = 3;
// pkg/sensors/tracing/tags.go: TpMinTagLen = 2 (TpMaxTags = 16 is in the CRD schema).
export const MIN_TAG_LENGTH = 2;
// types.go: "A short message of 256 characters max".
export const MAX_MESSAGE_LENGTH = 256;

const STRING_TYPES: readonly ArgType[] = [
  'fd', 'file', 'path', 'dentry', 'string', 'char_buf', 'linux_binprm', 'data_loc', 'net_device', 'sockaddr_un',
];
const SOCKET_TYPES: readonly ArgType[] = ['sock', 'skb', 'sockaddr', 'socket', 'sockaddr_un'];
const CAPABILITY_TYPES: readonly ArgType[] = ['kernel_cap_t', 'cap_inheritable', 'cap_permitted', 'cap_effective'];
const SOCKET_OPERATORS = ['SPort', 'NotSPort', 'DPort', 'NotDPort', 'Protocol', 'Family', 'State', 'SAddr', 'NotSAddr',
  'DAddr', 'NotDAddr', 'SPortPriv', 'NotSportPriv', 'DPortPriv', 'NotDPortPriv'];
const MAP_OPERATORS = ['InMap', 'NotInMap', 'InRange', 'NotInRange'];
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * Checks a whole policy: structure (fields, types, enums as in the CRD schema), then Tetragon's load-time rules.
 * Returns every issue, in document order; an empty list means the policy is valid.
 */
export function validateTracingPolicy(policy: unknown, options: PolicyValidationOptions = {}): PolicyIssue[] {
  const shapeIssues = checkShape(policy, POLICY_SHAPE, '');
  if (shapeIssues.length > 0) {
    return shapeIssues.map((i) => ({ code: 'DS-TETRA-010', path: i.path, message: i.message, fix: 'write the field as the TracingPolicy CRD (cilium.io/v1alpha1) defines it' }));
  }
  return new PolicyChecker(policy as TracingPolicy, options).run();
}

class PolicyChecker {
  private readonly issues: PolicyIssue[] = [];
  constructor(private readonly policy: TracingPolicy, private readonly options: PolicyValidationOptions) {}

  run(): PolicyIssue[] {
    this.checkHeader();
    const spec = this.policy.spec;
    const listNames = new Set((spec.lists ?? []).map((l) => l.name));
    const macros = new Set(Object.keys(spec.selectorsMacros ?? {}));
    for (const kind of HOOK_KINDS) {
      (spec[kind] ?? []).forEach((hook: AnyHook, i: number) => this.checkHook(kind, hook, `spec.${kind}[${i}]`, listNames, macros));
    }
    (spec.options ?? []).forEach((o, i) => this.checkOption(o.name, o.value, `spec.options[${i}]`));
    for (const key of ['podSelector', 'containerSelector', 'hostSelector', 'nodeSelector'] as const) {
      const selector = spec[key];
      if (selector) this.checkLabelSelector(selector, `spec.${key}`);
    }
    return this.issues;
  }

  private add(code: StackCode, path: string, message: string, fix: string): void {
    this.issues.push({ code, path, message, fix });
  }

  private checkHeader(): void {
    const { apiVersion, kind, metadata } = this.policy;
    if (apiVersion !== TETRAGON_API_VERSION) {
      this.add('DS-TETRA-011', 'apiVersion', `apiVersion '${apiVersion}' is not ${TETRAGON_API_VERSION}`, `set apiVersion: ${TETRAGON_API_VERSION}`);
    }
    if (!(TRACING_POLICY_KINDS as readonly string[]).includes(kind)) {
      this.add('DS-TETRA-011', 'kind', `kind '${kind}' is not a Tetragon policy`, `use one of ${TRACING_POLICY_KINDS.join(', ')}`);
    }
    if (!DNS_SUBDOMAIN.test(metadata.name)) {
      this.add('DS-TETRA-012', 'metadata.name', `'${metadata.name}' is not a valid Kubernetes object name`,
        'use lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit');
    }
    if (kind === 'TracingPolicy' && metadata.namespace !== undefined) {
      this.add('DS-TETRA-064', 'metadata.namespace', 'TracingPolicy is cluster-scoped and takes no namespace',
        'remove metadata.namespace, or use kind TracingPolicyNamespaced to limit the policy to one namespace');
    }
  }

  private checkHook(kind: HookKind, hook: AnyHook, path: string, listNames: Set<string>, macros: Set<string>): void {
    if (hook.message !== undefined && hook.message.length > MAX_MESSAGE_LENGTH) {
      this.add('DS-TETRA-020', `${path}.message`, `message has ${hook.message.length} characters, Tetragon keeps ${MAX_MESSAGE_LENGTH}`,
        `shorten the message to ${MAX_MESSAGE_LENGTH} characters`);
    }
    (hook.tags ?? []).forEach((tag, i) => {
      if (tag.length < MIN_TAG_LENGTH) {
        this.add('DS-TETRA-063', `${path}.tags[${i}]`, `tag '${tag}' is shorter than ${MIN_TAG_LENGTH} characters and makes Tetragon reject the policy`,
          `use tags of ${MIN_TAG_LENGTH} to 128 characters`);
      }
    });
    if ((kind === 'kprobes' || kind === 'fentries')) {
      const call = (hook as KProbeSpec).call;
      if (call.startsWith('list:') && !listNames.has(call.slice('list:'.length))) {
        this.add('DS-TETRA-021', `${path}.call`, `call '${call}' refers to a list that spec.lists does not define`,
          `add a list named '${call.slice('list:'.length)}' to spec.lists, or call a function by name`);
      }
    }
    const args = hook.args ?? [];
    const seen = new Set<number>();
    args.forEach((a, i) => {
      if (seen.has(a.index)) {
        this.add('DS-TETRA-022', `${path}.args[${i}].index`, `argument index ${a.index} is declared twice`, 'declare each argument index once');
      }
      seen.add(a.index);
    });
    const selectors = hook.selectors ?? [];
    if (selectors.length > MAX_SELECTORS_PER_HOOK) {
      this.add('DS-TETRA-030', `${path}.selectors`, `${selectors.length} selectors on one hook; Tetragon supports at most ${MAX_SELECTORS_PER_HOOK}`,
        `merge selectors or split the hook into several hooks of at most ${MAX_SELECTORS_PER_HOOK} selectors`);
    }
    const substrings = { count: 0 };
    selectors.forEach((s, i) => this.checkSelector(kind, hook, s, `${path}.selectors[${i}]`, macros, substrings));
  }

  private checkSelector(kind: HookKind, hook: AnyHook, s: Selector, path: string, macros: Set<string>, substrings: { count: number }): void {
    const args = hook.args ?? [];
    const filters = (s.matchArgs?.length ?? 0) + (s.matchData?.length ?? 0);
    if (filters > MAX_ARG_FILTERS_PER_SELECTOR) {
      this.add('DS-TETRA-031', `${path}.matchArgs`, `${filters} argument filters (matchArgs + matchData) in one selector; Tetragon supports at most ${MAX_ARG_FILTERS_PER_SELECTOR}`,
        'filter each argument index once, or move the extra conditions into another selector');
    }
    (s.macros ?? []).forEach((m, i) => {
      if (!macros.has(m)) {
        this.add('DS-TETRA-021', `${path}.macros[${i}]`, `macro '${m}' is not defined in spec.selectorsMacros`, `define '${m}' under spec.selectorsMacros or remove it`);
      }
    });
    (s.matchArgs ?? []).forEach((f, i) => {
      const at = `${path}.matchArgs[${i}]`;
      if (f.operator === 'CelExpr') return this.checkOperatorArgs(f, args, at);
      const declared = declaredArg(kind, args, f.index ?? 0);
      if (!declared && !(f.args && f.args.length > 0)) {
        this.add('DS-TETRA-032', `${at}.index`, `matchArgs index ${f.index ?? 0} refers to no declared argument (declared: ${args.map((a) => a.index).join(', ') || 'none'})`,
          'declare the argument in args with that index, or filter on a declared one');
        return;
      }
      this.checkOperatorArgs(f, args, at);
      this.checkArgFilter(f, declared?.type ?? argType(args, f), at, substrings);
    });
    (s.matchData ?? []).forEach((f, i) => {
      const at = `${path}.matchData[${i}]`;
      const data = 'data' in hook ? (hook as KProbeSpec).data ?? [] : [];
      if ((f.index ?? 0) >= data.length) {
        this.add('DS-TETRA-032', `${at}.index`, `matchData index ${f.index ?? 0} is outside the ${data.length} declared data entries`, 'declare the data entry, or use an index below the number of data entries');
        return;
      }
      this.checkArgFilter(f, data[f.index ?? 0].type, at, substrings);
    });
    (s.matchReturnArgs ?? []).forEach((f, i) => {
      const at = `${path}.matchReturnArgs[${i}]`;
      if (kind === 'lsmhooks') {
        this.add('DS-TETRA-040', at, 'lsmhooks do not support matchReturnArgs', 'filter on arguments with matchArgs instead');
        return;
      }
      const returnArg = (hook as KProbeSpec).returnArg;
      if (!returnArg) {
        this.add('DS-TETRA-032', at, 'matchReturnArgs needs the hook to declare returnArg', 'add returnArg (and return: true) to the hook');
        return;
      }
      if ((f.index ?? 0) !== returnArg.index) {
        this.add('DS-TETRA-032', `${at}.index`, `matchReturnArgs index ${f.index ?? 0} is not the returnArg index ${returnArg.index}`, `use index ${returnArg.index}`);
        return;
      }
      this.checkArgFilter(f, returnArg.type, at, substrings);
    });
    if ((s.matchPIDs ?? []).some((p) => p.values.length > MAX_PID_VALUES)) {
      const i = (s.matchPIDs ?? []).findIndex((p) => p.values.length > MAX_PID_VALUES);
      this.add('DS-TETRA-033', `${path}.matchPIDs[${i}].values`, `more than ${MAX_PID_VALUES} PID values in one filter`, `use at most ${MAX_PID_VALUES} PIDs per filter`);
    }
    const namespaces = s.matchNamespaces ?? [];
    if (namespaces.length > MAX_NAMESPACE_FILTERS) {
      this.add('DS-TETRA-033', `${path}.matchNamespaces`, `${namespaces.length} namespace filters; Tetragon supports at most ${MAX_NAMESPACE_FILTERS}`, 'use one filter per namespace type');
    }
    namespaces.forEach((n, i) => {
      if (n.values.length > MAX_NAMESPACE_VALUES) {
        this.add('DS-TETRA-033', `${path}.matchNamespaces[${i}].values`, `${n.values.length} values; Tetragon supports at most ${MAX_NAMESPACE_VALUES} per namespace filter`,
          `keep at most ${MAX_NAMESPACE_VALUES} values`);
      }
      n.values.forEach((v, j) => {
        if (v !== 'host_ns' && !/^[0-9]+$/.test(v)) {
          this.add('DS-TETRA-034', `${path}.matchNamespaces[${i}].values[${j}]`, `'${v}' is neither a namespace inode number nor host_ns`, 'use the inode number (lsns) or host_ns');
        }
      });
    });
    if ((s.matchNamespaceChanges ?? []).length > 1) {
      this.add('DS-TETRA-033', `${path}.matchNamespaceChanges`, 'more than one matchNamespaceChanges filter; Tetragon supports a single one',
        'list every namespace type in the values of one filter');
    }
    for (const key of ['matchCapabilities', 'matchCapabilityChanges'] as const) {
      (s[key] ?? []).forEach((c, i) => c.values.forEach((v, j) => {
        if (!(CAPABILITIES as readonly string[]).includes(v.trim().toUpperCase())) {
          this.add('DS-TETRA-061', `${path}.${key}[${i}].values[${j}]`, `'${v}' is not a Linux capability`, 'use a name like CAP_SYS_ADMIN (see capabilities(7))');
        }
      }));
    }
    for (const key of ['matchBinaries', 'matchParentBinaries'] as const) {
      (s[key] ?? []).forEach((b, i) => {
        const at = `${path}.${key}[${i}]`;
        if (b.followChildren && b.operator !== 'In' && b.operator !== 'NotIn') {
          this.add('DS-TETRA-035', `${at}.followChildren`, `followChildren works only with In and NotIn, not ${b.operator}`, 'use operator In or NotIn, or drop followChildren');
        }
        this.checkStringLengths(b.operator, b.values, at, b.operator === 'In' || b.operator === 'NotIn' ? MAX_BINARY_PATH_LENGTH : undefined);
      });
    }
    if (s.matchWorkloads) {
      for (const key of ['podSelector', 'containerSelector', 'hostSelector'] as const) {
        const sel = s.matchWorkloads[key];
        if (sel) this.checkLabelSelector(sel, `${path}.matchWorkloads.${key}`);
      }
    }
    this.checkActions(kind, hook, s.matchActions ?? [], `${path}.matchActions`);
    this.checkActions(kind, hook, s.matchReturnActions ?? [], `${path}.matchReturnActions`);
  }

  private checkOperatorArgs(f: ArgSelector, args: readonly KProbeArg[], at: string): void {
    (f.args ?? []).forEach((index, j) => {
      if (index >= args.length) {
        this.add('DS-TETRA-032', `${at}.args[${j}]`, `operator argument ${index} is outside the ${args.length} declared arguments`, 'use positions of declared arguments');
      }
    });
  }

  private checkArgFilter(f: ArgSelector, type: ArgType | undefined, at: string, substrings: { count: number }): void {
    const values = f.values ?? [];
    const op = f.operator;
    if (type && SOCKET_OPERATORS.includes(op) && !SOCKET_TYPES.includes(type)) {
      this.add('DS-TETRA-036', `${at}.operator`, `${op} applies to sock, skb, sockaddr, socket arguments, not ${type}`, 'filter a socket argument, or use a value operator');
    }
    if (type && (op === 'FileType' || op === 'NotFileType') && type !== 'file' && type !== 'path') {
      this.add('DS-TETRA-036', `${at}.operator`, `${op} applies to file and path arguments, not ${type}`, 'filter a file or path argument');
    }
    if (op === 'CapabilitiesGained') {
      if ((f.args ?? []).length !== 2) {
        this.add('DS-TETRA-036', `${at}.args`, 'CapabilitiesGained needs two operator args: the new and the old capability argument', 'set args: [NEW_INDEX, OLD_INDEX]');
      } else if (type && !CAPABILITY_TYPES.includes(type)) {
        this.add('DS-TETRA-036', `${at}.args`, `CapabilitiesGained compares capability arguments, not ${type}`, 'point args at kernel_cap_t/cap_* arguments');
      }
      return;
    }
    const numeric = !MAP_OPERATORS.includes(op) && !SOCKET_OPERATORS.includes(op)
      && !['Prefix', 'NotPrefix', 'Postfix', 'NotPostfix', 'SubString', 'SubStringIgnCase', 'FileType', 'NotFileType', 'CelExpr'].includes(op)
      && !((op === 'Equal' || op === 'NotEqual') && type !== undefined && STRING_TYPES.includes(type));
    if (numeric && values.length > MAX_NUMERIC_VALUES_PER_FILTER) {
      this.add('DS-TETRA-037', `${at}.values`, `${values.length} values for ${op} on a ${type ?? 'numeric'} argument; Tetragon compares at most ${MAX_NUMERIC_VALUES_PER_FILTER}`,
        'use InMap/NotInMap for larger sets, or split the values over several selectors');
    }
    this.checkStringLengths(op, values, `${at}`);
    if (op === 'SubString' || op === 'SubStringIgnCase') {
      values.forEach((v, j) => {
        substrings.count += 1;
        if (v.length > MAX_SUBSTRING_LENGTH) {
          this.add('DS-TETRA-038', `${at}.values[${j}]`, `substring of ${v.length} characters; Tetragon accepts at most ${MAX_SUBSTRING_LENGTH}`, 'shorten the substring');
        }
      });
      if (substrings.count > MAX_SUBSTRINGS) {
        this.add('DS-TETRA-038', `${at}.values`, `more than ${MAX_SUBSTRINGS} substrings on one hook`, 'use fewer substrings');
      }
    }
  }

  private checkStringLengths(op: string, values: readonly string[], at: string, exactMax?: number): void {
    values.forEach((v, j) => {
      if ((op === 'Prefix' || op === 'NotPrefix') && v.length > MAX_PREFIX_LENGTH) {
        this.add('DS-TETRA-038', `${at}.values[${j}]`, `prefix of ${v.length} characters; Tetragon accepts at most ${MAX_PREFIX_LENGTH}`, 'shorten the prefix');
      }
      if ((op === 'Postfix' || op === 'NotPostfix') && v.length > MAX_POSTFIX_LENGTH) {
        this.add('DS-TETRA-038', `${at}.values[${j}]`, `postfix of ${v.length} characters; Tetragon accepts at most ${MAX_POSTFIX_LENGTH}`, 'shorten the postfix');
      }
      if (exactMax !== undefined && v.length > exactMax) {
        this.add('DS-TETRA-038', `${at}.values[${j}]`, `binary path of ${v.length} characters; Tetragon accepts at most ${exactMax}`, 'use a shorter path or a Prefix');
      }
    });
  }

  private checkActions(kind: HookKind, hook: AnyHook, actions: readonly ActionSelector[], path: string): void {
    if (actions.length > MAX_ACTIONS_PER_SELECTOR) {
      this.add('DS-TETRA-039', path, `${actions.length} actions in one selector; Tetragon supports at most ${MAX_ACTIONS_PER_SELECTOR}`, 'split the actions over several selectors');
    }
    actions.forEach((a, i) => this.checkAction(kind, hook, a, `${path}[${i}]`));
  }

  private checkAction(kind: HookKind, hook: AnyHook, a: ActionSelector, at: string): void {
    if (ENFORCEMENT_ACTIONS.includes(a.action) && !this.options.allowEnforcement) {
      this.add('DS-TETRA-041', `${at}.action`, `${a.action} enforces (stops or alters the process) and enforcement was not enabled`,
        'keep detections in monitor mode, or opt in explicitly with enforcement: { enabled: true, reason } on the sensor');
    }
    if (a.rateLimit !== undefined && a.action !== 'Post') {
      this.add('DS-TETRA-042', `${at}.rateLimit`, `rateLimit applies to Post only, not ${a.action}`, 'move rateLimit to a Post action');
    }
    if (a.rateLimitScope !== undefined && !['thread', 'process', 'global'].includes(a.rateLimitScope)) {
      this.add('DS-TETRA-042', `${at}.rateLimitScope`, `'${a.rateLimitScope}' is not a rate limit scope`, 'use thread, process or global');
    }
    if (a.rateLimit !== undefined && !/^[0-9]+[smh]?$/.test(a.rateLimit)) {
      this.add('DS-TETRA-042', `${at}.rateLimit`, `'${a.rateLimit}' is not a duration`, 'use a number followed by s, m or h (e.g. 5m)');
    }
    const required: Partial<Record<Action, keyof ActionSelector>> = { Signal: 'argSig', GetUrl: 'argUrl', DnsLookup: 'argFqdn' };
    const needed = required[a.action];
    if (needed && a[needed] === undefined) {
      this.add('DS-TETRA-043', at, `${a.action} needs ${needed}`, `set ${needed}`);
    }
    if (kind === 'lsmhooks' && !['Post', 'NoPost', 'Sigkill', 'Signal', 'Override'].includes(a.action)) {
      // pkg/sensors/tracing/genericlsm.go isValidLsmSelectors
      this.add('DS-TETRA-040', `${at}.action`, `lsmhooks do not support ${a.action}`, 'use Post, NoPost, Sigkill, Signal or Override');
    }
    if (kind === 'lsmhooks' && a.action === 'Post' && (a.kernelStackTrace || a.userStackTrace)) {
      this.add('DS-TETRA-040', at, 'lsmhooks do not support stack traces', 'drop kernelStackTrace/userStackTrace');
    }
    if (kind === 'uprobes' && (a.action === 'GetUrl' || a.action === 'DnsLookup')) {
      // pkg/sensors/tracing/genericuprobe.go: "GetUrl and DnsLookup actions not supported"
      this.add('DS-TETRA-040', `${at}.action`, `uprobes do not support ${a.action}`, 'use Post, or move the hook to a kprobe');
    }
    if (a.action === 'NotifyEnforcer' && (this.policy.spec.enforcers ?? []).length === 0) {
      this.add('DS-TETRA-043', at, 'NotifyEnforcer needs spec.enforcers', 'declare the enforcer calls under spec.enforcers');
    }
    if (a.action === 'Override') this.checkOverride(kind, hook, a, at);
  }

  // selectors.md "Override action": defined for kprobe, uprobe and lsmhooks; kprobes only on syscalls and
  // security_ hooks (pkg/sensors/tracing/generickprobe.go validateOverride; functions on the error injection list).
  private checkOverride(kind: HookKind, hook: AnyHook, a: ActionSelector, at: string): void {
    if (kind === 'kprobes' || kind === 'fentries') {
      const k = hook as KProbeSpec;
      const syscall = k.syscall ?? true;
      if (!syscall && !k.call.startsWith('security_')) {
        this.add('DS-TETRA-044', `${at}.action`, `Override on '${k.call}': only syscalls and security_ functions can be overridden`,
          'hook the syscall or the security_ function, or use Sigkill/Signal');
      }
      if (a.argError === undefined) this.add('DS-TETRA-043', at, 'Override needs argError on a kprobe', 'set argError (e.g. -1)');
    } else if (kind === 'lsmhooks') {
      if (a.argError === undefined) this.add('DS-TETRA-043', at, 'Override needs argError on an LSM hook', 'set argError (e.g. -1)');
    } else if (kind === 'uprobes') {
      const overrides = [a.argError, a.argRegs, a.argNewSymbol, a.argNewAddr, a.argNewOffset];
      if (overrides.every((v) => v === undefined)) {
        this.add('DS-TETRA-043', at, 'Override on a uprobe needs argError, argRegs, argNewSymbol, argNewAddr or argNewOffset', 'set one of them');
      }
    } else {
      this.add('DS-TETRA-044', `${at}.action`, `Override is not available on ${kind}`, 'use a kprobe on the syscall, an LSM hook, or Sigkill');
    }
  }

  private checkOption(name: string, value: string | undefined, at: string): void {
    if (!(POLICY_OPTION_NAMES as readonly string[]).includes(name)) {
      this.add('DS-TETRA-045', `${at}.name`, `unknown option '${name}' (Tetragon ignores it silently)`, `use one of ${POLICY_OPTION_NAMES.join(', ')}`);
    } else if (name === 'policy-mode' && !(POLICY_MODES as readonly string[]).includes(value ?? '')) {
      this.add('DS-TETRA-062', `${at}.value`, `policy-mode '${value ?? ''}' is not valid`, `use ${POLICY_MODES.join(' or ')}`);
    } else if (name === 'override-method' && !(OVERRIDE_METHODS as readonly string[]).includes(value ?? '')) {
      this.add('DS-TETRA-062', `${at}.value`, `override-method '${value ?? ''}' is not valid`, `use ${OVERRIDE_METHODS.join(' or ')}`);
    } else if ((name === 'disable-kprobe-multi' || name === 'disable-uprobe-multi') && !['true', 'false', '1', '0'].includes(value ?? '')) {
      this.add('DS-TETRA-062', `${at}.value`, `${name} needs a boolean value, got '${value ?? ''}'`, 'use "true" or "false"');
    }
  }

  private checkLabelSelector(selector: LabelSelector, at: string): void {
    (selector.matchExpressions ?? []).forEach((e, i) => {
      const hasValues = (e.values ?? []).length > 0;
      if ((e.operator === 'In' || e.operator === 'NotIn') && !hasValues) {
        this.add('DS-TETRA-046', `${at}.matchExpressions[${i}].values`, `${e.operator} needs at least one value`, 'list the values');
      }
      if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && hasValues) {
        this.add('DS-TETRA-046', `${at}.matchExpressions[${i}].values`, `${e.operator} takes no values`, 'remove the values');
      }
    });
  }
}

/**
 * The argument a matchArgs index names. Tetragon looks it up by `index` (selectors.go argIndexType); for tracepoints
 * it first rewrites indexes equal to a declared field's `index` to that argument's position
 * (generictracepoint.go InitKernelSelectors), so a position in `args` also names an argument there.
 */
function declaredArg(kind: HookKind, args: readonly KProbeArg[], index: number): KProbeArg | undefined {
  return args.find((a) => a.index === index) ?? (kind === 'tracepoints' ? args[index] : undefined);
}

function argType(args: readonly KProbeArg[], f: ArgSelector): ArgType | undefined {
  const first = f.args?.[0];
  return first !== undefined ? args[first]?.type : undefined;
}

/** The issue as one line: `path: error CODE message. Fix: ...`. */
export function formatPolicyIssue(issue: PolicyIssue, prefix = ''): string {
  return `${prefix}${issue.path}: ${issue.code} ${issue.message}. Fix: ${issue.fix}`;
}
