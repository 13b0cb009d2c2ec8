// TracingPolicy and TracingPolicyNamespaced (cilium.io/v1alpha1) as typed plain data.
// Field names and types follow the CRD of cilium/tetragon v1.7 (pkg/k8s/apis/cilium.io/v1alpha1/types.go,
// pkg/tracingpolicy/schemas/). Plain data so that policies can be built, loaded, compared and emitted.
import type {
  Action, ArgOperator, ArgType, BinarySelectorOperator, CapabilitySet, LabelSelectorOperator, ListType, NamespaceType,
  SetOperator, TracingPolicyKind,
} from './vocabulary';

/** A function argument (or return value) to read and include in the event. */
export interface KProbeArg {
  /** Position of the argument. */
  readonly index: number;
  /** Argument type. */
  readonly type: ArgType;
  /** Position of the size argument (char_buf, char_iovec only). @default none */
  readonly sizeArgIndex?: number;
  /** Read the buffer at return (char_buf, char_iovec only). @default false */
  readonly returnCopy?: boolean;
  /** Read up to 327360 bytes instead of 4096 (char_buf only). @default false */
  readonly maxData?: boolean;
  /** Label shown in the JSON event. @default none */
  readonly label?: string;
  /** Path to a specific attribute (BTF). @default '' */
  readonly resolve?: string;
  /** BTF type used as the initial resolve type. @default none */
  readonly btfType?: string;
  /** Kernel module holding btfType. @default none */
  readonly btfTypeModule?: string;
  /** Source of the data (e.g. `current_task`, `pt_regs`). @default the function arguments */
  readonly source?: string;
}

/** A filter on an argument, return value or data field: `index` and `operator` with values. */
export interface ArgSelector {
  /** Position of the argument (its `index` in `args`) to filter on. @default 0 */
  readonly index?: number;
  readonly operator: ArgOperator;
  /** Operator values (strings, also for numbers). @default none */
  readonly values?: readonly string[];
  /** Positions of the operator arguments (CelExpr, CapabilitiesGained). @default none */
  readonly args?: readonly number[];
}

export interface ActionSelector {
  readonly action: Action;
  /** Override: the error value returned. */
  readonly argError?: number;
  readonly argFqdn?: string;
  /** Set/NotifyEnforcer argument index. */
  readonly argIndex?: number;
  readonly argNewAddr?: number;
  readonly argNewOffset?: number;
  readonly argNewSymbol?: string;
  readonly argRegs?: readonly string[];
  /** Signal: the signal number. */
  readonly argSig?: number;
  readonly argSock?: number;
  readonly argUrl?: string;
  readonly argValue?: number;
  readonly imaHash?: boolean;
  readonly kernelStackTrace?: boolean;
  /** Post: at most one event per interval (e.g. `5m`). */
  readonly rateLimit?: string;
  /** Post: `thread` (default), `process` or `global`. */
  readonly rateLimitScope?: string;
  readonly userStackTrace?: boolean;
}

export interface BinarySelector {
  readonly operator: BinarySelectorOperator;
  readonly values: readonly string[];
  /** Also match children of matching binaries (In/NotIn only). @default false */
  readonly followChildren?: boolean;
}

export interface PIDSelector {
  readonly operator: SetOperator;
  readonly values: readonly number[];
  readonly followForks?: boolean;
  readonly isNamespacePID?: boolean;
}

export interface NamespaceSelector {
  readonly namespace: NamespaceType;
  readonly operator: SetOperator;
  /** Namespace inode numbers or `host_ns`. */
  readonly values: readonly string[];
}

export interface CapabilitiesSelector {
  /** @default 'Effective' */
  readonly type?: CapabilitySet;
  readonly operator: SetOperator;
  /** Capability names, e.g. `CAP_SYS_ADMIN`. */
  readonly values: readonly string[];
  readonly isNamespaceCapability?: boolean;
}

export interface NamespaceChangesSelector {
  readonly operator: SetOperator;
  readonly values: readonly string[];
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: LabelSelectorOperator;
  readonly values?: readonly string[];
}

/** A Kubernetes label selector. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface WorkloadSelector {
  readonly podSelector?: LabelSelector;
  readonly containerSelector?: LabelSelector;
  readonly hostSelector?: LabelSelector;
}

/** One selector of a hook: its filters are ANDed; selectors of a hook are ORed. */
export interface Selector {
  readonly label?: string;
  readonly macros?: readonly string[];
  readonly matchArgs?: readonly ArgSelector[];
  readonly matchData?: readonly ArgSelector[];
  readonly matchReturnArgs?: readonly ArgSelector[];
  readonly matchPIDs?: readonly PIDSelector[];
  readonly matchBinaries?: readonly BinarySelector[];
  readonly matchParentBinaries?: readonly BinarySelector[];
  readonly matchNamespaces?: readonly NamespaceSelector[];
  readonly matchCapabilities?: readonly CapabilitiesSelector[];
  readonly matchNamespaceChanges?: readonly NamespaceChangesSelector[];
  readonly matchCapabilityChanges?: readonly CapabilitiesSelector[];
  readonly matchActions?: readonly ActionSelector[];
  readonly matchReturnActions?: readonly ActionSelector[];
  readonly matchWorkloads?: WorkloadSelector;
}

/** Fields every hook kind has. */
interface HookCommon {
  readonly args?: readonly KProbeArg[];
  readonly selectors?: readonly Selector[];
  /** Up to 256 characters included in the event. */
  readonly message?: string;
  /** Up to 16 tags included in the event. */
  readonly tags?: readonly string[];
}

export interface KProbeSpec extends HookCommon {
  /** Kernel function (or `list:NAME`). */
  readonly call: string;
  /** The function is a syscall. @default true */
  readonly syscall?: boolean;
  /** Also hook the return. @default false */
  readonly return?: boolean;
  readonly returnArg?: KProbeArg;
  readonly returnArgAction?: string;
  readonly data?: readonly KProbeArg[];
  readonly ignore?: { readonly callNotFound?: boolean };
}

/** fentry hooks have the same fields as kprobes. */
export type FEntrySpec = KProbeSpec;

export interface TracepointSpec extends HookCommon {
  readonly subsystem: string;
  readonly event: string;
  readonly raw?: boolean;
}

export interface LsmHookSpec extends HookCommon {
  /** LSM hook name without the `security_` prefix, e.g. `file_open`. */
  readonly hook: string;
}

export interface UProbeSpec extends HookCommon {
  readonly path: string;
  readonly symbols?: readonly string[];
  readonly offsets?: readonly number[];
  readonly addrs?: readonly number[];
  readonly refCtrOffsets?: readonly number[];
  readonly binaryDigests?: readonly string[];
  readonly btfPath?: string;
  readonly return?: boolean;
  readonly returnArg?: KProbeArg;
  readonly data?: readonly KProbeArg[];
  readonly ignore?: { readonly digestVerificationFailure?: boolean };
}

export interface UsdtSpec extends HookCommon {
  readonly path: string;
  readonly provider: string;
  readonly name: string;
  readonly btfPath?: string;
}

export interface ListSpec {
  readonly name: string;
  readonly values?: readonly string[];
  readonly type?: ListType;
  readonly pattern?: string;
  readonly validated?: boolean;
}

export interface OptionSpec {
  readonly name: string;
  readonly value?: string;
}

export interface EnforcerSpec {
  readonly calls: readonly string[];
}

export interface TracingPolicySpec {
  readonly kprobes?: readonly KProbeSpec[];
  readonly fentries?: readonly FEntrySpec[];
  readonly tracepoints?: readonly TracepointSpec[];
  readonly lsmhooks?: readonly LsmHookSpec[];
  readonly uprobes?: readonly UProbeSpec[];
  readonly usdts?: readonly UsdtSpec[];
  readonly enforcers?: readonly EnforcerSpec[];
  readonly lists?: readonly ListSpec[];
  readonly options?: readonly OptionSpec[];
  readonly podSelector?: LabelSelector;
  readonly containerSelector?: LabelSelector;
  readonly hostSelector?: LabelSelector;
  readonly nodeSelector?: LabelSelector;
  readonly selectorsMacros?: Readonly<Record<string, Selector>>;
  readonly loader?: boolean;
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A whole TracingPolicy or TracingPolicyNamespaced document. */
export interface TracingPolicy {
  readonly apiVersion: 'cilium.io/v1alpha1';
  readonly kind: TracingPolicyKind;
  readonly metadata: ObjectMeta;
  readonly spec: TracingPolicySpec;
}

/** The hook lists of a spec, in the order they are validated and emitted. */
export const HOOK_KINDS = ['kprobes', 'fentries', 'tracepoints', 'lsmhooks', 'uprobes', 'usdts'] as const;
export type HookKind = (typeof HOOK_KINDS)[number];
export type AnyHook = KProbeSpec | TracepointSpec | LsmHookSpec | UProbeSpec | UsdtSpec;
