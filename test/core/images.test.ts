/**
 * Image pins live in one manifest (lib/core/images.ts): every container of every workload a stack plans runs an
 * image of IMAGE_PINS, and no image reference is written anywhere else under lib/ (comments aside).
 */
import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';
import { IMAGE_PINS, imageReference } from '../../lib/core/images';
import { planStack } from '../../lib/stack/plan';

const ROOT = join(__dirname, '..', '..');
const REGISTRY_REF = /['"`]((?:docker\.io|quay\.io|ghcr\.io|gcr\.io|registry\.k8s\.io|public\.ecr\.aws|mcr\.microsoft\.com)\/[^'"`\s]+)/g;
/** OCI artifacts falcoctl installs (plugins, rulesets), not container images: pinned where their plugin is planned. */
const ARTIFACT = /^ghcr\.io\/falcosecurity\/plugins\/(plugin|ruleset)\//;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Image references in code, not in comments. */
export function imageLiterals(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  return [...code.matchAll(REGISTRY_REF)].map((m) => m[1]).filter((ref) => !ARTIFACT.test(ref));
}

describe('image pins in one manifest', () => {
  test('no image reference is written under lib/ outside lib/core/images.ts', () => {
    const found = files(join(ROOT, 'lib')).filter((f) => !f.endsWith(join('core', 'images.ts')))
      .flatMap((f) => imageLiterals(readFileSync(f, 'utf8')).map((ref) => `${relative(ROOT, f)}: ${ref}`));
    expect(found).toEqual([]);
  });

  test('the scan finds a literal in code and skips comments and falcoctl artifacts', () => {
    expect(imageLiterals("/** @default 'docker.io/x/y' */\nconst a = 'quay.io/cilium/tetragon:v1';\n// 'ghcr.io/a/b:1'\nconst p = 'ghcr.io/falcosecurity/plugins/plugin/json:0.7';"))
      .toEqual(['quay.io/cilium/tetragon:v1']);
  });

  test('every container of every planned workload runs an image of the manifest, pinned by digest where the manifest has one', () => {
    const pinned = new Set(Object.values(IMAGE_PINS).map(imageReference));
    const plan = planStack({
      cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' },
      sensors: { falco: { kubernetesMetadata: { tls: { serverSecret: 'k8s-metacollector-tls', caConfigMap: 'k8s-metacollector-ca' } } }, tetragon: {} },
      routing: { teams: [{ name: 'payments', namespaces: ['billing'], receivers: { slack: [{ webhookUrl: { name: 'receivers', key: 'slack' }, minimumPriority: 'Warning' }] } }] },
      audit: { kubernetes: { falcoPlugin: {} } },
      durable: { bucket: { name: 'prod-alerts', region: 'eu-west-1', aws: { podIdentity: true } } },
    }, 'prod');
    const images = plan.workloads.flatMap((w) => [...(w.pod.initContainers ?? []), ...w.pod.containers].map((c) => `${w.name}: ${c.image}`));
    expect(plan.workloads.length).toBeGreaterThanOrEqual(7);
    expect(images.filter((i) => !pinned.has(i.slice(i.indexOf(': ') + 2)))).toEqual([]);
    const used = new Set(images.map((i) => i.slice(i.indexOf(': ') + 2)));
    expect(Object.entries(IMAGE_PINS).filter(([, pin]) => !used.has(imageReference(pin))).map(([name]) => name)).toEqual([]);
  });
});
