// The seed detections as typed TracingPolicyNamespaced objects, one per product namespace, in monitor mode.
// Hooks and argument types follow Tetragon's documented hook points (docs/content/en/docs/concepts/tracing-policy/).
import type { KProbeSpec, TracingPolicy } from './model';
import type { SeedPattern, TetragonDetection } from './props';

export interface SeedOptions {
  readonly namespaces: readonly string[];
  readonly owner: string;
  readonly noNetworkBinaries: readonly string[];
}

interface SeedDefinition {
  readonly description: string;
  /** MITRE ATT&CK technique ids. */
  readonly mitre: readonly string[];
  readonly kprobes: (o: SeedOptions) => KProbeSpec[];
}

// Shells and package managers are matched by path suffix so that /bin, /usr/bin and /usr/local/bin all match.
const SHELL_SUFFIXES = ['/sh', '/bash', '/dash', '/zsh', '/ksh', '/ash', '/csh', '/tcsh', '/fish'];
const PACKAGE_MANAGER_SUFFIXES = [
  '/apt', '/apt-get', '/aptitude', '/dpkg', '/yum', '/dnf', '/microdnf', '/rpm', '/zypper', '/apk', '/pip', '/pip3',
  '/npm', '/gem',
];
/** Written by a compromised workload to persist or escalate: host config, SSH keys, kubelet state, service-account tokens. */
export const SENSITIVE_PATH_PREFIXES = [
  '/etc/', '/root/.ssh/', '/var/lib/kubelet/', '/etc/kubernetes/', '/var/run/secrets/kubernetes.io/serviceaccount/',
  '/run/secrets/kubernetes.io/serviceaccount/', '/var/run/secrets/eks.amazonaws.com/serviceaccount/',
];
export const DEFAULT_NO_NETWORK_BINARIES = [
  '/bin/sh', '/bin/bash', '/bin/dash', '/usr/bin/sh', '/usr/bin/bash', '/usr/bin/dash', '/usr/bin/perl', '/usr/bin/awk',
  '/usr/bin/gawk', '/usr/bin/mawk',
];
// security_file_permission(file, mask): MAY_WRITE is 2 (include/linux/fs.h).
const MAY_WRITE = '2';
// ptrace requests that inject into another process: PTRACE_POKETEXT 4, PTRACE_POKEDATA 5, PTRACE_ATTACH 16, PTRACE_SEIZE 0x4206.
const PTRACE_INJECT_REQUESTS = ['4', '5', '16', '16902'];
const PRIVILEGED_CAPABILITIES = ['CAP_SYS_ADMIN', 'CAP_SYS_MODULE', 'CAP_SYS_PTRACE', 'CAP_NET_ADMIN', 'CAP_DAC_OVERRIDE', 'CAP_SETUID', 'CAP_SETGID', 'CAP_BPF'];

const execOf = (suffixes: readonly string[]): KProbeSpec[] => [{
  call: 'security_bprm_check',
  syscall: false,
  args: [{ index: 0, type: 'linux_binprm' }],
  selectors: [{ matchArgs: [{ index: 0, operator: 'Postfix', values: suffixes }] }],
}];

const rootId = (call: string): KProbeSpec => ({
  call,
  syscall: false,
  args: [{ index: 0, type: 'int' }],
  selectors: [{ matchArgs: [{ index: 0, operator: 'Equal', values: ['0'] }], matchActions: [{ action: 'Post', rateLimit: '1m' }] }],
});

export const SEED_DEFINITIONS: Readonly<Record<SeedPattern, SeedDefinition>> = {
  'shell-in-container': {
    description: 'A shell was started in a container',
    mitre: ['T1059.004'],
    kprobes: () => execOf(SHELL_SUFFIXES),
  },
  'package-manager-exec': {
    description: 'A package manager ran in a product container (drift from the image)',
    mitre: ['T1105'],
    kprobes: () => execOf(PACKAGE_MANAGER_SUFFIXES),
  },
  'sensitive-file-write': {
    description: 'A write under a sensitive path: /etc, SSH keys, kubelet state or service-account tokens',
    mitre: ['T1098.004', 'T1552.001'],
    kprobes: () => [{
      call: 'security_file_permission',
      syscall: false,
      args: [{ index: 0, type: 'file' }, { index: 1, type: 'int' }],
      selectors: [{
        matchArgs: [
          { index: 0, operator: 'Prefix', values: SENSITIVE_PATH_PREFIXES },
          { index: 1, operator: 'Equal', values: [MAY_WRITE] },
        ],
      }],
    }],
  },
  'unexpected-outbound': {
    description: 'An outbound TCP connection from a binary that should never open one (reverse shell)',
    mitre: ['T1095'],
    kprobes: (o) => [{
      call: 'tcp_connect',
      syscall: false,
      args: [{ index: 0, type: 'sock' }],
      selectors: [{
        matchBinaries: [{ operator: 'In', values: o.noNetworkBinaries }],
        matchArgs: [{ index: 0, operator: 'NotDAddr', values: ['127.0.0.0/8', '::1/128'] }],
      }],
    }],
  },
  'privilege-change': {
    description: 'A process became root (setuid/setgid 0) or gained a privileged capability',
    mitre: ['T1548'],
    kprobes: () => [rootId('__sys_setuid'), rootId('__sys_setgid'), {
      // Capabilities are compared with those recorded at exec (selectors.md "Capability changes filter"), so the
      // gain shows on the process's next hooked call; fd_install (every file it opens) is that call, as upstream's
      // fd_install_cap_changes example does.
      call: 'fd_install',
      syscall: false,
      args: [{ index: 0, type: 'int' }, { index: 1, type: 'file' }],
      selectors: [{
        matchCapabilityChanges: [{ type: 'Effective', operator: 'In', isNamespaceCapability: false, values: PRIVILEGED_CAPABILITIES }],
        matchActions: [{ action: 'Post', rateLimit: '1m' }],
      }],
    }],
  },
  'ptrace': {
    description: 'A process attached to or wrote into another process with ptrace',
    mitre: ['T1055.008'],
    kprobes: () => [{
      call: 'sys_ptrace',
      syscall: true,
      args: [{ index: 0, type: 'int' }, { index: 1, type: 'int' }],
      selectors: [{ matchArgs: [{ index: 0, operator: 'Equal', values: PTRACE_INJECT_REQUESTS }] }],
    }],
  },
};

/** Labels that carry a detection's identity on its policy objects. */
export const DETECTION_LABELS = {
  pattern: 'detection-stack.io/pattern',
  owner: 'detection-stack.io/owner',
  detection: 'detection-stack.io/detection',
} as const;

/** The seed detection of one pattern: a monitor-mode TracingPolicyNamespaced per product namespace. */
export function seedDetection(pattern: SeedPattern, options: SeedOptions): TetragonDetection {
  const def = SEED_DEFINITIONS[pattern];
  return monitorDetection(pattern, { description: def.description, mitre: def.mitre, kprobes: def.kprobes(options) }, options);
}

/**
 * A detection as Tetragon runs it here: one monitor-mode TracingPolicyNamespaced per product namespace,
 * labelled with its pattern and owner, every hook tagged with the pattern and its MITRE techniques.
 */
export function monitorDetection(
  pattern: string,
  def: { readonly description: string; readonly mitre: readonly string[]; readonly kprobes: readonly KProbeSpec[] },
  options: { readonly namespaces: readonly string[]; readonly owner: string },
): TetragonDetection {
  const tags = ['detection-stack', `pattern:${pattern}`, ...def.mitre.map((t) => `mitre:${t}`)];
  const policies: TracingPolicy[] = options.namespaces.map((namespace) => ({
    apiVersion: 'cilium.io/v1alpha1',
    kind: 'TracingPolicyNamespaced',
    metadata: {
      name: `ds-${pattern}`,
      namespace,
      labels: { [DETECTION_LABELS.detection]: pattern, [DETECTION_LABELS.pattern]: pattern, [DETECTION_LABELS.owner]: options.owner },
    },
    spec: {
      kprobes: def.kprobes.map((k) => ({ ...k, message: def.description, tags })),
      options: [{ name: 'policy-mode', value: 'monitor' }],
    },
  }));
  return { id: pattern, pattern, owner: options.owner, tags, description: def.description, policies };
}
