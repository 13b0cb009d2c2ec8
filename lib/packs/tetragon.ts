import { MINER_BINARIES } from './props';
import type { KProbeSpec } from '../tetragon/model';
import type { TetragonDetection } from '../tetragon/props';
import { SEED_PATTERNS, SeedPattern } from '../tetragon/props';
import { monitorDetection, seedDetection } from '../tetragon/seed';

/**
 * Runtime patterns of the packs that Tetragon can express beyond the Tetragon layer's seed policies.
 * Both hook `security_bprm_check` (every exec, with the binary's path), as the seed exec policies do.
 * Tetragon sees the path of the new program, not its command line: the miner pattern matches miner
 * binary names only (the Falco rule also matches Stratum URLs on the command line).
 */
export const PACK_TETRAGON_PATTERNS = ['exec-from-temp-dir', 'crypto-miner'] as const;
export type PackTetragonPattern = (typeof PACK_TETRAGON_PATTERNS)[number];

/** A pattern both sensors can detect: a Tetragon seed pattern or one of the packs' own. */
export type SensorNeutralPattern = SeedPattern | PackTetragonPattern;

const execMatching = (operator: 'Prefix' | 'Postfix', values: readonly string[]): KProbeSpec[] => [{
  call: 'security_bprm_check',
  syscall: false,
  args: [{ index: 0, type: 'linux_binprm' }],
  selectors: [{ matchArgs: [{ index: 0, operator, values: [...values] }] }],
}];

const DEFINITIONS: Readonly<Record<PackTetragonPattern, { description: string; mitre: readonly string[]; kprobes: KProbeSpec[] }>> = {
  'exec-from-temp-dir': {
    description: 'A binary under /tmp, /var/tmp or /dev/shm was executed',
    mitre: ['T1059', 'T1036'],
    kprobes: execMatching('Prefix', ['/tmp/', '/var/tmp/', '/dev/shm/']),
  },
  'crypto-miner': {
    description: 'A known cryptocurrency miner binary was executed',
    mitre: ['T1496'],
    kprobes: execMatching('Postfix', MINER_BINARIES.map((b) => `/${b}`)),
  },
};

/** The Tetragon detection of a pattern for the product namespaces: monitor-mode policies, one per namespace. */
export function tetragonDetectionFor(
  pattern: SensorNeutralPattern,
  options: { readonly namespaces: readonly string[]; readonly owner: string; readonly noNetworkBinaries: readonly string[] },
): TetragonDetection {
  if ((SEED_PATTERNS as readonly string[]).includes(pattern)) return seedDetection(pattern as SeedPattern, options);
  return monitorDetection(pattern, DEFINITIONS[pattern as PackTetragonPattern], options);
}
