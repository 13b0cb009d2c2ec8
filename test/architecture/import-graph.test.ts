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

  test('the loader is split along its seams: collection (collector.ts) knows no compilation, compilation (compiler.ts) reads no file', () => {
    const of = (file: string) => graph.get(`falco/rules/${file}`) ?? [];
    expect(of('loader.ts')).toEqual(expect.arrayContaining(['falco/rules/collector.ts', 'falco/rules/compiler.ts', 'falco/rules/reader.ts']));
    expect(of('collector.ts').filter((i) => ['falco/rules/compiler.ts', 'falco/rules/loader.ts'].includes(i))).toEqual([]);
    expect(of('compiler.ts').filter((i) => ['falco/rules/reader.ts', 'falco/rules/loader.ts', 'falco/rules/yaml-nodes.ts', 'falco/rules/yaml-documents.ts'].includes(i)))
      .toEqual([]);
  });

  test('egress and secret references are lib/core modules: no planner outside routing, stack and cdk8s imports the Sidekick planner', () => {
    expect(['core/egress.ts', 'core/secrets.ts'].filter((f) => !graph.has(f))).toEqual([]);
    expect([...graph].filter(([file, imports]) => !file.startsWith('routing/') && !file.startsWith('stack/') && !file.startsWith('cdk8s/')
      && imports.includes('routing/sidekick-plan.ts') && /plan\.ts$/.test(file)).map(([file]) => file)).toEqual([]);
  });
});

