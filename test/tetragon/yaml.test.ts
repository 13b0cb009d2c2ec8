import * as fc from 'fast-check';
import {
  emitTracingPolicies, emitTracingPolicy, isTetragonDocument, loadTracingPolicies, pathSegments, SEED_PATTERNS, seedDetection,
} from '../../lib/tetragon';

const POLICY = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: file-writes
spec:
  kprobes:
  - call: security_file_permission
    syscall: false
    args:
    - index: 0
      type: file
    selectors:
    - matchArgs:
      - index: 2
        operator: Prefix
        values:
        - /etc/
`;

describe('loadTracingPolicies', () => {
  test('GIVEN a valid policy THEN it loads as typed data with no issue', () => {
    const fixed = POLICY.replace('index: 2', 'index: 0');
    const { policies, issues } = loadTracingPolicies(fixed, 'p.yaml');
    expect(issues).toEqual([]);
    expect(policies).toHaveLength(1);
    expect(policies[0].spec.kprobes?.[0].selectors?.[0].matchArgs?.[0]).toEqual({ index: 0, operator: 'Prefix', values: ['/etc/'] });
  });

  test('GIVEN a filter on an undeclared argument THEN the issue carries file:line:col of that index', () => {
    const { policies, issues } = loadTracingPolicies(POLICY, 'p.yaml');
    expect(policies).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'p.yaml', line: 14, col: 16, code: 'DS-TETRA-032', path: 'spec.kprobes[0].selectors[0].matchArgs[0].index' });
  });

  test('GIVEN an unknown field THEN the issue points at it', () => {
    const text = POLICY.replace('    syscall: false\n', '    syscal: false\n');
    const { issues } = loadTracingPolicies(text, 'p.yaml');
    expect(issues[0]).toMatchObject({ line: 8, col: 13, code: 'DS-TETRA-010', path: 'spec.kprobes[0].syscal' });
    expect(issues[0].message).toMatch(/unknown field 'syscal'/);
  });

  test('GIVEN broken YAML THEN DS-TETRA-001 with its position', () => {
    const { issues } = loadTracingPolicies('apiVersion: cilium.io/v1alpha1\nkind: [TracingPolicy\n', 'bad.yaml');
    expect(issues[0]).toMatchObject({ file: 'bad.yaml', code: 'DS-TETRA-001' });
    expect(issues[0].line).toBeGreaterThanOrEqual(2);
  });

  test('GIVEN an alias bomb (10^7 nodes) or an alias with no anchor THEN DS-TETRA-001 at the first alias, the next document still judged (#14)', () => {
    const bomb = 'apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: bomb\nspec:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n'
      + 'bcdefg'.split('').map((l, i) => `  ${l}: &${l} [${new Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]\n`).join('');
    const { issues, policies } = loadTracingPolicies(`${bomb}---\n${POLICY.replace('index: 2', 'index: 0')}`, 'bomb.yaml');
    expect(issues.map((i) => [i.code, i.line, i.col, i.message])).toEqual([
      ['DS-TETRA-001', 7, 10, 'YAML aliases expand to more nodes than the reader allows (an alias bomb?), or an alias has no anchor'],
    ]);
    expect(policies).toHaveLength(1);
    expect(loadTracingPolicies(`${POLICY.replace('index: 2', 'index: 0')}  x: *nowhere\n`, 'p.yaml').issues[0]).toMatchObject({ code: 'DS-TETRA-001' });
  });

  test('GIVEN a Pod next to a policy THEN the Pod is skipped and the policy loads', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n---\n${POLICY.replace('index: 2', 'index: 0')}`;
    const { policies, issues, skipped } = loadTracingPolicies(text, 'p.yaml');
    expect([policies.length, issues.length, skipped]).toEqual([1, 0, 1]);
  });

  test('GIVEN enforcement WHEN loaded with the default options THEN accepted; WHEN allowEnforcement is false THEN DS-TETRA-041', () => {
    const text = POLICY.replace('index: 2', 'index: 0').replace('        - /etc/\n', '        - /etc/\n      matchActions:\n      - action: Sigkill\n');
    expect(loadTracingPolicies(text, 'p.yaml').issues).toEqual([]);
    const strict = loadTracingPolicies(text, 'p.yaml', { allowEnforcement: false });
    expect(strict.issues.map((i) => `${i.line}:${i.col} ${i.code}`)).toEqual(['19:17 DS-TETRA-041']);
  });
});

describe('emit and round-trip', () => {
  test.each(SEED_PATTERNS.map((p) => [p]))('GIVEN the seed policy %s WHEN emitted and loaded THEN the same object comes back', (pattern) => {
    const d = seedDetection(pattern, { namespaces: ['billing'], owner: 'sec', noNetworkBinaries: ['/bin/sh'] });
    const loaded = loadTracingPolicies(emitTracingPolicy(d.policies[0]), 'seed.yaml');
    expect(loaded.issues).toEqual([]);
    expect(loaded.policies).toEqual([d.policies[0]]);
  });

  test('several policies are emitted as one stream of documents', () => {
    const d = seedDetection('ptrace', { namespaces: ['billing', 'checkout'], owner: 'sec', noNetworkBinaries: [] });
    const text = emitTracingPolicies(d.policies);
    expect(text.split('\n').filter((l) => l === '---')).toHaveLength(1);
    expect(loadTracingPolicies(text, 's.yaml').policies.map((p) => p.metadata.namespace)).toEqual(['billing', 'checkout']);
  });
});

describe('helpers', () => {
  test('pathSegments splits names and indexes', () => {
    expect(pathSegments('spec.kprobes[0].selectors[2].matchBinaries')).toEqual(['spec', 'kprobes', 0, 'selectors', 2, 'matchBinaries']);
  });
  test('isTetragonDocument dispatches on apiVersion cilium.io/*', () => {
    expect([isTetragonDocument({ apiVersion: 'cilium.io/v1alpha1' }), isTetragonDocument({ apiVersion: 'v1' }), isTetragonDocument([])]).toEqual([true, false, false]);
  });
});

describe('property: seed policies for any valid namespaces and owner', () => {
  const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
  test('validate with no issue and round-trip through YAML', () => {
    const namespacesArb = fc.uniqueArray(label, { minLength: 1, maxLength: 4 });
    fc.assert(fc.property(namespacesArb, label, fc.constantFrom(...SEED_PATTERNS), (namespaces, owner, pattern) => {
      const d = seedDetection(pattern, { namespaces, owner, noNetworkBinaries: ['/bin/sh'] });
      const loaded = loadTracingPolicies(emitTracingPolicies(d.policies), 'prop.yaml', { allowEnforcement: false });
      expect(loaded.issues).toEqual([]);
      expect(loaded.policies).toEqual(d.policies);
    }), { numRuns: 50 });
  });
});
