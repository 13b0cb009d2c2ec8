import { evaluator, rule, testFieldTypes } from './helpers';
import { compileOutput } from '../../../lib/falco/evaluator/output';

function render(format: string, event: unknown, source = 'syscall'): string {
  return compileOutput(format, source, testFieldTypes)(event);
}

describe('rule output rendering', () => {
  const event = {
    'evt.type': 'execve',
    'proc.name': 'bash',
    'proc.pid': 42,
    'proc.aname[2]': 'sshd',
    'fd.types': ['ipv4', 'file'],
    'proc.is_exe_upper_layer': false,
  };

  it.each([
    ['Shell spawned (proc=%proc.name pid=%proc.pid)', 'Shell spawned (proc=bash pid=42)'],
    ['user=%user.name', 'user=<NA>'],
    ['gp=%proc.aname[2] ggp=%proc.aname[3]', 'gp=sshd ggp=<NA>'],
    ['types=%fd.types', 'types=(ipv4,file)'],
    ['upper=%proc.is_exe_upper_layer', 'upper=false'],
    ['end %proc.name.', 'end bash.'],
    ['%proc.name,%proc.pid', 'bash,42'],
    ['[%6proc.name]', '[bash  ]'],
    ['lower=%tolower(proc.name) up=%toupper(proc.name)', 'lower=bash up=BASH'],
    ['100% sure %proc.name', '100% sure bash'],
    ['no fields at all', 'no fields at all'],
  ])('%s', (format, expected) => {
    expect(render(format, event)).toBe(expected);
  });

  it('renders k8s audit fields from the raw audit event', () => {
    const audit = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      auditID: 'a1',
      stage: 'ResponseComplete',
      verb: 'create',
      user: { username: 'alice', groups: ['dev', 'system:authenticated'] },
      objectRef: { resource: 'pods', namespace: 'default', name: 'web' },
    };
    expect(render('%ka.user.name %ka.verb %ka.target.resource ns=%ka.target.namespace groups=%ka.user.groups stage=%jevt.value[/stage] x=%ka.req.pod.containers.image',
      audit, 'k8s_audit')).toBe('alice create pods ns=default groups=(dev,system:authenticated) stage=ResponseComplete x=<NA>');
  });

  it('is part of each detection', () => {
    const [d] = evaluator([rule('r', 'proc.name = bash', { output: 'ran %proc.name as %user.name' })]).evaluate(event);
    expect(d.output).toBe('ran bash as <NA>');
  });
});
