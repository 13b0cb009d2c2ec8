import { dirname, join } from 'path';
import type * as YamlLibrary from 'yaml';

/**
 * The node classes and type tests of the `yaml` library, loaded from their own modules. The rules
 * reader builds the nodes of the block-style subset itself (see `yaml-block-subset`), so `validate`
 * starts without the library's parser, composer and schemas; the whole library is loaded
 * ({@link yamlLibrary}) only for a file outside the subset. The classes are the library's own (the
 * same module files its index loads), so `instanceof` and the `is*` tests agree either way.
 */

const DIST = join(dirname(require.resolve('yaml/package.json')), 'dist');

function part<T>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(DIST, path)) as T;
}

const identity = part<typeof YamlLibrary>('nodes/identity.js');
export const { isAlias, isMap, isPair, isScalar, isSeq } = identity;
export const { Scalar } = part<typeof YamlLibrary>('nodes/Scalar.js');
export const { YAMLMap } = part<typeof YamlLibrary>('nodes/YAMLMap.js');
export const { YAMLSeq } = part<typeof YamlLibrary>('nodes/YAMLSeq.js');
export const { Pair } = part<typeof YamlLibrary>('nodes/Pair.js');
export type Scalar<T = unknown> = YamlLibrary.Scalar<T>;
export type YAMLMap<K = unknown, V = unknown> = YamlLibrary.YAMLMap<K, V>;
export type YAMLSeq<T = unknown> = YamlLibrary.YAMLSeq<T>;
export type Pair<K = unknown, V = unknown> = YamlLibrary.Pair<K, V>;
export type Node = YamlLibrary.Node;
export type ScalarType = YamlLibrary.Scalar.Type;

/** The whole `yaml` library, loaded on first use. */
export function yamlLibrary(): typeof YamlLibrary {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml') as typeof YamlLibrary;
}
