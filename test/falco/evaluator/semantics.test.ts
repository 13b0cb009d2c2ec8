import { evaluator, matches, rule, ruleNames } from './helpers';
import { displayPriority, eventSource } from '../../../lib/falco/evaluator/evaluator';
import { parseCondition } from '../../../lib/falco/language/parser';
import { eventTypesOf } from '../../../lib/falco/rules/event-types';

describe('a field the event lacks', () => {
  const event = { 'evt.type': 'open', 'proc.name': 'cat' };

  it.each([
    ['fd.name = /etc/passwd', false],
    ['fd.name != /etc/passwd', false], // libsinsp: no value, no comparison, even for !=
    ['not fd.name = /etc/passwd', true], // `not` inverts the false comparison
    ['not fd.name != /etc/passwd', true],
    ['fd.name exists', false],
    ['not fd.name exists', true],
    ['fd.name in (/etc/passwd)', false],
    ['fd.name intersects (/etc/passwd)', false],
    ['fd.name pmatch (/etc)', false],
    ['fd.name contains etc', false],
    ['fd.types in (file)', false],
    ['proc.pid < 10', false],
    ['proc.pid > 10', false],
    ['len(fd.name) = 0', false],
    ['tolower(fd.name) exists', false],
    ['proc.name = val(fd.name)', false],
    ['proc.name = cat and fd.name != x', false],
    ['proc.name = cat or fd.name != x', true],
  ])('%s -> %s', (condition, expected) => {
    expect(matches(condition, event)).toBe(expected);
  });

  it('treats null and an empty list like a missing field', () => {
    expect(matches('fd.name exists', { 'fd.name': null })).toBe(false);
    expect(matches('fd.types exists', { 'fd.types': [] })).toBe(false);
    expect(matches('fd.types intersects (file)', { 'fd.types': [] })).toBe(false);
  });

  it('treats a value that cannot be read as the field type as missing', () => {
    expect(matches('proc.pid = 1', { 'proc.pid': 'one' })).toBe(false);
    expect(matches('proc.pid != 1', { 'proc.pid': 'one' })).toBe(false);
    expect(matches('fd.sip = 10.0.0.1', { 'fd.sip': 'not-an-ip' })).toBe(false);
  });
});

describe('rule matching', () => {
  const rules = [
    rule('shell', 'evt.type = execve and proc.name in (bash, sh)'),
    rule('any exec', 'evt.type = execve'),
    rule('disabled', 'evt.type = execve', { enabled: false }),
    rule('open', 'evt.type = open'),
  ];
  const exec = { 'evt.type': 'execve', 'proc.name': 'bash' };

  it('GIVEN the default WHEN two rules match THEN only the first in load order fires', () => {
    expect(ruleNames(evaluator(rules).evaluate(exec))).toEqual(['shell']);
    expect(evaluator(rules).ruleMatching).toBe('first');
  });

  it('GIVEN rule_matching all WHEN two rules match THEN both fire, in load order', () => {
    expect(ruleNames(evaluator(rules, { ruleMatching: 'all' }).evaluate(exec))).toEqual(['shell', 'any exec']);
  });

  it('never evaluates a disabled rule', () => {
    const only = evaluator([rule('disabled', 'evt.type = execve', { enabled: false })], { ruleMatching: 'all' });
    expect(only.evaluate(exec)).toEqual([]);
    expect(only.ruleNames()).toEqual([]);
  });

  it('reports no detection when nothing matches', () => {
    expect(evaluator(rules).evaluate({ 'evt.type': 'close' })).toEqual([]);
  });

  it('skips to the next rule when the first does not match', () => {
    expect(ruleNames(evaluator(rules).evaluate({ 'evt.type': 'execve', 'proc.name': 'ls' }))).toEqual(['any exec']);
  });

  it('runs rules only on events of their source', () => {
    const mixed = evaluator([
      rule('k8s', 'ka.verb = create', { source: 'k8s_audit' }),
      rule('sys', 'proc.name = bash'),
    ], { ruleMatching: 'all' });
    expect(ruleNames(mixed.evaluate({ 'proc.name': 'bash' }))).toEqual(['sys']);
    const audit = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'x', verb: 'create' };
    expect(ruleNames(mixed.evaluate(audit))).toEqual(['k8s']);
    expect(mixed.evaluate({ 'proc.name': 'bash' }, 'aws_cloudtrail')).toEqual([]);
  });

  it('reports priority as Falco prints it, and the source', () => {
    const [d] = evaluator([rule('r', 'proc.name = bash', { priority: 'informational' })]).evaluate({ 'proc.name': 'bash' });
    expect(d).toEqual({ rule: 'r', priority: 'Informational', source: 'syscall', output: 'r fired' });
    expect(displayPriority('WARNING')).toBe('Warning');
    expect(displayPriority('info')).toBe('Informational');
    expect(displayPriority('CRITICAL')).toBe('Critical');
  });
});

describe('event type index', () => {
  const typesOf = (condition: string) => eventTypesOf(parseCondition(condition));

  it.each([
    ['evt.type = open', { kind: 'only', types: ['open'] }],
    ['evt.type in (open, openat) and proc.name = cat', { kind: 'only', types: ['open', 'openat'] }],
    ['evt.type = open or evt.type = execve', { kind: 'only', types: ['execve', 'open'] }],
    ['evt.type = open and evt.type = execve', { kind: 'only', types: [] }],
    ['not evt.type in (open, close)', { kind: 'anyExcept', types: ['close', 'open'] }],
    ['not (evt.type = open and proc.name = cat)', { kind: 'any' }],
    ['proc.name = cat', { kind: 'any' }],
  ])('indexes %s under %j (the loader\'s evt.type resolver)', (condition, expected) => {
    expect(typesOf(condition)).toEqual(expected);
  });

  it('runs rules without an evt.type restriction on every event type, in load order with the others', () => {
    const ev = evaluator([
      rule('open only', 'evt.type = open and proc.name = cat'),
      rule('no type', 'proc.name = cat'),
      rule('not open', 'evt.type != open and proc.name = cat'),
    ], { ruleMatching: 'all' });
    expect(ruleNames(ev.evaluate({ 'evt.type': 'open', 'proc.name': 'cat' }))).toEqual(['open only', 'no type']);
    expect(ruleNames(ev.evaluate({ 'evt.type': 'read', 'proc.name': 'cat' }))).toEqual(['no type', 'not open']);
    expect(ruleNames(ev.evaluate({ 'evt.type': 'some_new_syscall', 'proc.name': 'cat' }))).toEqual(['no type', 'not open']);
  });

  it('tells which rules an event is checked against', () => {
    const ev = evaluator([
      rule('open only', 'evt.type = open and proc.name = cat'),
      rule('no type', 'proc.name = cat'),
      rule('audit', 'ka.verb = get', { source: 'k8s_audit' }),
    ]);
    expect(ev.rulesFor({ 'evt.type': 'open' })).toEqual(['open only', 'no type']);
    expect(ev.rulesFor({ 'evt.type': 'read' })).toEqual(['no type']);
    expect(ev.rulesFor({ kind: 'Event', apiVersion: 'audit.k8s.io/v1' })).toEqual(['audit']);
  });

  it('checks an event without evt.type only against unrestricted rules', () => {
    const ev = evaluator([
      rule('typed', 'evt.type != open and proc.name = cat'),
      rule('untyped', 'proc.name = cat'),
    ], { ruleMatching: 'all' });
    expect(ruleNames(ev.evaluate({ 'proc.name': 'cat' }))).toEqual(['untyped']);
  });
});

describe('event sources', () => {
  it('recognizes audit events, a declared evt.source, and defaults to syscall', () => {
    expect(eventSource({ kind: 'Event', apiVersion: 'audit.k8s.io/v1' })).toBe('k8s_audit');
    expect(eventSource({ kind: 'Event', apiVersion: 'audit.k8s.io/v1beta1' })).toBe('k8s_audit');
    // kind alone decides, as in the k8saudit plugin (falcosecurity/plugins @ 0809a56b54b4,
    // plugins/k8saudit/pkg/k8saudit/source.go, ParseAuditEventsJSON)
    expect(eventSource({ kind: 'Event' })).toBe('k8s_audit');
    expect(eventSource({ kind: 'EventList', items: [] })).toBe('k8s_audit');
    expect(eventSource({ kind: 'Pod' })).toBe('syscall');
    expect(eventSource({ 'evt.source': 'aws_cloudtrail', 'ct.name': 'x' })).toBe('aws_cloudtrail');
    expect(eventSource({ 'proc.name': 'x' })).toBe('syscall');
  });
});
