import { readdirSync, readFileSync } from 'fs';
import Ajv, { ValidateFunction } from 'ajv';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { corpusPath } from './corpora';
import { eksTetragonStack } from '../../examples/eks-tetragon/main';
import { main } from '../../lib/cli/main';
import { productDetectionPacks } from '../../lib/packs/build';
import { planStack } from '../../lib/stack/plan';
import {
  emitTracingPolicy, isTetragonDocument, loadTracingPolicies, SEED_PATTERNS, seedDetection, TracingPolicy,
} from '../../lib/tetragon';
import type { TetragonSensorProps } from '../../lib/tetragon/props';
import { POLICY_SHAPE, Shape } from '../../lib/tetragon/shape';

const schemaFile = (kind: string) => corpusPath('tetragon', 'schemas', `${kind.toLowerCase()}-cilium.io.json`);
const ajv = new Ajv({ strict: false, allErrors: true });
// The CRD schemas use OpenAPI's integer formats, which ajv does not know: check them as Kubernetes does.
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
const validators: Record<string, ValidateFunction> = {
  TracingPolicy: ajv.compile(JSON.parse(readFileSync(schemaFile('TracingPolicy'), 'utf8'))),
  TracingPolicyNamespaced: ajv.compile(JSON.parse(readFileSync(schemaFile('TracingPolicyNamespaced'), 'utf8'))),
};
function schemaErrors(policy: unknown): string[] {
  const kind = (policy as { kind: string }).kind;
  const validate = validators[kind];
  if (!validate) return [`no schema for kind ${kind}`];
  return validate(policy) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const examplesDir = corpusPath('tetragon', 'examples');
const corpusFiles = readdirSync(examplesDir).filter((f) => /\.ya?ml$/.test(f)).sort();

describe('every policy the project generates validates against the TracingPolicy JSON Schema (ajv)', () => {
  test('the schemas reject a broken policy (the check can fail)', () => {
    expect(schemaErrors({ apiVersion: 'cilium.io/v1alpha1', kind: 'TracingPolicy', metadata: { name: 'x' }, spec: { kprobes: [{ cal: 'x' }] } })).not.toEqual([]);
  });

  test.each(SEED_PATTERNS.map((p) => [p]))('seed detection %s', (pattern) => {
    const d = seedDetection(pattern, { namespaces: ['billing', 'checkout'], owner: 'platform-security', noNetworkBinaries: ['/bin/sh', '/usr/bin/perl'] });
    for (const policy of d.policies) expect(schemaErrors(policy)).toEqual([]);
  });

  test.each<[string, TetragonSensorProps]>([
    ['', {}],
    [' beside seed detections that watch one of the pack namespaces (the packs add <pattern>-packs for the other)', { productNamespaces: ['billing'] }],
  ])('every TracingPolicy a Tetragon-only stack generates from the packs%s', (_what, tetragon) => {
    const packs = { namespaces: ['billing', 'checkout'], packs: ['runtime' as const] };
    const noForm = productDetectionPacks(packs).rules.filter((r) => r.pattern === undefined).map((r) => r.id);
    const plan = planStack({ cluster: { name: 'prod', provider: 'eks', region: 'us-east-1' }, sensors: { tetragon }, packs: { ...packs, disabledRules: noForm } });
    const policies = plan.tetragon!.detections.flatMap((d) => d.policies);
    if (tetragon.productNamespaces) expect(plan.tetragon!.detections.filter((d) => d.id.endsWith('-packs')).length).toBeGreaterThan(0);
    expect(new Set(plan.tetragon!.detections.map((d) => d.pattern))).toEqual(new Set(productDetectionPacks(packs).falcoPatterns));
    expect(policies.length).toBeGreaterThanOrEqual(4);
    expect(policies.map((p) => ({ name: p.metadata.name, errors: schemaErrors(p) })).filter((r) => r.errors.length > 0)).toEqual([]);
  });

  test('every TracingPolicy object synthesized by examples/eks-tetragon', () => {
    const policies = Testing.synth(eksTetragonStack(Testing.app())).filter((o) => o.apiVersion === 'cilium.io/v1alpha1');
    expect(policies).toHaveLength(18);
    const failures = policies.map((p) => ({ name: p.metadata.name, errors: schemaErrors(p) })).filter((r) => r.errors.length > 0);
    expect(failures).toEqual([]);
  });
});

describe('the upstream example policies (corpus)', () => {
  test('the corpus is there', () => {
    expect(corpusFiles.length).toBeGreaterThanOrEqual(80);
  });

  test.each(corpusFiles.map((f) => [f]))('%s loads with no issue and round-trips (load -> emit -> load)', (file) => {
    const text = readFileSync(`${examplesDir}/${file}`, 'utf8');
    const documents = parseAllDocuments(text).map((d) => d.toJS()).filter(isTetragonDocument);
    const { policies, issues } = loadTracingPolicies(text, file);
    expect(issues).toEqual([]);
    expect(policies).toHaveLength(documents.length);
    expect(policies).toEqual(documents);
    for (const policy of policies) {
      const again = loadTracingPolicies(emitTracingPolicy(policy), `${file} (emitted)`);
      expect(again.issues).toEqual([]);
      expect(again.policies).toEqual([policy]);
    }
  });

  test('the corpus policies also pass the JSON Schema, so the loader agrees with it', () => {
    const failures = corpusFiles.flatMap((file) => loadTracingPolicies(readFileSync(`${examplesDir}/${file}`, 'utf8'), file).policies
      .map((p: TracingPolicy) => ({ file, errors: schemaErrors(p) })).filter((r) => r.errors.length > 0));
    expect(failures).toEqual([]);
  });

  test('bin/detection-stack validate accepts every corpus file', async () => {
    let out = '';
    const code = await main(['validate', ...corpusFiles.map((f) => `${examplesDir}/${f}`)], { stdout: (t) => { out += t; }, stderr: (t) => { out += t; } });
    expect(out).toMatch(new RegExp(`^valid: ${corpusFiles.length} files, 0 errors, 0 warnings$`, 'm'));
    expect(code).toBe(0);
  });

  test('with enforcement not allowed, the corpus enforcement policies are reported (the opt-in check can fail)', () => {
    const flagged = corpusFiles.filter((file) => loadTracingPolicies(readFileSync(`${examplesDir}/${file}`, 'utf8'), file, { allowEnforcement: false })
      .issues.some((i) => i.code === 'DS-TETRA-041'));
    expect(flagged).toEqual(expect.arrayContaining(['tracingpolicy_override-security.yaml', 'quickstart_file_monitoring_enforce.yaml']));
  });
});

describe('the structural model (lib/tetragon/shape.ts) matches the CRD schema field for field', () => {
  type Json = {
    type?: string; properties?: Record<string, Json>; items?: Json; additionalProperties?: Json | boolean; enum?: string[];
  };
  const paths = (node: Json, at: string, out: Map<string, string>): Map<string, string> => {
    if (node.type === 'array' && node.items) return paths(node.items, `${at}[]`, out);
    if (node.type === 'object' && node.properties) {
      for (const [k, v] of Object.entries(node.properties)) paths(v, `${at}.${k}`, out);
      return out;
    }
    if (node.type === 'object' && typeof node.additionalProperties === 'object') return paths(node.additionalProperties, `${at}{}`, out);
    out.set(at, `${node.type}${node.enum ? `:${[...node.enum].sort().join('|')}` : ''}`);
    return out;
  };
  const shapePaths = (s: Shape, at: string, out: Map<string, string>): Map<string, string> => {
    if (s.kind === 'array') return shapePaths(s.items, `${at}[]`, out);
    if (s.kind === 'object') {
      for (const [k, v] of Object.entries(s.fields)) shapePaths(v, `${at}.${k}`, out);
      return out;
    }
    if (s.kind === 'map') return shapePaths(s.values, `${at}{}`, out);
    out.set(at, `${s.kind}${s.kind === 'string' && s.oneOf ? `:${[...s.oneOf].sort().join('|')}` : ''}`);
    return out;
  };

  test('spec: same leaf fields, same types, same enums', () => {
    const schema = JSON.parse(readFileSync(schemaFile('TracingPolicy'), 'utf8')) as Json;
    const fromSchema = paths(schema.properties!.spec, 'spec', new Map());
    const spec = POLICY_SHAPE.kind === 'object' ? POLICY_SHAPE.fields.spec : POLICY_SHAPE;
    const fromShape = shapePaths(spec, 'spec', new Map());
    expect(Object.fromEntries([...fromShape].sort())).toEqual(Object.fromEntries([...fromSchema].sort()));
  });
});
