import { parse } from 'yaml';

/**
 * Probe rules built from rules files, so that the replay differential evaluates the pieces of every rule on host
 * captures where the rules themselves hardly fire: one probe per macro (its condition is the macro's name), and per
 * rule one probe per top-level disjunct, or per prefix of its top-level conjunction (`a`, `a and b`, ... without the
 * whole, which is the rule itself). Exceptions and appends are left out: the rules themselves carry them.
 *
 * Each probe is restricted to the event types given (those of the captures): a Falco rule without an event-type
 * restriction costs Falco about 5 ms to load (0.44.1, 300 such rules take 1.4 s of CPU against 0.1 s restricted),
 * and the probes are loaded once per capture.
 */

export interface Probe {
  readonly name: string;
  readonly condition: string;
}

type Item = {
  readonly macro?: unknown;
  readonly rule?: unknown;
  readonly condition?: unknown;
  readonly source?: unknown;
  readonly append?: unknown;
  readonly override?: unknown;
};

const WORD = /[A-Za-z0-9_.\-[\]]/;

/** The offsets of a text outside quotes, with the bracket depth before each character. */
function* unquoted(text: string): Generator<[number, number]> {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '\'') {
      const end = text.indexOf(c, i + 1);
      i = end < 0 ? text.length : end;
      continue;
    }
    yield [i, depth];
    if (c === '(') depth++;
    else if (c === ')') depth--;
  }
}

/** Whether the text is wholly in one pair of brackets. */
function bracketed(text: string): boolean {
  if (!text.startsWith('(')) return false;
  for (const [i, depth] of unquoted(text)) if (text[i] === ')' && depth === 1) return i === text.length - 1;
  return false;
}

/**
 * The condition cut at its top level (outside brackets and quotes) at the keyword: the pieces' ends, so that
 * `text.slice(0, end)` is a prefix made of whole pieces. A condition wholly in brackets is looked into.
 */
function topLevelCuts(text: string, keyword: 'and' | 'or'): { readonly inner: string; readonly cuts: number[] } {
  let inner = text.trim();
  while (bracketed(inner)) inner = inner.slice(1, -1).trim();
  const cuts: number[] = [];
  let skipTo = 0;
  for (const [i, depth] of unquoted(inner)) {
    if (i < skipTo || depth !== 0 || !inner.startsWith(keyword, i)) continue;
    if (WORD.test(inner[i - 1] ?? ' ') || WORD.test(inner[i + keyword.length] ?? ' ')) continue;
    cuts.push(i);
    skipTo = i + keyword.length;
  }
  return { inner, cuts };
}

/** The probe conditions of one rule condition: its top-level disjuncts, or else the prefixes of its conjunction. */
export function conditionPieces(condition: string): string[] {
  const ors = topLevelCuts(condition, 'or');
  if (ors.cuts.length > 0) {
    const starts = [0, ...ors.cuts.map((c) => c + 2)];
    const ends = [...ors.cuts, ors.inner.length];
    return starts.map((s, i) => ors.inner.slice(s, ends[i]).trim());
  }
  const ands = topLevelCuts(condition, 'and');
  return ands.cuts.map((c) => ands.inner.slice(0, c).trim());
}

/** The probes of the syscall macros and rules of the files' contents, names unique, in file order. */
export function probesOf(contents: readonly string[], eventTypes: readonly string[]): Probe[] {
  const restricted = (condition: string) => `evt.type in (${eventTypes.join(', ')}) and (${condition})`;
  const probes = new Map<string, Probe>();
  for (const content of contents) {
    for (const item of (parse(content) as Item[] | null) ?? []) {
      if ((item.source !== undefined && item.source !== 'syscall') || item.append !== undefined || item.override !== undefined) continue;
      if (typeof item.macro === 'string') {
        probes.set(`Probe macro ${item.macro}`, { name: `Probe macro ${item.macro}`, condition: restricted(item.macro) });
      } else if (typeof item.rule === 'string' && typeof item.condition === 'string') {
        conditionPieces(item.condition).forEach((condition, i) => {
          const name = `Probe rule ${item.rule as string} #${i + 1}`;
          probes.set(name, { name, condition: restricted(condition) });
        });
      }
    }
  }
  return [...probes.values()];
}
