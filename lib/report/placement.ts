import type { Expr, Operand } from '../falco/language/ast';
import { parseCondition } from '../falco/language/parser';
import type { RuleItem, RulesFileItem } from '../falco/rules/model';
import type { ThreatScenario } from '../packs/types';

/**
 * Where a rule belongs in the scenario matrix, read from what its condition watches: the event types it
 * asks for and the fields it compares, with the stack's own macros and lists expanded and Falco's best-known
 * default macros read by their meaning. Negated parts are left out: `not proc.name in (...)` excludes
 * processes, it does not watch them.
 */
export interface RulePlacement {
  readonly scenarios: readonly ThreatScenario[];
  /** What the condition watches, in words, for the report (`evt.type execve`, `fd.sip`...). */
  readonly watches: readonly string[];
}

const EXEC_TYPES = new Set(['execve', 'execveat']);
const OPEN_TYPES = new Set(['open', 'openat', 'openat2', 'open_by_handle_at']);
const FILE_CHANGE_TYPES = new Set([
  'creat', 'rename', 'renameat', 'renameat2', 'unlink', 'unlinkat', 'mkdir', 'mkdirat', 'rmdir', 'link', 'linkat',
  'symlink', 'symlinkat', 'chmod', 'fchmod', 'fchmodat', 'chown', 'fchown', 'fchownat', 'lchown', 'truncate', 'ftruncate',
]);
const NETWORK_TYPES = new Set(['connect', 'accept', 'accept4', 'listen', 'bind', 'sendto', 'sendmsg', 'recvfrom', 'recvmsg']);
const PRIVILEGE_TYPES = new Set([
  'setuid', 'setgid', 'setreuid', 'setregid', 'setresuid', 'setresgid', 'capset', 'ptrace', 'init_module', 'finit_module',
  'unshare', 'setns', 'bpf', 'mount', 'pivot_root',
]);
const NETWORK_FIELD = /^fd\.(sip|rip|cip|lip|sport|rport|cport|lport|port|net|snet|cnet|rnet|lnet|l4proto|sproto|cproto|rproto|lproto)(\.name)?$/;
const PRIVILEGE_FIELD = /^thread\.cap_(effective|permitted|inheritable)$/;
const WRITE_MARKERS = new Set(['evt.is_open_write']);
const SHELL_NAMES = new Set(['sh', 'bash', 'zsh', 'dash', 'ash', 'ksh', 'csh', 'tcsh', 'fish', 'busybox']);
const SHELL_LISTS = new Set(['shell_binaries', 'shell_mgmt_binaries']);

/** What Falco's default macros watch (falcosecurity/rules falco_rules.yaml), for rules that use them by name. */
const DEFAULT_MACRO_SIGNALS: Readonly<Record<string, readonly Signal[]>> = {
  spawned_process: ['exec'],
  shell_procs: ['exec', 'shell'],
  open_write: ['file-change'],
  create_symlink: ['file-change'],
  create_hardlink: ['file-change'],
  outbound: ['network'],
  kernel_module_load: ['privilege'],
  ptrace_attach_or_injection: ['privilege'],
};

type Signal = 'exec' | 'shell' | 'open' | 'file-write' | 'file-change' | 'network' | 'privilege';

interface Seen {
  readonly signals: Set<Signal>;
  readonly watches: Set<string>;
}

/** The stack's own macros and lists, by name, for expansion. */
export interface PlacementContext {
  readonly macros: ReadonlyMap<string, string>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
}

export function placementContext(items: readonly RulesFileItem[]): PlacementContext {
  const macros = new Map<string, string>();
  const lists = new Map<string, readonly string[]>();
  for (const item of items) {
    if (item.kind === 'macro' && item.condition) macros.set(item.name, item.condition);
    if (item.kind === 'list') lists.set(item.name, item.items.map(String));
  }
  return { macros, lists };
}

/** Places a rule by what its condition watches; a condition that does not parse is placed nowhere. */
export function placeRule(rule: RuleItem, ctx: PlacementContext): RulePlacement {
  const source = rule.source ?? 'syscall';
  if (source === 'k8s_audit') return { scenarios: ['kubernetes-activity'], watches: ['Kubernetes audit events'] };
  if (source !== 'syscall' || !rule.condition) return { scenarios: [], watches: [] };
  const seen: Seen = { signals: new Set(), watches: new Set() };
  try {
    visit(parseCondition(rule.condition), ctx, seen, new Set());
  } catch {
    return { scenarios: [], watches: [] };
  }
  return { scenarios: scenariosOf(seen.signals), watches: [...seen.watches].sort() };
}

function scenariosOf(signals: ReadonlySet<Signal>): ThreatScenario[] {
  const out: ThreatScenario[] = [];
  if (signals.has('exec')) out.push(signals.has('shell') ? 'shell-access' : 'unexpected-processes');
  if (signals.has('file-change') || (signals.has('open') && signals.has('file-write'))) out.push('file-system-changes');
  if (signals.has('network')) out.push('network-anomalies');
  if (signals.has('privilege')) out.push('privilege-escalation');
  return out;
}

function visit(e: Expr, ctx: PlacementContext, seen: Seen, expanding: Set<string>): void {
  switch (e.kind) {
    case 'and': case 'or': e.children.forEach((c) => visit(c, ctx, seen, expanding)); return;
    case 'not': return;
    case 'macro': {
      const own = ctx.macros.get(e.name);
      if (own !== undefined && !expanding.has(e.name)) {
        expanding.add(e.name);
        try {
          visit(parseCondition(own), ctx, seen, expanding);
        } finally {
          expanding.delete(e.name);
        }
        return;
      }
      const signals = DEFAULT_MACRO_SIGNALS[e.name];
      if (signals) {
        signals.forEach((s) => seen.signals.add(s));
        seen.watches.add(`macro ${e.name}`);
      }
      return;
    }
    case 'unaryCheck':
      if (e.left.kind === 'field') fieldSignals(e.left.name, seen);
      return;
    case 'binaryCheck': {
      if (e.left.kind !== 'field') return;
      const name = e.left.name;
      if (name === 'evt.type' && (e.op === '=' || e.op === '==' || e.op === 'in')) {
        for (const type of valuesOf(e.right, ctx)) eventTypeSignals(type, seen);
        return;
      }
      if (name === 'evt.arg.flags' && ['O_WRONLY', 'O_RDWR', 'O_CREAT', 'O_TRUNC'].some((f) => valuesOf(e.right, ctx).some((v) => v.includes(f)))) {
        seen.signals.add('file-write');
        seen.watches.add(name);
      }
      if ((name === 'proc.name' || name === 'proc.exe' || name === 'proc.exepath') && e.op !== '!=') {
        const values = valuesOf(e.right, ctx);
        if (values.some((v) => SHELL_NAMES.has(v.split('/').pop() ?? v)) || (e.right.kind === 'listRef' && SHELL_LISTS.has(e.right.name))) {
          seen.signals.add('shell');
          seen.watches.add(`${name} (shells)`);
        }
      }
      fieldSignals(name, seen);
      return;
    }
  }
}

function eventTypeSignals(type: string, seen: Seen): void {
  const signal: Signal | undefined = EXEC_TYPES.has(type) ? 'exec' : OPEN_TYPES.has(type) ? 'open'
    : FILE_CHANGE_TYPES.has(type) ? 'file-change' : NETWORK_TYPES.has(type) ? 'network' : PRIVILEGE_TYPES.has(type) ? 'privilege' : undefined;
  if (signal) {
    seen.signals.add(signal);
    seen.watches.add(`evt.type ${type}`);
  }
}

function fieldSignals(name: string, seen: Seen): void {
  if (NETWORK_FIELD.test(name)) seen.signals.add('network');
  else if (PRIVILEGE_FIELD.test(name)) seen.signals.add('privilege');
  else if (WRITE_MARKERS.has(name)) seen.signals.add('file-write');
  else if (name.startsWith('fs.path.')) seen.signals.add('file-change');
  else return;
  seen.watches.add(name);
}

function valuesOf(operand: Operand, ctx: PlacementContext): string[] {
  switch (operand.kind) {
    case 'string': return [operand.value];
    case 'list': return operand.items.flatMap((i) => (!i.quoted && ctx.lists.has(i.value) ? [...ctx.lists.get(i.value)!] : [i.value]));
    case 'listRef': return [...(ctx.lists.get(operand.name) ?? [])];
    default: return [];
  }
}
