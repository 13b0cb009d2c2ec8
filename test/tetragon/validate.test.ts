import {
  KProbeSpec, LsmHookSpec, PolicyIssue, TracepointSpec, TracingPolicy, TracingPolicySpec, UProbeSpec, validateTracingPolicy,
} from '../../lib/tetragon';

const policy = (spec: TracingPolicySpec, kind: TracingPolicy['kind'] = 'TracingPolicy'): TracingPolicy => ({
  apiVersion: 'cilium.io/v1alpha1', kind, metadata: { name: 'p' }, spec,
});
const kprobe = (k: Partial<KProbeSpec>): TracingPolicy => policy({
  kprobes: [{ call: 'security_file_permission', syscall: false, args: [{ index: 0, type: 'file' }, { index: 1, type: 'int' }], ...k }],
});
const codesAndPaths = (issues: PolicyIssue[]) => issues.map((i) => `${i.code} ${i.path}`);

describe('validateTracingPolicy: a valid policy', () => {
  test('GIVEN a kprobe with filters within every limit THEN there is no issue', () => {
    const p = kprobe({
      selectors: [{
        matchArgs: [{ index: 0, operator: 'Prefix', values: ['/etc/'] }, { index: 1, operator: 'Equal', values: ['2'] }],
        matchBinaries: [{ operator: 'In', values: ['/usr/bin/cat'], followChildren: true }],
        matchNamespaces: [{ namespace: 'Pid', operator: 'NotIn', values: ['host_ns'] }],
        matchCapabilities: [{ type: 'Effective', operator: 'In', values: ['CAP_SYS_ADMIN'] }],
        matchActions: [{ action: 'Post', rateLimit: '1m', rateLimitScope: 'process' }],
      }],
    });
    expect(validateTracingPolicy(p)).toEqual([]);
  });
});

// Each case: a policy and the exact code and path the issue must carry.
const cases: [string, TracingPolicy | Record<string, unknown>, string][] = [
  ['unknown field', { ...kprobe({}), spec: { kprobes: [{ call: 'x', argz: [] }] } }, 'DS-TETRA-010 spec.kprobes[0].argz'],
  ['wrong enum value', kprobe({ args: [{ index: 0, type: 'filez' as never }] }), 'DS-TETRA-010 spec.kprobes[0].args[0].type'],
  ['two matchBinaries entries (CRD maxItems 1)', kprobe({ selectors: [{}, {}, { matchBinaries: [{ operator: 'In', values: ['/a'] }, { operator: 'In', values: ['/b'] }] }] }),
    'DS-TETRA-010 spec.kprobes[0].selectors[2].matchBinaries'],
  ['missing required field', { ...kprobe({}), spec: { tracepoints: [{ subsystem: 'raw_syscalls' }] } }, 'DS-TETRA-010 spec.tracepoints[0]'],
  ['wrong apiVersion', { ...kprobe({}), apiVersion: 'cilium.io/v2' }, 'DS-TETRA-011 apiVersion'],
  ['wrong kind', { ...kprobe({}), kind: 'NetworkPolicy' }, 'DS-TETRA-011 kind'],
  ['bad name', { ...kprobe({}), metadata: { name: 'Bad_Name' } }, 'DS-TETRA-012 metadata.name'],
  ['namespace on a cluster-scoped policy', { ...kprobe({}), metadata: { name: 'p', namespace: 'billing' } }, 'DS-TETRA-064 metadata.namespace'],
  ['message too long', kprobe({ message: 'x'.repeat(257) }), 'DS-TETRA-020 spec.kprobes[0].message'],
  ['tag too short', kprobe({ tags: ['ok', 'x'] }), 'DS-TETRA-063 spec.kprobes[0].tags[1]'],
  ['call of an undefined list', kprobe({ call: 'list:missing' }), 'DS-TETRA-021 spec.kprobes[0].call'],
  ['undefined selector macro', kprobe({ selectors: [{ macros: ['nope'] }] }), 'DS-TETRA-021 spec.kprobes[0].selectors[0].macros[0]'],
  ['argument index declared twice', kprobe({ args: [{ index: 0, type: 'file' }, { index: 0, type: 'int' }] }), 'DS-TETRA-022 spec.kprobes[0].args[1].index'],
  ['six selectors', kprobe({ selectors: [{}, {}, {}, {}, {}, {}] }), 'DS-TETRA-030 spec.kprobes[0].selectors'],
  ['six argument filters', kprobe({ selectors: [{ matchArgs: Array.from({ length: 6 }, () => ({ index: 1, operator: 'Equal' as const, values: ['1'] })) }] }),
    'DS-TETRA-031 spec.kprobes[0].selectors[0].matchArgs'],
  ['matchArgs index not declared', kprobe({ selectors: [{ matchArgs: [{ index: 3, operator: 'Equal', values: ['1'] }] }] }),
    'DS-TETRA-032 spec.kprobes[0].selectors[0].matchArgs[0].index'],
  ['operator args outside the declared arguments', kprobe({ selectors: [{ matchArgs: [{ operator: 'CelExpr', args: [5], values: ['true'] }] }] }),
    'DS-TETRA-032 spec.kprobes[0].selectors[0].matchArgs[0].args[0]'],
  ['matchData index out of range', kprobe({ data: [], selectors: [{ matchData: [{ index: 0, operator: 'Equal', values: ['1'] }] }] }),
    'DS-TETRA-032 spec.kprobes[0].selectors[0].matchData[0].index'],
  ['matchReturnArgs without returnArg', kprobe({ selectors: [{ matchReturnArgs: [{ index: 0, operator: 'Equal', values: ['0'] }] }] }),
    'DS-TETRA-032 spec.kprobes[0].selectors[0].matchReturnArgs[0]'],
  ['matchReturnArgs index not the returnArg', kprobe({ return: true, returnArg: { index: 0, type: 'int' }, selectors: [{ matchReturnArgs: [{ index: 1, operator: 'Equal', values: ['0'] }] }] }),
    'DS-TETRA-032 spec.kprobes[0].selectors[0].matchReturnArgs[0].index'],
  ['five PIDs', kprobe({ selectors: [{ matchPIDs: [{ operator: 'In', values: [1, 2, 3, 4, 5] }] }] }), 'DS-TETRA-033 spec.kprobes[0].selectors[0].matchPIDs[0].values'],
  ['five namespace values', kprobe({ selectors: [{ matchNamespaces: [{ namespace: 'Pid', operator: 'In', values: ['1', '2', '3', '4', '5'] }] }] }),
    'DS-TETRA-033 spec.kprobes[0].selectors[0].matchNamespaces[0].values'],
  ['eleven namespace filters', kprobe({ selectors: [{ matchNamespaces: Array.from({ length: 11 }, () => ({ namespace: 'Pid' as const, operator: 'In' as const, values: ['host_ns'] })) }] }),
    'DS-TETRA-033 spec.kprobes[0].selectors[0].matchNamespaces'],
  ['two matchNamespaceChanges', kprobe({ selectors: [{ matchNamespaceChanges: [{ operator: 'In', values: ['Mnt'] }, { operator: 'In', values: ['Pid'] }] }] }),
    'DS-TETRA-033 spec.kprobes[0].selectors[0].matchNamespaceChanges'],
  ['namespace value neither inode nor host_ns', kprobe({ selectors: [{ matchNamespaces: [{ namespace: 'Net', operator: 'In', values: ['host'] }] }] }),
    'DS-TETRA-034 spec.kprobes[0].selectors[0].matchNamespaces[0].values[0]'],
  ['unknown capability', kprobe({ selectors: [{ matchCapabilityChanges: [{ operator: 'In', values: ['CAP_ROOT'] }] }] }),
    'DS-TETRA-061 spec.kprobes[0].selectors[0].matchCapabilityChanges[0].values[0]'],
  ['followChildren with Prefix', kprobe({ selectors: [{ matchParentBinaries: [{ operator: 'Prefix', values: ['/usr/'], followChildren: true }] }] }),
    'DS-TETRA-035 spec.kprobes[0].selectors[0].matchParentBinaries[0].followChildren'],
  ['port operator on a file argument', kprobe({ selectors: [{ matchArgs: [{ index: 0, operator: 'DPort', values: ['80'] }] }] }),
    'DS-TETRA-036 spec.kprobes[0].selectors[0].matchArgs[0].operator'],
  ['FileType on an int argument', kprobe({ selectors: [{ matchArgs: [{ index: 1, operator: 'FileType', values: ['reg'] }] }] }),
    'DS-TETRA-036 spec.kprobes[0].selectors[0].matchArgs[0].operator'],
  ['CapabilitiesGained with one arg', kprobe({ selectors: [{ matchArgs: [{ index: 1, operator: 'CapabilitiesGained', args: [1] }] }] }),
    'DS-TETRA-036 spec.kprobes[0].selectors[0].matchArgs[0].args'],
  ['five numeric values', kprobe({ selectors: [{ matchArgs: [{ index: 1, operator: 'Equal', values: ['1', '2', '3', '4', '5'] }] }] }),
    'DS-TETRA-037 spec.kprobes[0].selectors[0].matchArgs[0].values'],
  ['prefix of 257 characters', kprobe({ selectors: [{ matchArgs: [{ index: 0, operator: 'Prefix', values: [`/${'a'.repeat(256)}`] }] }] }),
    'DS-TETRA-038 spec.kprobes[0].selectors[0].matchArgs[0].values[0]'],
  ['postfix of 128 characters', kprobe({ selectors: [{ matchArgs: [{ index: 0, operator: 'Postfix', values: ['a'.repeat(128)] }] }] }),
    'DS-TETRA-038 spec.kprobes[0].selectors[0].matchArgs[0].values[0]'],
  ['binary path of 256 characters', kprobe({ selectors: [{ matchBinaries: [{ operator: 'In', values: [`/${'b'.repeat(255)}`] }] }] }),
    'DS-TETRA-038 spec.kprobes[0].selectors[0].matchBinaries[0].values[0]'],
  ['substring of 100 characters', kprobe({ selectors: [{ matchArgs: [{ index: 0, operator: 'SubString', values: ['s'.repeat(100)] }] }] }),
    'DS-TETRA-038 spec.kprobes[0].selectors[0].matchArgs[0].values[0]'],
  ['four actions', kprobe({ selectors: [{ matchActions: [{ action: 'Post' }, { action: 'Post' }, { action: 'Post' }, { action: 'Post' }] }] }),
    'DS-TETRA-039 spec.kprobes[0].selectors[0].matchActions'],
  ['matchReturnArgs on an LSM hook', policy({ lsmhooks: [{ hook: 'file_open', args: [{ index: 0, type: 'file' }], selectors: [{ matchReturnArgs: [{ index: 0, operator: 'Equal', values: ['0'] }] }] }] }),
    'DS-TETRA-040 spec.lsmhooks[0].selectors[0].matchReturnArgs[0]'],
  ['GetUrl on an LSM hook', policy({ lsmhooks: [{ hook: 'file_open', selectors: [{ matchActions: [{ action: 'GetUrl', argUrl: 'http://x' }] }] } as LsmHookSpec] }),
    'DS-TETRA-040 spec.lsmhooks[0].selectors[0].matchActions[0].action'],
  ['DnsLookup on a uprobe', policy({ uprobes: [{ path: '/bin/bash', symbols: ['readline'], selectors: [{ matchActions: [{ action: 'DnsLookup', argFqdn: 'x.example' }] }] } as UProbeSpec] }),
    'DS-TETRA-040 spec.uprobes[0].selectors[0].matchActions[0].action'],
  ['Sigkill without opt-in', kprobe({ selectors: [{ matchActions: [{ action: 'Sigkill' }] }] }), 'DS-TETRA-041 spec.kprobes[0].selectors[0].matchActions[0].action'],
  ['rateLimit on a non-Post action', kprobe({ selectors: [{ matchActions: [{ action: 'NoPost', rateLimit: '1m' }] }] }),
    'DS-TETRA-042 spec.kprobes[0].selectors[0].matchActions[0].rateLimit'],
  ['GetUrl without argUrl', kprobe({ selectors: [{ matchActions: [{ action: 'GetUrl' }] }] }), 'DS-TETRA-043 spec.kprobes[0].selectors[0].matchActions[0]'],
  ['Signal without argSig', kprobe({ selectors: [{ matchActions: [{ action: 'Signal' }] }] }), 'DS-TETRA-043 spec.kprobes[0].selectors[0].matchActions[0]'],
  ['Override on a plain kernel function', kprobe({ call: 'fd_install', selectors: [{ matchActions: [{ action: 'Override', argError: -1 }] }] }),
    'DS-TETRA-044 spec.kprobes[0].selectors[0].matchActions[0].action'],
  ['unknown option', policy({ options: [{ name: 'policy-mod', value: 'monitor' }] }), 'DS-TETRA-045 spec.options[0].name'],
  ['bad policy-mode', policy({ options: [{ name: 'policy-mode', value: 'audit' }] }), 'DS-TETRA-062 spec.options[0].value'],
  ['In label expression without values', policy({ podSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }),
    'DS-TETRA-046 spec.podSelector.matchExpressions[0].values'],
];

describe('validateTracingPolicy: every error names its code and the path inside the policy', () => {
  test.each(cases)('%s', (_name, p, expected) => {
    expect(codesAndPaths(validateTracingPolicy(p))).toContain(expected);
  });

  test('every DS-TETRA policy code has a case above', () => {
    const covered = new Set(cases.map(([, , e]) => e.split(' ')[0]));
    const codes = ['010', '011', '012', '020', '021', '022', '030', '031', '032', '033', '034', '035', '036', '037', '038', '039', '040', '041', '042', '043', '044', '045', '046'];
    expect(codes.filter((c) => !covered.has(`DS-TETRA-${c}`))).toEqual([]);
  });
});

describe('enforcement actions: only with opt-in, only where the hook supports them', () => {
  const sigkill = kprobe({ selectors: [{ matchActions: [{ action: 'Sigkill' }] }] });

  test('GIVEN Sigkill WHEN enforcement is allowed THEN it is accepted', () => {
    expect(validateTracingPolicy(sigkill, { allowEnforcement: true })).toEqual([]);
  });

  test('GIVEN Override on a non-syscall, non-security_ kprobe THEN DS-TETRA-044', () => {
    const p = policy({ kprobes: [{ call: 'fd_install', syscall: false, args: [{ index: 0, type: 'int' }], selectors: [{ matchActions: [{ action: 'Override', argError: -1 }] }] }] });
    const issues = validateTracingPolicy(p, { allowEnforcement: true });
    expect(codesAndPaths(issues)).toEqual(['DS-TETRA-044 spec.kprobes[0].selectors[0].matchActions[0].action']);
    expect(issues[0].message).toMatch(/only syscalls and security_ functions/);
  });

  test('GIVEN Override on a tracepoint THEN DS-TETRA-044', () => {
    const p = policy({ tracepoints: [{ subsystem: 'syscalls', event: 'sys_enter_openat', selectors: [{ matchActions: [{ action: 'Override', argError: -1 }] }] } as TracepointSpec] });
    expect(codesAndPaths(validateTracingPolicy(p, { allowEnforcement: true }))).toEqual(['DS-TETRA-044 spec.tracepoints[0].selectors[0].matchActions[0].action']);
  });

  test.each([
    ['a syscall kprobe (syscall defaults to true)', policy({ kprobes: [{ call: 'sys_symlinkat', args: [{ index: 0, type: 'string' }], selectors: [{ matchActions: [{ action: 'Override', argError: -1 }] }] }] })],
    ['a security_ kprobe', policy({ kprobes: [{ call: 'security_file_open', syscall: false, selectors: [{ matchActions: [{ action: 'Override', argError: -1 }] }] }] })],
    ['an LSM hook', policy({ lsmhooks: [{ hook: 'file_open', selectors: [{ matchActions: [{ action: 'Override', argError: -1 }] }] }] })],
    ['a uprobe with argNewSymbol', policy({ uprobes: [{ path: '/app', symbols: ['malloc'], selectors: [{ matchActions: [{ action: 'Override', argNewSymbol: 'malloc_patched' }] }] }] })],
  ])('GIVEN Override on %s WHEN opted in THEN it is accepted', (_name, p) => {
    expect(validateTracingPolicy(p, { allowEnforcement: true })).toEqual([]);
  });

  test('GIVEN Override without argError on a kprobe THEN DS-TETRA-043', () => {
    const p = policy({ kprobes: [{ call: 'sys_openat', selectors: [{ matchActions: [{ action: 'Override' }] }] }] });
    expect(codesAndPaths(validateTracingPolicy(p, { allowEnforcement: true }))).toEqual(['DS-TETRA-043 spec.kprobes[0].selectors[0].matchActions[0]']);
  });

  test('GIVEN NotifyEnforcer without spec.enforcers THEN DS-TETRA-043', () => {
    const p = policy({ kprobes: [{ call: 'sys_openat', selectors: [{ matchActions: [{ action: 'NotifyEnforcer', argError: -1 }] }] }] });
    expect(codesAndPaths(validateTracingPolicy(p, { allowEnforcement: true }))).toEqual(['DS-TETRA-043 spec.kprobes[0].selectors[0].matchActions[0]']);
  });
});

describe('argument filters that are not limited to 4 values', () => {
  test('GIVEN Equal on a string (file) argument with 6 values THEN no issue (strings live in a map)', () => {
    const p = kprobe({ selectors: [{ matchArgs: [{ index: 0, operator: 'Equal', values: ['/a', '/b', '/c', '/d', '/e', '/f'] }] }] });
    expect(validateTracingPolicy(p)).toEqual([]);
  });

  test('GIVEN a tracepoint filter by position in args THEN the index names the argument (Tetragon rewrites it)', () => {
    const p = policy({ tracepoints: [{ subsystem: 'raw_syscalls', event: 'sys_enter', args: [{ index: 4, type: 'syscall64' }], selectors: [{ matchArgs: [{ index: 0, operator: 'Equal', values: ['59'] }] }] }] });
    expect(validateTracingPolicy(p)).toEqual([]);
  });
});
