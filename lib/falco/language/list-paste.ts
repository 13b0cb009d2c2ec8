import { isToken } from './lexer';
import { ConditionSyntaxError, parseCondition } from './parser';
import { print } from './printer';

/**
 * Falco substitutes list names in a condition's text before parsing it: each item is pasted as text,
 * quoted only when it has a space and does not start with a quote (rule_loader_compiler.cpp, resolve_list
 * and quote_item, falcosecurity/falco 0.44). An item is therefore read by the condition lexer, and an item
 * such as `x)or(proc.name=bash` would change the condition's structure.
 */

/** The text Falco pastes for a list item (or an exception value). */
export function pasteListItem(item: string): string {
  return item.includes(' ') && item[0] !== '"' && item[0] !== "'" ? `"${item}"` : item;
}

/** What a pasted list item reads as: one value, or why it is not one. */
export type PastedItem = { readonly value: string } | { readonly problem: string };

/** How the condition lexer reads a list item once Falco pastes it into `field in (...)`. */
export function readPastedListItem(item: string): PastedItem {
  // a bare word (what nearly every item is) reads as itself: no parse needed
  if (isToken('bareString', item)) return { value: item };
  const pasted = pasteListItem(item);
  const probe = `x.y in (${pasted})`;
  let parsed;
  try {
    parsed = parseCondition(probe);
  } catch (e) {
    if (!(e instanceof ConditionSyntaxError)) throw e;
    return { problem: `pasted as ${JSON.stringify(pasted)}, it is not a value (${e.message})` };
  }
  if (parsed.kind === 'binaryCheck' && parsed.right.kind === 'list' && parsed.right.items.length === 1) {
    return { value: parsed.right.items[0].value };
  }
  if (parsed.kind === 'binaryCheck' && parsed.right.kind === 'list') {
    return { problem: `pasted as ${JSON.stringify(pasted)}, it reads as ${parsed.right.items.length} values` };
  }
  return { problem: `pasted as ${JSON.stringify(pasted)}, it changes the condition's structure: \`${probe}\` reads as \`${print(parsed)}\`` };
}

/** A list as Falco's compiler substitutes it: its name and the items it pastes. */
export interface PastedList {
  readonly name: string;
  readonly items: readonly string[];
}

/** The characters that must surround a list name for Falco to substitute it (resolve_list: blanks and `(),=`). */
const SUBSTITUTION_DELIMITERS = /[ \t\n\r(),=]+/;

/**
 * The names of the lists Falco substitutes into a condition text, and so counts as used (LOAD_UNUSED_LIST).
 * Falco tries every list, in definition order, on the text: a name is substituted wherever the characters
 * around it are delimiters, outside or inside quotes alike (`"a shells b"` names the list `shells`), and the
 * items it pastes can name a list tried after it. `order` gives each list's place in that order.
 */
export function substitutedListNames(text: string, order: ReadonlyMap<string, number>, lists: readonly PastedList[]): readonly string[] {
  let known = NAMES_BY_TEXT.get(lists);
  if (!known) {
    known = new Map();
    NAMES_BY_TEXT.set(lists, known);
  }
  let names = known.get(text);
  if (names === undefined) {
    names = listNamesOf(text, order, lists);
    known.set(text, names);
  }
  return names;
}

/** What {@link substitutedListNames} found for a text, by the lists it was given (their order map is made from them). */
const NAMES_BY_TEXT = new WeakMap<readonly PastedList[], Map<string, readonly string[]>>();

function listNamesOf(text: string, order: ReadonlyMap<string, number>, lists: readonly PastedList[]): string[] {
  const pending: number[] = [];
  const seen = new Set<number>();
  const consider = (words: readonly string[]) => {
    for (let k = 0; k < words.length; k++) {
      const at = order.get(words[k]);
      if (at !== undefined && !seen.has(at)) {
        seen.add(at);
        pending.push(at);
      }
    }
  };
  consider(text.split(SUBSTITUTION_DELIMITERS));
  const used: string[] = [];
  let tried = -1;
  while (pending.length > 0) {
    pending.sort((a, b) => a - b);
    const next = pending.shift() as number;
    // a name pasted by a list Falco tries after this one's turn stays as it is
    if (next <= tried) continue;
    tried = next;
    const list = lists[next];
    used.push(list.name);
    consider(pastedWords(list));
  }
  return used;
}

const PASTED_TEXT = new WeakMap<PastedList, string>();
const PASTED_WORDS = new WeakMap<PastedList, readonly string[]>();

/** The text a list pastes: its items joined with `, `, each quoted when it has a space (computed once per list). */
function pastedText(list: PastedList): string {
  let text = PASTED_TEXT.get(list);
  if (text === undefined) {
    text = list.items.map(pasteListItem).join(', ');
    PASTED_TEXT.set(list, text);
  }
  return text;
}

/** The words between delimiters of the text a list pastes (computed once per list). */
function pastedWords(list: PastedList): readonly string[] {
  let words = PASTED_WORDS.get(list);
  if (words === undefined) {
    words = pastedText(list).split(SUBSTITUTION_DELIMITERS);
    PASTED_WORDS.set(list, words);
  }
  return words;
}

/** Each list's place in `lists`, for {@link substituteLists} (compute it once for many conditions). */
export function listOrder(lists: readonly PastedList[]): Map<string, number> {
  return new Map(lists.map((l, i) => [l.name, i]));
}

/** A condition text after Falco's list substitution. */
export interface SubstitutedText {
  readonly text: string;
  /** The lists substituted, in Falco's order. */
  readonly lists: readonly string[];
  /** The offset in the text before substitution of a character of `text` (pasted characters: the list name's). */
  originOf(offset: number): number;
  /** The list that pasted a character of `text`, if one did. */
  pastedByAt(offset: number): string | undefined;
}

const BLANKS = ' \t\n\r';
const DELIMITERS = `${BLANKS}(),=`;

/** One replacement of the text: `[start, end)` of the text at that point became `length` characters pasted by `list`. */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly length: number;
  readonly anchor: number;
  readonly list: string;
}

/**
 * Falco's list substitution (rule_loader_compiler.cpp, parse_condition and resolve_list): before a condition is
 * parsed, each list in definition order replaces every occurrence of its name that has a delimiter (blank, `(`,
 * `)`, `,`, `=`) or the text's edge on both sides, blanks around it included, by its items joined with `, `
 * (each quoted when it has a space and does not start with a quote); an empty list also takes a comma beside
 * it. The text is then parsed. `proc.name = shells` becomes `proc.name = bash, sh`, a syntax error.
 * Where each character comes from is worked out only when asked (for a diagnostic).
 */
export function substituteLists(
  text: string,
  lists: readonly PastedList[],
  order: ReadonlyMap<string, number> = listOrder(lists),
): SubstitutedText {
  const used = substitutedListNames(text, order, lists);
  let cnd = text;
  const edits: Edit[] = [];
  const done: string[] = [];
  // the lists named, in definition order (only those: going through every list per condition is quadratic)
  for (const index of used.map((name) => order.get(name) as number).sort((a, b) => a - b)) {
    const list = lists[index];
    let substituted = false;
    let start = cnd.indexOf(list.name);
    while (start >= 0) {
      let end = start + list.name.length;
      if ((start === 0 || DELIMITERS.includes(cnd[start - 1])) && (end >= cnd.length || DELIMITERS.includes(cnd[end]))) {
        const anchor = traceBack(edits, start).origin;
        while (start > 0 && BLANKS.includes(cnd[start - 1])) start--;
        while (end < cnd.length && BLANKS.includes(cnd[end])) end++;
        const sub = pastedText(list);
        if (sub === '') {
          if (start > 0 && cnd[start - 1] === ',') start--;
          else if (end < cnd.length && cnd[end] === ',') end++;
        }
        const inserted = `${start > 0 ? ' ' : ''}${sub} `;
        cnd = cnd.slice(0, start) + inserted + cnd.slice(end);
        edits.push({ start, end, length: inserted.length, anchor, list: list.name });
        start += sub.length + 1;
        substituted = true;
      }
      start = cnd.indexOf(list.name, start + 1);
    }
    if (substituted) done.push(list.name);
  }
  const last = Math.max(0, cnd.length - 1);
  return {
    text: cnd,
    originOf: (offset) => traceBack(edits, Math.max(0, Math.min(offset, last))).origin,
    pastedByAt: (offset) => (offset >= 0 && offset < cnd.length ? traceBack(edits, offset).list : undefined),
    lists: done,
  };
}

/**
 * Where a character of the substituted text comes from: its offset in the text before substitution, or, for a
 * pasted character, the offset of the list name that pasted it and that list (the edits are walked back, last first).
 */
function traceBack(edits: readonly Edit[], offset: number): { readonly origin: number; readonly list?: string } {
  let at = offset;
  for (let k = edits.length - 1; k >= 0; k--) {
    const e = edits[k];
    if (at < e.start) continue;
    if (at < e.start + e.length) return { origin: e.anchor, list: e.list };
    at += e.end - e.start - e.length;
  }
  return { origin: at };
}
