import type * as YamlLibrary from 'yaml';
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

/**
 * How deep nodes may nest in a document, as Falco's YAML reader allows: yaml-cpp 0.8's `SingleDocParser` keeps a
 * `DepthGuard<500>` (include/yaml-cpp/depthguard.h) and refuses a node at depth 500 with "bad file"
 * (LOAD_ERR_YAML_PARSE); measured with falco 0.44.1 -V, 499 nested levels load and 500 do not.
 */
export const MAX_YAML_DEPTH = 499;

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
  // it reads nothing nested deeper than 2 x SUBSET_MAX_DEPTH + 1 levels, far under MAX_YAML_DEPTH
  if (simple) return { ok: true, text, documents: simple };
  let docs: ReturnType<typeof YamlLibrary.parseAllDocuments>;
  try {
    docs = yamlLibrary().parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: true });
  } catch (e) {
    if (e instanceof RangeError) return depthError(text, 0);
    throw e;
  }
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      if (/Maximum call stack size exceeded/.test(err.message)) return depthError(text, err.pos[0]);
      const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      return { ok: false, text, code: 'RULES_YAML_SYNTAX', message, offset: err.pos[0] };
    }
    const deep = tooDeep(doc.contents as Node | null);
    if (deep !== undefined) return depthError(text, deep);
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

function depthError(text: string, offset: number): YamlDocumentsResult {
  return {
    ok: false,
    text,
    code: 'RULES_YAML_SYNTAX',
    offset,
    message: `YAML nested deeper than ${MAX_YAML_DEPTH} levels: Falco's YAML reader (yaml-cpp) refuses it as a bad file; write the value flatter`,
  };
}

/** The offset of the first node nested deeper than {@link MAX_YAML_DEPTH} (the root is at depth 1), without recursion. */
function tooDeep(root: Node | null): number | undefined {
  const stack: [unknown, number][] = root === null ? [] : [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > MAX_YAML_DEPTH) return (node as Node).range?.[0] ?? 0;
    if (!isSeq(node) && !isMap(node)) continue;
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        stack.push([item.value, depth + 1], [item.key, depth + 1]);
      } else {
        stack.push([item, depth + 1]);
      }
    }
  }
  return undefined;
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
