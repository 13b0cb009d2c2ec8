import type { PackName } from './types';
import type { RuleException } from '../falco/rules/model';

/**
 * The parameters of the detection packs: what is "production" for this product, what is
 * expected there, and who answers each alert. Every value given here reaches a Falco
 * condition only through the safe condition builder (quoted, never parsed as syntax).
 */
export interface DetectionPackProps {
  /** Product namespaces the packs watch (DNS labels), e.g. `['billing', 'checkout', 'identity']`. */
  readonly namespaces: readonly string[];
  /**
   * Which packs to build.
   * @default ['runtime', 'k8s-audit']
   */
  readonly packs?: readonly PackName[];
  /**
   * The team that owns every rule not named in `owners`.
   * @default 'security'
   */
  readonly defaultOwner?: string;
  /**
   * Owners by rule ID (`ds-shell-in-product-container`), by pack (`runtime`, `k8s-audit`)
   * or by product namespace is not possible (a rule covers all of them); a rule ID wins over a pack.
   * @default every rule owned by `defaultOwner`
   */
  readonly owners?: Readonly<Record<string, string>>;
  /**
   * Image repositories (`container.image.repository`, without tag) trusted to run shells,
   * package managers and tools in the product namespaces, e.g. a debug toolbox image.
   * @default none
   */
  readonly allowedImages?: readonly string[];
  /**
   * Binary names (`proc.name`) expected to be dropped into or run from writable paths of a
   * product container (e.g. a JIT or a plugin loader).
   * @default none
   */
  readonly allowedBinaries?: readonly string[];
  /**
   * Binaries that should never open network connections from a product container.
   * @default the shells plus common file tools (see `DEFAULT_NETWORK_SILENT_BINARIES`)
   */
  readonly networkSilentBinaries?: readonly string[];
  /**
   * Path prefixes whose writes are suspicious in a product container (end directories with `/`).
   * @default `DEFAULT_SENSITIVE_PATHS`
   */
  readonly sensitivePaths?: readonly string[];
  /**
   * Kubernetes identities (`ka.user.name`) expected to exec into workloads, read secrets or
   * request service-account tokens in the product namespaces (CI deployers, break-glass users).
   * @default none
   */
  readonly trustedIdentities?: readonly string[];
  /**
   * Namespaces where privileged workloads and host mounts are expected (the platform's own agents).
   * @default ['kube-system'] plus the stack's namespace when built through a stack
   */
  readonly infraNamespaces?: readonly string[];
  /**
   * Rule IDs to load disabled (`enabled: false`); they stay in the report as disabled.
   * @default none
   */
  readonly disabledRules?: readonly string[];
  /**
   * Teams whose rules are left out altogether (not loaded, no runbook), e.g. teams with no namespace in this
   * cluster: a fleet sets it for the teams it does not route in a cluster. Each must own a rule of the packs built.
   * @default none
   */
  readonly excludeOwners?: readonly string[];
  /**
   * Falco exceptions per rule ID, appended to the rule's own.
   * @default none
   */
  readonly exceptions?: Readonly<Record<string, readonly RuleException[]>>;
  /**
   * Where the runbooks are published (e.g. the Git web view of the synthesized `runbooks/` folder).
   * When set, every alert ends with `runbook=<url>/<rule-id>.md` instead of the bare ID.
   * @default none (alerts carry `runbook=<rule-id>`)
   */
  readonly runbookBaseUrl?: string;
  /**
   * Response hooks (e.g. a Falco Talon action name such as `kubernetes:terminate`) by rule ID.
   * Only high-confidence rules at CRITICAL or above may carry one: the `DS-PACK-101`
   * guardrail fails synth otherwise.
   * @default none (no automated response)
   */
  readonly responseHooks?: Readonly<Record<string, string>>;
}

/** Shells, as `proc.name`. */
export const SHELL_BINARIES: readonly string[] = ['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'csh', 'tcsh', 'fish', 'busybox'];

/** Package managers, as `proc.name`. */
export const PACKAGE_MANAGER_BINARIES: readonly string[] = [
  'apt', 'apt-get', 'aptitude', 'dpkg', 'yum', 'dnf', 'microdnf', 'rpm', 'zypper', 'apk', 'pacman',
  'pip', 'pip3', 'npm', 'yarn', 'gem',
];

export const DEFAULT_NETWORK_SILENT_BINARIES: readonly string[] = [
  ...SHELL_BINARIES, 'cat', 'tar', 'gzip', 'find', 'awk', 'sed', 'grep', 'ls', 'cp', 'mv',
];

export const DEFAULT_SENSITIVE_PATHS: readonly string[] = [
  '/etc/', '/root/.ssh/', '/root/.bashrc', '/root/.profile', '/var/spool/cron/', '/usr/lib/systemd/', '/lib/systemd/',
];

/** Process names of common cryptocurrency miners. */
export const MINER_BINARIES: readonly string[] = [
  'xmrig', 'xmr-stak', 'minerd', 'cpuminer', 'cgminer', 'bfgminer', 'ccminer', 'ethminer', 'nbminer', 't-rex', 'lolminer', 'nanominer',
];

/** Command-line markers of the Stratum mining protocol. */
export const STRATUM_MARKERS: readonly string[] = ['stratum+tcp://', 'stratum+ssl://', 'stratum2+tcp://', 'stratum2+ssl://', 'stratum+tls://'];

/** Ports mining pools commonly listen on. */
export const MINING_POOL_PORTS: readonly number[] = [3333, 4444, 5555, 7777, 9999, 14433, 14444, 45560, 45700];

/** Capabilities whose gain in a product container is worth an alert. */
export const DANGEROUS_CAPABILITIES: readonly string[] = [
  'CAP_SYS_ADMIN', 'CAP_SYS_MODULE', 'CAP_SYS_PTRACE', 'CAP_SYS_RAWIO', 'CAP_DAC_READ_SEARCH', 'CAP_NET_ADMIN', 'CAP_BPF',
];

/** The same capabilities as Kubernetes spells them in `securityContext.capabilities.add` (a `CAP_` prefix is also matched). */
export const DANGEROUS_K8S_CAPABILITIES: readonly string[] = [
  'ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'DAC_READ_SEARCH', 'NET_ADMIN', 'BPF',
];

/** Host paths whose mount gives a pod the node. */
export const SENSITIVE_HOST_PATHS: readonly string[] = [
  '/', '/etc', '/root', '/proc', '/sys', '/var/lib/kubelet', '/var/run', '/run',
  '/var/run/docker.sock', '/run/containerd/containerd.sock', '/var/run/crio/crio.sock', '/var/lib/etcd', '/home/admin',
];

/** Workload resources whose pod template could be privileged. */
export const POD_RESOURCES: readonly string[] = ['pods'];
