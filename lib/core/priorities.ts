import { DetectionStackError } from './errors';

/** Falco priorities, highest first, spelled as Falcosidekick writes them in the `priority` label. */
export type FalcoPriority = 'Emergency' | 'Alert' | 'Critical' | 'Error' | 'Warning' | 'Notice' | 'Informational' | 'Debug';

/** Falco priorities from highest to lowest. */
export const FALCO_PRIORITIES: readonly FalcoPriority[] = [
  'Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug',
];

/** Rank of a priority: 0 is the highest (Emergency). */
export function rankOfPriority(priority: FalcoPriority): number {
  return FALCO_PRIORITIES.indexOf(priority);
}

/** True when `priority` is lower (less severe) than `threshold`. */
export function isBelow(priority: FalcoPriority, threshold: FalcoPriority): boolean {
  return rankOfPriority(priority) > rankOfPriority(threshold);
}

/** Every priority at or above `minimum`, highest first. */
export function prioritiesAtOrAbove(minimum: FalcoPriority): FalcoPriority[] {
  return FALCO_PRIORITIES.slice(0, rankOfPriority(minimum) + 1);
}

/** The lowest of some priorities. */
export function lowestPriority(priorities: readonly FalcoPriority[]): FalcoPriority | undefined {
  return priorities.reduce<FalcoPriority | undefined>((low, p) => (low === undefined || isBelow(p, low) ? p : low), undefined);
}

/** Falcosidekick's config spells priorities in lowercase (`minimumpriority: critical`). */
export function sidekickPriority(priority: FalcoPriority): string {
  return priority.toLowerCase();
}

export function requirePriority(where: string, value: unknown): FalcoPriority {
  if (!(FALCO_PRIORITIES as readonly unknown[]).includes(value)) {
    throw new DetectionStackError('DS-ROUTE-001', where, `unknown priority '${String(value)}'`,
      `use one of ${FALCO_PRIORITIES.map((p) => `'${p}'`).join(', ')}`);
  }
  return value as FalcoPriority;
}
