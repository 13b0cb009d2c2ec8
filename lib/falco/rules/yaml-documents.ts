import { parseBlockSubset } from './yaml-block-subset';
import { isAlias, isMap, isPair, isSeq, Node, yamlLibrary } from './yaml-nodes';

/**
 * The YAML layer of the rules reader: a file's text to the node trees of its documents, with
 * positions (through a fast reader of the block-style subset rules files are written in, else
 * the `yaml` library). As Falco's YAML reader (yaml-cpp) reads a file: a UTF-8 byte order mark at the
 * start is skipped, and an alias (`*name`) is the node its anchor (`&name`) marks. Expanding
 * aliases is bounded, so an alias bomb ("billion laughs") is an error, not a hang.
 */

/** How many nodes aliases may add to a document when expanded. */
export const MAX_ALIAS_EXPANSION = 100_000;

const BOM = '\uFEFF';

export type YamlDocumentsResult =
  | { readonly ok: true; readonly text: string; readonly documents: readonly (Node | null)[] }
  | { readonly ok: false; readonly text: string; readonly code: 'RULES_YAML_SYNTAX' | 'RULES_YAML_ALIAS_LIMIT'; readonly message: string; readonly offset: number };

/**
 * Parses the documents of a file. `text` in the result is what offsets refer to: the file's
 * text without its byte order mark.
 */
export function parseYamlDocuments(fileText: string): YamlDocumentsResult {
  const text = fileText.startsWith(BOM) ? fileText.slice(BOM.length) : fileText;
  // the block-style subset rules files are written in has no aliases and no errors
  const simple = parseBlockSubset(text);
  if (simple) return { ok: true, text, documents: simple };
  const docs = yamlLibrary().parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      return { ok: false, text, code: 'RULES_YAML_SYNTAX', message, offset: err.pos[0] };
    }
  }
  const documents: (Node | null)[] = [];
  for (const doc of list) {
    try {
      documents.push(new AliasResolver().resolve(doc.contents as Node | null));
    } catch (e) {
      if (!(e instanceof AliasError)) throw e;
      return { ok: false, text, code: e.code, message: e.message, offset: e.offset };
    }
  }
  return { ok: true, text, documents };
}

class AliasError extends Error {
  constructor(readonly code: 'RULES_YAML_SYNTAX' | 'RULES_YAML_ALIAS_LIMIT', message: string, readonly offset: number) {
    super(message);
  }
}

/**
 * Replaces each alias of a document by the node of its anchor (the latest one before it), in
 * document order, counting the nodes the aliases add.
 */
class AliasResolver {
  private readonly anchors = new Map<string, Node>();
  /** The number of nodes of each node's expanded tree. */
  private readonly sizes = new Map<Node, number>();
  /** Nodes whose children are being resolved (an alias to one of them would be a cycle). */
  private readonly open = new Set<Node>();
  private added = 0;

  resolve(node: Node | null): Node | null {
    return node === null ? null : this.visit(node);
  }

  private visit(node: Node): Node {
    if (isAlias(node)) return this.target(node.source, node.range?.[0] ?? 0);
    if (node.anchor) this.anchors.set(node.anchor, node);
    let size = 1;
    if (isSeq(node) || isMap(node)) {
      this.open.add(node);
      const items = node.items as unknown[];
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (isPair(item)) {
          if (item.key !== null && typeof item.key === 'object') item.key = this.visit(item.key as Node);
          if (item.value !== null && typeof item.value === 'object') item.value = this.visit(item.value as Node);
          size += this.sizeOf(item.key) + this.sizeOf(item.value);
        } else if (item !== null && typeof item === 'object') {
          items[i] = this.visit(item as Node);
          size += this.sizeOf(items[i]);
        }
      }
      this.open.delete(node);
    }
    this.sizes.set(node, size);
    return node;
  }

  private target(name: string, offset: number): Node {
    const target = this.anchors.get(name);
    if (!target) throw new AliasError('RULES_YAML_SYNTAX', `Unknown anchor '${name}' (an alias *${name} needs an anchor &${name} before it)`, offset);
    if (this.open.has(target)) {
      throw new AliasError('RULES_YAML_SYNTAX', `The alias *${name} is inside the node its anchor marks: a node cannot contain itself`, offset);
    }
    this.added += this.sizeOf(target);
    if (this.added > MAX_ALIAS_EXPANSION) {
      throw new AliasError('RULES_YAML_ALIAS_LIMIT',
        `YAML aliases expand to more than ${MAX_ALIAS_EXPANSION} nodes at the alias *${name} (an alias bomb?): alias smaller nodes, or write the values out`, offset);
    }
    return target;
  }

  private sizeOf(node: unknown): number {
    return node !== null && typeof node === 'object' ? this.sizes.get(node as Node) ?? 1 : 0;
  }
}
