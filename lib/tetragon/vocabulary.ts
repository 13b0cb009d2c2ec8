// The enumerations of the TracingPolicy CRD (cilium.io/v1alpha1), as of cilium/tetragon v1.7
// (pkg/k8s/apis/cilium.io/v1alpha1/types.go, the `kubebuilder:validation:Enum` markers).
// Each list is the single source of both the TypeScript type and the runtime check.

export const TETRAGON_API_VERSION = 'cilium.io/v1alpha1';
export const TRACING_POLICY_KINDS = ['TracingPolicy', 'TracingPolicyNamespaced'] as const;
export type TracingPolicyKind = (typeof TRACING_POLICY_KINDS)[number];

/** KProbeArg.type */
export const ARG_TYPES = [
  'auto', 'int', 'sint8', 'int8', 'uint8', 'sint16', 'int16', 'uint16', 'uint32', 'sint32', 'int32',
  'ulong', 'uint64', 'size_t', 'long', 'sint64', 'int64', 'char_buf', 'char_iovec', 'skb', 'sock',
  'sockaddr', 'socket', 'sockaddr_un', 'string', 'fd', 'file', 'filename', 'path', 'nop', 'bpf_attr',
  'perf_event', 'bpf_map', 'user_namespace', 'capability', 'kiocb', 'iov_iter', 'cred', 'const_buf',
  'load_info', 'module', 'syscall64', 'kernel_cap_t', 'cap_inheritable', 'cap_permitted', 'cap_effective',
  'linux_binprm', 'data_loc', 'net_device', 'bpf_cmd', 'dentry', 'bpf_prog',
] as const;
export type ArgType = (typeof ARG_TYPES)[number];

/** ArgSelector.operator (matchArgs, matchReturnArgs, matchData). */
export const ARG_OPERATORS = [
  'Equal', 'NotEqual', 'Prefix', 'NotPrefix', 'Postfix', 'NotPostfix', 'GreaterThan', 'LessThan', 'GT', 'LT',
  'Mask', 'SPort', 'NotSPort', 'SPortPriv', 'NotSportPriv', 'DPort', 'NotDPort', 'DPortPriv', 'NotDPortPriv',
  'SAddr', 'NotSAddr', 'DAddr', 'NotDAddr', 'Protocol', 'Family', 'State', 'InMap', 'NotInMap',
  'CapabilitiesGained', 'InRange', 'NotInRange', 'SubString', 'SubStringIgnCase', 'CelExpr', 'FileType', 'NotFileType',
] as const;
export type ArgOperator = (typeof ARG_OPERATORS)[number];

/** BinarySelector.operator (matchBinaries, matchParentBinaries). */
export const BINARY_OPERATORS = ['In', 'NotIn', 'Prefix', 'NotPrefix', 'Postfix', 'NotPostfix'] as const;
export type BinarySelectorOperator = (typeof BINARY_OPERATORS)[number];

/** operator of matchPIDs, matchNamespaces, matchCapabilities, matchNamespaceChanges, matchCapabilityChanges. */
export const SET_OPERATORS = ['In', 'NotIn'] as const;
export type SetOperator = (typeof SET_OPERATORS)[number];

/** ActionSelector.action (matchActions, matchReturnActions). */
export const ACTIONS = [
  'Post', 'Sigkill', 'Override', 'GetUrl', 'DnsLookup', 'NoPost', 'Signal', 'TrackSock', 'UntrackSock',
  'NotifyEnforcer', 'CleanupEnforcerNotification', 'Set',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Actions that stop, alter or signal the traced process: they need an explicit opt-in.
 * Set writes into the traced program's memory (USDT), NotifyEnforcer makes an enforcer program act.
 */
export const ENFORCEMENT_ACTIONS: readonly Action[] = ['Sigkill', 'Override', 'Signal', 'NotifyEnforcer', 'Set'];

/** NamespaceSelector.namespace */
export const NAMESPACE_TYPES = [
  'Uts', 'Ipc', 'Mnt', 'Pid', 'PidForChildren', 'Net', 'Time', 'TimeForChildren', 'Cgroup', 'User',
] as const;
export type NamespaceType = (typeof NAMESPACE_TYPES)[number];

/** CapabilitiesSelector.type */
export const CAPABILITY_SETS = ['Effective', 'Inheritable', 'Permitted'] as const;
export type CapabilitySet = (typeof CAPABILITY_SETS)[number];

/** ListSpec.type */
export const LIST_TYPES = ['syscalls', 'generated_syscalls', 'generated_ftrace'] as const;
export type ListType = (typeof LIST_TYPES)[number];

/** Kubernetes LabelSelectorRequirement.operator */
export const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type LabelSelectorOperator = (typeof LABEL_SELECTOR_OPERATORS)[number];

/** Capability names Tetragon accepts in matchCapabilities values (api/v1/tetragon/capabilities.proto). */
export const CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/**
 * `options` names Tetragon reads (pkg/sensors/tracing/options.go, pkg/option/flags.go).
 * Tetragon silently ignores any other name, so a typo would go unnoticed on the node.
 */
export const POLICY_OPTION_NAMES = [
  'disable-kprobe-multi', 'disable-uprobe-multi', 'override-method', 'policy-mode', 'sleepable-preload-size',
] as const;
/** Values of the `override-method` option. */
export const OVERRIDE_METHODS = ['override-return', 'fmod-ret'] as const;
/** Values of the `policy-mode` option (pkg/policyconf). */
export const POLICY_MODES = ['monitor', 'enforce'] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];
