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
export function substitutedListNames(text: string, order: ReadonlyMap<string, number>, lists: readonly PastedList[]): string[] {
  const pending: number[] = [];
  const seen = new Set<number>();
  const consider = (words: string) => {
    for (const word of words.split(SUBSTITUTION_DELIMITERS)) {
      const at = order.get(word);
      if (at !== undefined && !seen.has(at)) {
        seen.add(at);
        pending.push(at);
      }
    }
  };
  consider(text);
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
    consider(list.items.map(pasteListItem).join(', '));
  }
  return used;
}

/** Each list's place in `lists`, for {@link substituteLists} (compute it once for many conditions). */
export function listOrder(lists: readonly PastedList[]): Map<string, number> {
  return new Map(lists.map((l, i) => [l.name, i]));
}

/** A condition text after Falco's list substitution. */
export interface SubstitutedText {
  readonly text: string;
  /** For each character of `text`, its offset in the text before substitution (pasted characters: the list name's). */
  readonly origin: readonly number[];
  /** For each character of `text`, the list that pasted it, if one did. */
  readonly pastedBy: readonly (string | undefined)[];
  /** The lists substituted, in Falco's order. */
  readonly lists: readonly string[];
}

const BLANKS = ' \t\n\r';
const DELIMITERS = `${BLANKS}(),=`;

/**
 * Falco's list substitution (rule_loader_compiler.cpp, parse_condition and resolve_list): before a condition is
 * parsed, each list in definition order replaces every occurrence of its name that has a delimiter (blank, `(`,
 * `)`, `,`, `=`) or the text's edge on both sides, blanks around it included, by its items joined with `, `
 * (each quoted when it has a space and does not start with a quote); an empty list also takes a comma beside
 * it. The text is then parsed. `proc.name = shells` becomes `proc.name = bash, sh`, a syntax error.
 */
export function substituteLists(
  text: string,
  lists: readonly PastedList[],
  order: ReadonlyMap<string, number> = listOrder(lists),
): SubstitutedText {
  const used = substitutedListNames(text, order, lists);
  let cnd = text;
  let origin = Array.from({ length: text.length }, (_, i) => i);
  let pastedBy: (string | undefined)[] = new Array<string | undefined>(text.length).fill(undefined);
  const done: string[] = [];
  // the lists named, in definition order (only those: going through every list per condition is quadratic)
  for (const index of used.map((name) => order.get(name) as number).sort((a, b) => a - b)) {
    const list = lists[index];
    let substituted = false;
    let start = cnd.indexOf(list.name);
    while (start >= 0) {
      let end = start + list.name.length;
      if ((start === 0 || DELIMITERS.includes(cnd[start - 1])) && (end >= cnd.length || DELIMITERS.includes(cnd[end]))) {
        const anchor = origin[start] ?? text.length;
        while (start > 0 && BLANKS.includes(cnd[start - 1])) start--;
        while (end < cnd.length && BLANKS.includes(cnd[end])) end++;
        const sub = list.items.map(pasteListItem).join(', ');
        if (sub === '') {
          if (start > 0 && cnd[start - 1] === ',') start--;
          else if (end < cnd.length && cnd[end] === ',') end++;
        }
        const inserted = `${start > 0 ? ' ' : ''}${sub} `;
        cnd = cnd.slice(0, start) + inserted + cnd.slice(end);
        origin = origin.slice(0, start).concat(new Array<number>(inserted.length).fill(anchor), origin.slice(end));
        pastedBy = pastedBy.slice(0, start).concat(new Array<string>(inserted.length).fill(list.name), pastedBy.slice(end));
        start += sub.length + 1;
        substituted = true;
      }
      start = cnd.indexOf(list.name, start + 1);
    }
    if (substituted) done.push(list.name);
  }
  return { text: cnd, origin, pastedBy, lists: done };
}
