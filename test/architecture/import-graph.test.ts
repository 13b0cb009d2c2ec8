import { join } from 'path';
import { importCycles, importGraph } from '../helpers/import-graph';

const LIB = join(__dirname, '..', '..', 'lib');

describe('the import graph of lib/', () => {
  const graph = importGraph(LIB);

  test('has no cycle, type-only imports included', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  test('the cycle finder reports a cycle through type imports and a self-import', () => {
    const cyclic = new Map([
      ['stack/plan.ts', ['audit/plan.ts']],
      ['audit/plan.ts', ['core/context.ts', 'stack/plan.ts']],
      ['core/context.ts', []],
      ['self.ts', ['self.ts']],
    ]);
    expect(importCycles(cyclic)).toEqual([['audit/plan.ts', 'stack/plan.ts'], ['self.ts']]);
  });

  test('lib/core, the shared vocabulary, imports nothing of the project outside itself', () => {
    const outside = [...graph].filter(([file]) => file.startsWith('core/'))
      .flatMap(([file, imports]) => imports.filter((i) => !i.startsWith('core/')).map((i) => `${file} -> ${i}`));
    expect(outside).toEqual([]);
  });

  test.each(['audit/plan.ts', 'durable/plan.ts', 'falco/sensor/plan.ts', 'monitoring/plan.ts', 'routing/plan.ts', 'tetragon/plan.ts'])(
    'the layer planner %s imports only lib/core and its own layer', (planner) => {
      const layer = planner.split('/')[0];
      const reachable = new Set<string>();
      const pending = [planner];
      while (pending.length > 0) {
        const file = pending.pop()!;
        for (const i of graph.get(file) ?? []) {
          if (!reachable.has(i)) { reachable.add(i); pending.push(i); }
        }
      }
      expect([...reachable].filter((f) => !f.startsWith('core/') && !f.startsWith(`${layer}/`)).sort()).toEqual([]);
    });
});
