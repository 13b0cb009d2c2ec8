import type { ExportedMetric } from './metrics';

/**
 * PromQL built from the metric catalogue, with every value quoted here: a rule name, namespace or team can
 * never change the structure of an expression.
 */

/** A PromQL double-quoted string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** An RE2 pattern matching exactly one of the values (label regexes are anchored by Prometheus). */
export function anyOf(values: readonly string[]): string {
  return values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** A label matcher: `=` for a string, `=~` / `!~` for `{ re }` / `{ notRe }`. */
export type Matcher = string | { readonly re: string } | { readonly notRe: string };

/** `metric{label="value", ...}` for a catalogued metric. */
export function sel(metric: ExportedMetric, matchers: Readonly<Record<string, Matcher>> = {}): string {
  const parts = Object.entries(matchers).map(([label, m]) => {
    if (typeof m === 'string') return `${label}=${quote(m)}`;
    return 're' in m ? `${label}=~${quote(m.re)}` : `${label}!~${quote(m.notRe)}`;
  });
  return parts.length === 0 ? metric.name : `${metric.name}{${parts.join(', ')}}`;
}

/** The `job` matcher of one scrape target or several. */
export function jobs(...names: string[]): Matcher {
  return names.length === 1 ? names[0] : { re: anyOf(names) };
}

/** Prometheus durations (`10m`, `1h30m`) in seconds. */
export function durationSeconds(duration: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * units[unit];
  return total;
}

/** Seconds as the shortest Prometheus duration of whole minutes (at least 1m). */
export function minutesDuration(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 || h === 0 ? `${m}m` : ''}`;
}
