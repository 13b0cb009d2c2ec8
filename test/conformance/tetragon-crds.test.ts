import { readFileSync } from 'fs';
import { basename, join } from 'path';
import { parse } from 'yaml';
import { corporaDir } from './corpora';
import { splitObjects, TETRAGON_CRD_FILES } from '../../lib/pulumi/objects';
import { TETRAGON_CRD_FACTS } from '../helpers/tetragon-crd-facts';

// The Pulumi path applies Tetragon's CRDs before the TracingPolicies (lib/pulumi/kubernetes.ts). Checked here against
// the CRDs Tetragon 1.7.0 installs (cilium/tetragon v1.7.0, install/kubernetes/tetragon/crds-yaml/), pinned in corpora.
const dir = join(corporaDir(), 'tetragon', 'crds-1.7.0');
const pinned = TETRAGON_CRD_FACTS.map((f) => ({ facts: f, crd: parse(readFileSync(join(dir, f.file), 'utf8')) }));

test('the files the Pulumi path applies are the pinned release\'s TracingPolicy CRDs', () => {
  expect(TETRAGON_CRD_FILES.map((u) => basename(u))).toEqual(TETRAGON_CRD_FACTS.map((f) => f.file));
  for (const url of TETRAGON_CRD_FILES) expect(url).toContain('/cilium/tetragon/v1.7.0/install/kubernetes/tetragon/crds-yaml/');
});

test('the facts (name, group, kind, scope, served version) are those of the pinned CRDs', () => {
  for (const { facts, crd } of pinned) {
    expect({
      name: crd.metadata.name,
      group: crd.spec.group,
      plural: crd.spec.names.plural,
      kind: crd.spec.names.kind,
      scope: crd.spec.scope,
      versions: crd.spec.versions.filter((v: { served: boolean }) => v.served).map((v: { name: string }) => v.name),
    }).toEqual({ name: facts.name, group: facts.group, plural: facts.plural, kind: facts.kind, scope: facts.scope, versions: [facts.version] });
  }
});

test('objects of every kind the pinned CRDs define are the ones held back until the CRDs exist', () => {
  const policies = pinned.map(({ crd }) => ({ apiVersion: `${crd.spec.group}/${crd.spec.versions[0].name}`, kind: crd.spec.names.kind, metadata: { name: 'p' } }));
  expect(splitObjects(policies).customResources).toEqual(policies);
});
