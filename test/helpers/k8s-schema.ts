/**
 * Validates synthesized Kubernetes objects against the upstream OpenAPI schemas, through the
 * generated validators of kubernetes-models v4 (CommonJS). Every object must map to a
 * kubernetes-models class; custom resources are skipped only when the caller lists their
 * `apiVersion/Kind` explicitly, so an unknown or misspelled core kind fails instead of passing.
 *
 * Note: the upstream schemas do not forbid unknown properties (the API server prunes them), so a
 * misspelled field is not caught here; assert the fields that matter explicitly in the test.
 */

/** A manifest as `Testing.synth()` or `yaml.parseAllDocuments()` return it. */
export type Manifest = { readonly apiVersion?: unknown; readonly kind?: unknown; readonly [key: string]: unknown };

export interface SchemaOptions {
  /** Custom resources to skip, as `apiVersion/Kind`, e.g. `cilium.io/v1alpha1/TracingPolicy`. @default none */
  readonly customResources?: readonly string[];
}

const API_VERSION = /^(v1|[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/v[0-9]+((alpha|beta)[0-9]+)?)$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

interface ModelClass {
  new (data: unknown): { validate(): void };
}

function loadModel(apiVersion: string, kind: string): ModelClass | undefined {
  if (!API_VERSION.test(apiVersion) || !KIND.test(kind)) return undefined;
  let mod: Record<string, unknown>;
  try {
    // prometheus-operator's kinds come from @kubernetes-models/prometheus-operator (v4 line, CommonJS).
    // Argo CD and Flux kinds from @kubernetes-models/argo-cd 2.7 and flux-cd 2.3 (their last CommonJS lines).
    const packages: Record<string, string> = {
      'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
      'argoproj.io': '@kubernetes-models/argo-cd',
      'kustomize.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
    };
    const path = `${packages[apiVersion.split('/')[0]] ?? 'kubernetes-models'}/${apiVersion}/${kind}`;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(path);
  } catch {
    return undefined;
  }
  const model = mod[kind];
  return typeof model === 'function' ? (model as ModelClass) : undefined;
}

/** One line per problem: `<index> <apiVersion>/<Kind> <name>: <message>`; empty when every object is valid. */
export function schemaErrors(objects: readonly Manifest[], options: SchemaOptions = {}): string[] {
  const skip = new Set(options.customResources ?? []);
  const errors: string[] = [];
  objects.forEach((obj, index) => {
    const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
    const kind = typeof obj.kind === 'string' ? obj.kind : '';
    const name = (obj.metadata as { name?: unknown } | undefined)?.name;
    const label = `#${index} ${apiVersion || '<no apiVersion>'}/${kind || '<no kind>'} ${typeof name === 'string' ? name : '<no name>'}`;
    if (typeof name !== 'string' || name === '') {
      errors.push(`${label}: metadata.name is missing`);
    }
    if (skip.has(`${apiVersion}/${kind}`)) return;
    const Model = loadModel(apiVersion, kind);
    if (!Model) {
      errors.push(`${label}: no upstream schema for this apiVersion/kind (list it in customResources if it is a CRD)`);
      return;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      errors.push(`${label}: ${(e as Error).message}`);
    }
  });
  return errors;
}

/** Throws one error listing every invalid object. */
export function expectValidManifests(objects: readonly Manifest[], options: SchemaOptions = {}): void {
  const errors = schemaErrors(objects, options);
  if (errors.length > 0) {
    throw new Error(`${errors.length} problem(s) against the upstream Kubernetes schemas:\n  ${errors.join('\n  ')}`);
  }
}
