// The schema of DetectionFleetProps: the fleet's own shape. The shared definition and each cluster's overrides
// are stack props; they are checked by the stack's schema once merged, for each cluster, at the cluster's path.
import { z } from 'zod';
import { ClusterPropsSchema } from './stack';
import { requireDnsLabel } from '../../core/names';
import type { DetectionFleetProps, FleetSharedProps } from '../../fleet/props';
import { plainObject, props, rule, withCheck } from '../build';
import { dns1123Label, labels } from '../kubernetes';
import { quote } from '../report';
import { assertSameType, SameType } from '../same-type';

const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** Why a git URL given to the GitOps engines is unusable or carries a credential, or undefined. */
export function gitUrlProblem(value: string): string | undefined {
  const scpLike = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/].*$/;
  if (scpLike.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a git URL (https://host/org/repo.git, ssh://git@host/org/repo.git or git@host:org/repo.git)';
  }
  if (!['https:', 'ssh:', 'http:'].includes(url.protocol)) return `has the scheme ${url.protocol} (use https:// or ssh://)`;
  if (url.password || (url.protocol !== 'ssh:' && url.username)) {
    return 'has a credential in it, which would be written into the Argo CD and Flux objects';
  }
  if (url.search || url.hash) return 'has a query or fragment (tokens travel there)';
  return undefined;
}

const gitUrl = rule(z.string(), 'DS-FLEET-006', (v) => gitUrlProblem(v) === undefined, (v) => `the repository URL ${gitUrlProblem(v)}`,
  'give the repository URL without credentials; the engines take theirs from their own repository Secrets');

/** A folder path inside the repository: relative, no '..', no empty part. */
const repoPath = rule(z.string(), 'DS-FLEET-010', (v) => /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/?$/.test(v) && !v.split('/').includes('..'),
  (v) => `${quote(v)} is not a folder path inside the repository`, 'give the fleet\'s folder relative to the repository root, e.g. \'dist/fleet\'');

const shared = plainObject<FleetSharedProps>('a stack definition without its cluster (DetectionStackProps less cluster)');

export const FleetClusterPropsSchema = props('FleetClusterProps', {
  ...ClusterPropsSchema.shape,
  labels: labels().optional(),
  namespaces: z.array(withCheck(z.string(), (v) => requireDnsLabel('', v, 'namespace'))).optional(),
  teams: z.array(z.string()).optional(),
  overrides: shared.optional(),
  delivery: props('FleetClusterDeliveryProps', {
    argocd: props('FleetClusterDeliveryProps.argocd', {
      destinationName: z.string().min(1).optional(),
    }).optional(),
    flux: props('FleetClusterDeliveryProps.flux', { kubeConfigSecret: dns1123Label('Secret name').optional() }).optional(),
  }).optional(),
});

export const DetectionFleetPropsSchema = props('DetectionFleetProps', {
  name: dns1123Label('fleet name'),
  shared: shared.optional(),
  clusters: rule(z.array(FleetClusterPropsSchema), 'DS-FLEET-007', (v) => v.length > 0, () => 'the fleet has no cluster',
    'declare at least one cluster in clusters'),
  delivery: props('FleetDeliveryProps', {
    git: props('FleetGitProps', { repoURL: gitUrl, revision: z.string().min(1).optional(), path: repoPath }),
    argocd: props('FleetDeliveryProps.argocd', {
      namespace: dns1123Label('namespace').optional(),
      selector: labels().optional(),
      disabled: z.boolean().optional(),
    }).optional(),
    flux: props('FleetDeliveryProps.flux', {
      namespace: dns1123Label('namespace').optional(),
      sourceName: dns1123Label('GitRepository name').optional(),
      interval: rule(z.string(), 'DS-FLEET-011', (v) => GO_DURATION.test(v), (v) => `${quote(v)} is not a Go duration`,
        'use a duration such as \'10m\' or \'1h30m\'').optional(),
      disabled: z.boolean().optional(),
    }).optional(),
  }).optional(),
}).superRefine((fleet, ctx) => {
  // The cluster comes from each entry of clusters; a `cluster` in the shared parts would be silently replaced.
  const places: [FleetSharedProps | undefined, PropertyKey[]][] = [
    [fleet.shared, ['shared']],
    ...fleet.clusters.map((c, i): [FleetSharedProps | undefined, PropertyKey[]] => [c.overrides, ['clusters', i, 'overrides']]),
  ];
  for (const [definition, path] of places) {
    if (definition && Object.hasOwn(definition, 'cluster')) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'cluster'],
        message: 'a fleet\'s clusters are declared in clusters, not in a stack definition',
        params: { code: 'DS-FLEET-008', fix: 'remove cluster here; set name, provider and region on the entry of clusters' },
      });
    }
  }
});

assertSameType<SameType<z.output<typeof DetectionFleetPropsSchema>, DetectionFleetProps>>();
