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
