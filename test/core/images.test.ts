/**
 * Image and artifact pins live in one manifest (lib/core/images.ts): every container of every workload a stack plans
 * runs an image of IMAGE_PINS, every falcoctl or operator artifact is one of ARTIFACT_PINS, and no image or artifact
 * reference is written anywhere else under lib/ (comments aside).
 */
import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';
import { ARTIFACT_PINS, artifactParts, artifactReference, IMAGE_PINS, imageReference } from '../../lib/core/images';
import { operatorDelivery } from '../../lib/operator/resources';
import { planStack } from '../../lib/stack/plan';

const ROOT = join(__dirname, '..', '..');
const REGISTRY_REF = /['"`]((?:docker\.io|quay\.io|ghcr\.io|gcr\.io|registry\.k8s\.io|public\.ecr\.aws|mcr\.microsoft\.com)\/[^'"`\s]+)/g;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Image references in code, not in comments. */
export function imageLiterals(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  return [...code.matchAll(REGISTRY_REF)].map((m) => m[1]);
}

describe('image pins in one manifest', () => {
  test('no image or artifact reference is written under lib/ outside lib/core/images.ts', () => {
    const found = files(join(ROOT, 'lib')).filter((f) => !f.endsWith(join('core', 'images.ts')))
      .flatMap((f) => imageLiterals(readFileSync(f, 'utf8')).map((ref) => `${relative(ROOT, f)}: ${ref}`));
    expect(found).toEqual([]);
  });

  test('the scan finds image and falcoctl artifact literals in code and skips comments', () => {
    expect(imageLiterals("/** @default 'docker.io/x/y' */\nconst a = 'quay.io/cilium/tetragon:v1';\n// 'ghcr.io/a/b:1'\nconst p = 'ghcr.io/falcosecurity/plugins/plugin/json:0.7';"))
      .toEqual(['quay.io/cilium/tetragon:v1', 'ghcr.io/falcosecurity/plugins/plugin/json:0.7']);
  });

  test('every container of every planned workload runs an image of the manifest, pinned by digest where the manifest has one', () => {
    const pinned = new Set(Object.values(IMAGE_PINS).map(imageReference));
    const plan = planStack({
      cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' },
      sensors: { falco: { kubernetesMetadata: { tls: { serverSecret: 'k8s-metacollector-tls', caConfigMap: 'k8s-metacollector-ca' }, collector: { image: { tag: '0.1.1' } } } }, tetragon: {} },
      routing: { teams: [{ name: 'payments', namespaces: ['billing'], receivers: { slack: [{ webhookUrl: { name: 'receivers', key: 'slack' }, minimumPriority: 'Warning' }] } }] },
      audit: { kubernetes: { falcoPlugin: {} } },
      durable: { bucket: { name: 'prod-alerts', region: 'eu-west-1', aws: { podIdentity: true } } },
    }, 'prod');
    const images = plan.workloads.flatMap((w) => [...(w.pod.initContainers ?? []), ...w.pod.containers].map((c) => `${w.name}: ${c.image}`));
    expect(plan.workloads.length).toBeGreaterThanOrEqual(7);
    expect(images.filter((i) => !pinned.has(i.slice(i.indexOf(': ') + 2)))).toEqual([]);
    const used = new Set(images.map((i) => i.slice(i.indexOf(': ') + 2)));
    expect(Object.entries(IMAGE_PINS).filter(([, pin]) => 'digest' in pin && !used.has(imageReference(pin))).map(([name]) => name)).toEqual([]);
  });

  test('a default image always has a digest: the two releases without a verified one run only when the user completes them', () => {
    const undigested = Object.entries(IMAGE_PINS).filter(([, pin]) => !('digest' in pin)).map(([name]) => name);
    expect(undigested).toEqual(['k8sMetacollector', 'hubbleExportStdout']);
    const plan = planStack({
      cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' },
      sensors: { falco: {}, tetragon: {} },
      routing: { teams: [{ name: 'payments', namespaces: ['billing'], receivers: { slack: [{ webhookUrl: { name: 'receivers', key: 'slack' }, minimumPriority: 'Warning' }] } }] },
      audit: { kubernetes: { falcoPlugin: {} } },
      durable: { bucket: { name: 'prod-alerts', region: 'eu-west-1', aws: { podIdentity: true } } },
    }, 'prod');
    const images = plan.workloads.flatMap((w) => [...(w.pod.initContainers ?? []), ...w.pod.containers].map((c) => c.image));
    expect(images.length).toBeGreaterThanOrEqual(7);
    expect(images.filter((i) => !/@sha256:[0-9a-f]{64}$/.test(i))).toEqual([]);
  });

  test('every artifact falcoctl or the operator installs is a reference of ARTIFACT_PINS, and every pin is used', () => {
    const pinned = new Set(Object.values(ARTIFACT_PINS).map(artifactReference));
    const kubernetesMetadata = { tls: { serverSecret: 'k8s-metacollector-tls', caConfigMap: 'k8s-metacollector-ca' }, collector: { image: { tag: '0.1.1' } } };
    const plans = [
      planStack({
        cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' },
        sensors: { falco: { kubernetesMetadata } },
        audit: { kubernetes: { falcoPlugin: {} } },
      }, 'eks'),
      planStack({
        cluster: { name: 'prod', provider: 'aks', region: 'westeurope' },
        sensors: { falco: {} },
        audit: { kubernetes: { falcoPlugin: {} } },
      }, 'aks'),
    ];
    // falcoctl's `artifact install REF... --flags` in an init container of a planned workload
    const installed = plans.flatMap((plan) => plan.workloads.flatMap((w) => [...(w.pod.initContainers ?? []), ...w.pod.containers]
      .flatMap((c) => {
        const args = [...(c.command ?? []), ...(c.args ?? [])];
        const at = args.indexOf('install');
        return at > 0 && args[at - 1] === 'artifact' ? args.slice(at + 1).filter((a) => !a.startsWith('-')) : [];
      })));
    // the Falco Operator's ociArtifact (Rulesfile, Plugin)
    const operated = operatorDelivery(plans[0]).objects.flatMap((o) => {
      const a = (o as { spec?: { ociArtifact?: { registry: { name: string }; image: { repository: string; tag: string } } } }).spec?.ociArtifact;
      return a ? [`${a.registry.name}/${a.image.repository}:${a.image.tag}`] : [];
    });
    expect(installed.length).toBeGreaterThanOrEqual(7);
    expect(operated.length).toBeGreaterThanOrEqual(3);
    expect([...installed, ...operated].filter((ref) => !pinned.has(ref))).toEqual([]);
    const used = new Set([...installed, ...operated]);
    expect(Object.entries(ARTIFACT_PINS).filter(([, pin]) => !used.has(artifactReference(pin))).map(([name]) => name)).toEqual([]);
    expect(artifactParts(ARTIFACT_PINS.falcoRules)).toEqual({ registry: 'ghcr.io', repository: 'falcosecurity/rules/falco-rules', tag: '5' });
  });
});
