import { dirname, join } from 'path';
import type * as YamlLibrary from 'yaml';

/**
 * The nodes the rules reader reads. Files outside the block-style subset are read by the `yaml` library
 * (loaded on first use, {@link yamlLibrary}); the subset's reader (`yaml-block-subset`) builds the light nodes
 * below instead, so `validate` loads none of the library's node classes (its YAMLMap alone pulls in the
 * stringifier: a tenth of a `validate` run). They carry the library's own node-type marks, so its `is*` tests
 * (loaded from their own small module) take them, and have what the reader uses of a node: `value` and `type`
 * of a scalar, `items` of a collection, `key` and `value` of a pair, `has` and `get` of a map, `range`. A property
 * test (test/falco/rules/yaml-block-subset.test.ts) checks that both readings give the same trees.
 */

const DIST = join(dirname(require.resolve('yaml/package.json')), 'dist');

function part<T>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(DIST, path)) as T;
}

const identity = part<typeof YamlLibrary & { readonly NODE_TYPE: symbol; readonly MAP: symbol; readonly SEQ: symbol; readonly PAIR: symbol; readonly SCALAR: symbol }>('nodes/identity.js');
export const { isAlias, isMap, isPair, isScalar, isSeq } = identity;
export type Scalar<T = unknown> = YamlLibrary.Scalar<T>;
export type YAMLMap<K = unknown, V = unknown> = YamlLibrary.YAMLMap<K, V>;
export type YAMLSeq<T = unknown> = YamlLibrary.YAMLSeq<T>;
export type Pair<K = unknown, V = unknown> = YamlLibrary.Pair<K, V>;
export type Node = YamlLibrary.Node;
export type ScalarType = YamlLibrary.Scalar.Type;

/** The scalar styles, as the library names them (`Scalar.PLAIN`, ...). */
export const SCALAR_STYLE = {
  PLAIN: 'PLAIN', QUOTE_DOUBLE: 'QUOTE_DOUBLE', QUOTE_SINGLE: 'QUOTE_SINGLE', BLOCK_FOLDED: 'BLOCK_FOLDED', BLOCK_LITERAL: 'BLOCK_LITERAL',
} as const satisfies Record<string, ScalarType>;

type Range = [number, number, number];

/** A scalar of the block-style subset: a string value, its style and its range. */
export class LightScalar {
  range?: Range;
  constructor(public value: string, public type: ScalarType) {}
  toString(): string {
    return this.value;
  }
}

/** A key and its value. */
export class LightPair {
  constructor(public key: LightScalar, public value: LightNode | null) {}
}

/** A block or flow sequence. */
export class LightSeq {
  items: LightNode[] = [];
  flow?: boolean;
  range?: Range;
}

/** A block mapping with plain keys. */
export class LightMap {
  items: LightPair[] = [];
  range?: Range;
  /** Whether a key is there (as the library's `YAMLMap.has` with a string key). */
  has(key: string): boolean {
    return this.pair(key) !== undefined;
  }
  /** The value node of a key (as the library's `YAMLMap.get(key, true)`). */
  get(key: string, _keepScalar?: true): LightNode | null | undefined {
    return this.pair(key)?.value ?? undefined;
  }
  private pair(key: string): LightPair | undefined {
    // indexed: the CLI runs interpreted (cli/input.ts), where for-of allocates an iterator and a result per step
    const items = this.items;
    for (let i = 0; i < items.length; i++) if (items[i].key.value === key) return items[i];
    return undefined;
  }
}

export type LightNode = LightScalar | LightSeq | LightMap;

const MARKS = [[LightScalar, identity.SCALAR], [LightPair, identity.PAIR], [LightSeq, identity.SEQ], [LightMap, identity.MAP]] as const;
for (const [light, mark] of MARKS) {
  Object.defineProperty(light.prototype, identity.NODE_TYPE, { value: mark });
}

/** The whole `yaml` library, loaded on first use. */
export function yamlLibrary(): typeof YamlLibrary {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml') as typeof YamlLibrary;
}
