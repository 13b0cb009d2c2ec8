import type { FalcoCustomRule } from '../../lib/falco/sensor/props';
import { planStack } from '../../lib/stack/plan';
import type { SensorsProps } from '../../lib/stack/props';

const tagged = (name: string, pattern: string): FalcoCustomRule => ({
  owner: 'payments',
  rule: {
    kind: 'rule',
    name,
    desc: 'd',
    condition: 'evt.type = execve and proc.name = bash',
    output: 'x (proc.cmdline=%proc.cmdline)',
    priority: 'WARNING',
    tags: [`pattern:${pattern}`],
  },
});
const sensors = (owner: 'falco' | 'tetragon'): SensorsProps => ({
  falco: { customRules: [tagged('Shell in product container', 'shell-in-container'), tagged('Ptrace in product container', 'ptrace')] },
  tetragon: { productNamespaces: ['billing'], seedPatterns: ['shell-in-container'] },
  ownership: { detections: [{ pattern: 'shell-in-container', sensor: owner, alertsTo: ['payments'] }] },
});
const falcoRuleNames = (s: SensorsProps) => planStack({ cluster: { name: 'prod', provider: 'eks' }, sensors: s }, 'S')
  .falco?.rules.items.map((i) => (i as { name: string }).name);

describe('both sensors: only the owner of a pattern deploys its detection', () => {
  test('GIVEN Tetragon owns shell-in-container THEN the Falco rule tagged with it is not deployed, the others are', () => {
    expect(falcoRuleNames(sensors('tetragon'))).toEqual(['Ptrace in product container']);
  });

  test('GIVEN Falco owns it THEN Falco keeps its rule', () => {
    expect(falcoRuleNames(sensors('falco'))).toEqual(['Shell in product container', 'Ptrace in product container']);
  });
});
