import type { TracingPolicy } from './model';
import type { FalcoPriority } from '../core/priorities';

/** The seed detection patterns this project ships as Tetragon policies. */
export const SEED_PATTERNS = [
  'shell-in-container', 'package-manager-exec', 'sensitive-file-write', 'unexpected-outbound', 'privilege-change', 'ptrace',
] as const;
export type SeedPattern = (typeof SEED_PATTERNS)[number];

/** A detection carried by Tetragon: a policy plus who owns it and what it is about. */
export interface TetragonDetection {
  /** Stable identifier, unique in the stack (a DNS label), e.g. `shell-in-container`. */
  readonly id: string;
  /**
   * The detection pattern: two detections with the same pattern on Falco and on Tetragon overlap.
   * Use a seed pattern or your own kebab-case id.
   */
  readonly pattern: string;
  /** Team that owns (triages) the alerts. */
  readonly owner: string;
  /** Tags for routing and reports (MITRE technique ids, categories). @default none */
  readonly tags?: readonly string[];
  /** One sentence: what the detection is about. @default none */
  readonly description?: string;
  /**
   * Priority of its alerts, on Falco's scale, so the team routes' thresholds apply to Tetragon's alerts as to Falco's.
   * @default 'Warning'
   */
  readonly priority?: FalcoPriority;
  /** The policies implementing the detection. */
  readonly policies: readonly TracingPolicy[];
}

/** Explicit opt-in to policies that stop or alter processes (Sigkill, Signal, Override, NotifyEnforcer, Set). */
export interface TetragonEnforcementProps {
  /** Allow enforcement actions in policies. */
  readonly enabled: boolean;
  /** Why enforcement is acceptable here (reviewed like code, at least 10 characters). */
  readonly reason: string;
}

/** Container images; each must be pinned by tag (and digest where possible). */
export interface TetragonImagesProps {
  /** @default quay.io/cilium/tetragon:v1.7.0 with its digest */
  readonly agent?: string;
  /** @default quay.io/cilium/tetragon-operator:v1.7.0 with its digest */
  readonly operator?: string;
  /**
   * The export-stdout sidecar's image, with its digest (`quay.io/cilium/hubble-export-stdout:v1.1.1@sha256:...`).
   * Only with `export.stdoutSidecar: true`; required then, since no digest of it could be verified for the default.
   */
  readonly exportStdout?: string;
}

/** Where and what Tetragon writes as JSON events. */
export interface TetragonExportProps {
  /** Host directory of the export file (the shipper tails it). @default '/var/log/tetragon' */
  readonly directory?: string;
  /**
   * Opt-in: the chart's hubble-export-stdout sidecar, which copies the export file to the pod's log (`kubectl logs`).
   * Nothing in the stack needs it (the shipper tails the file), it runs as root to read the agent's 0600 file, and its
   * image needs `images.exportStdout` with a digest. @default false
   */
  readonly stdoutSidecar?: boolean;
  /** Export file name. @default 'tetragon.log' */
  readonly fileName?: string;
  /** Rotate the export file at this size. @default 10 */
  readonly maxSizeMb?: number;
  /** Rotated files kept. @default 5 */
  readonly maxBackups?: number;
  /** Events exported per minute at most; -1 means unlimited. @default -1 */
  readonly rateLimitPerMinute?: number;
  /** Namespaces whose events are not exported. @default kube-system, kube-public, kube-node-lease, the stack's namespace and, with routing, the routing namespace */
  readonly denyNamespaces?: readonly string[];
  /** Tetragon field filters, one JSON object each (see Tetragon "Field Filtering"). @default none */
  readonly fieldFilters?: readonly Readonly<Record<string, unknown>>[];
  /**
   * Redaction filters, one JSON object each with `redact` RE2 patterns (capture groups are replaced by `*****`).
   * @default redact values of --password/--token/--secret style arguments and *_PASSWORD/*_TOKEN/*_SECRET variables
   */
  readonly redactionFilters?: readonly Readonly<Record<string, unknown>>[];
}

/** CPU/memory of one container. */
export interface TetragonResourcesProps {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/** Tetragon sensor. */
export interface TetragonSensorProps {
  /** Namespaces of the product workloads the seed detections watch. @default none (no seed detection is deployed) */
  readonly productNamespaces?: readonly string[];
  /** Seed patterns to deploy for the product namespaces. @default every seed pattern */
  readonly seedPatterns?: readonly SeedPattern[];
  /** Team owning the seed detections. @default 'platform-security' */
  readonly owner?: string;
  /** Binaries that should never open network connections (for `unexpected-outbound`). @default shells, perl, awk */
  readonly noNetworkBinaries?: readonly string[];
  /** Your own detections. @default none */
  readonly detections?: readonly TetragonDetection[];
  /** Enforcement opt-in. @default none: every policy must only observe */
  readonly enforcement?: TetragonEnforcementProps;
  /** Images. @default the pinned release images */
  readonly images?: TetragonImagesProps;
  /** JSON export. @default see TetragonExportProps */
  readonly export?: TetragonExportProps;
  /** Agent container resources. @default requests 100m/256Mi, limits 1 CPU/1Gi */
  readonly agentResources?: TetragonResourcesProps;
  /** export-stdout container resources (with `export.stdoutSidecar`). @default requests 10m/32Mi, limits 100m/64Mi */
  readonly exportStdoutResources?: TetragonResourcesProps;
  /** Operator resources. @default requests 10m/64Mi, limits 500m/128Mi (the chart's defaults) */
  readonly operatorResources?: TetragonResourcesProps;
  /**
   * The agent shares the node's network: its metrics and health servers listen on the node's primary address
   * (`status.podIP`, IPv4 or IPv6), not on every interface. Set this, with the reason, where another interface of the
   * node must reach them (a scraper on a second network, for example).
   * @default unset (node's primary address only)
   */
  readonly listenOnAllInterfaces?: { readonly reason: string };
}

/** Which sensor owns one overlapping detection pattern, and where its alerts go. */
export interface DetectionOwnershipProps {
  /** The pattern both sensors detect (e.g. `shell-in-container`). */
  readonly pattern: string;
  /** The sensor whose detection is deployed and alerts. The other sensor's detection of this pattern is not. */
  readonly sensor: 'falco' | 'tetragon';
  /** Where the owner's alerts go: route or receiver names of the routing layer (the durable bucket always gets them). */
  readonly alertsTo: readonly string[];
}

/** Which sensor owns which detection when Falco and Tetragon run together. */
export interface SensorOwnershipProps {
  /** One entry per overlapping pattern. @default none */
  readonly detections?: readonly DetectionOwnershipProps[];
  /**
   * Patterns Falco's rules detect. Falco rules tagged `pattern:<id>` count too, once the Falco layer reports its tags.
   * @default none
   */
  readonly falcoPatterns?: readonly string[];
}
