/**
 * The fleet the fleet bench synthesizes: N clusters on the three providers in turn, 10 teams (each owning two
 * product namespaces), the project's runtime and Kubernetes-audit packs, a bucket per cluster on its provider, the
 * k8saudit plugin where the provider has one. Plain data: the bench writes it as JSON for the synthesizing process.
 */
import type { DetectionFleetProps, FleetClusterProps } from '../lib/fleet/props';

export const BENCH_TEAMS = 10;
const PROVIDERS = ['oke', 'eks', 'aks'] as const;
const REGIONS = { oke: 'eu-frankfurt-1', eks: 'us-east-1', aks: 'westeurope' } as const;

export function benchFleetProps(clusters: number): DetectionFleetProps {
  const teams = Array.from({ length: BENCH_TEAMS }, (_, i) => ({ name: `team-${i}`, namespaces: [`app-${i}-a`, `app-${i}-b`] }));
  const namespaces = teams.flatMap((t) => t.namespaces);
  const receiver = (team: string) => ({ pagerDuty: [{ routingKey: { name: 'alert-receivers', key: team }, minimumPriority: 'Warning' as const }] });
  return {
    name: 'bench',
    shared: {
      sensors: { falco: { loadDefaultRules: false } },
      packs: { namespaces, defaultOwner: 'team-0', owners: { 'k8s-audit': 'team-1' } },
      routing: {
        teams: teams.map((t) => ({ ...t, receivers: receiver(t.name) })),
        unowned: receiver('security-oncall'),
      },
    },
    clusters: Array.from({ length: clusters }, (_, i) => benchCluster(i)),
    delivery: { git: { repoURL: 'https://git.example.com/platform/bench-fleet.git', path: 'dist/bench' }, argocd: { selector: { environment: 'prod' } } },
  };
}

function benchCluster(i: number): FleetClusterProps {
  const provider = PROVIDERS[i % PROVIDERS.length];
  const name = `c${String(i).padStart(3, '0')}-${provider}`;
  const bucket = `detections-${name}`;
  const durable = provider === 'oke'
    ? { bucket: { name: bucket, oci: { objectStorageNamespace: 'benchtenancy', accessKeyId: { name: 'durable-bucket', key: 'id' }, secretAccessKey: { name: 'durable-bucket', key: 'key' } } } }
    : provider === 'eks'
      ? { bucket: { name: bucket, aws: { podIdentity: true } } }
      : { bucket: { name: bucket, azure: { storageAccount: `benchacct${i}`, sasToken: { name: 'durable-bucket', key: 'sas' } } } };
  const audit = provider === 'oke'
    ? { cloud: { ociCompartmentId: 'ocid1.compartment.oc1..aaaaaaaabenchcompartment' } }
    : { kubernetes: { falcoPlugin: {} } };
  return {
    name,
    provider,
    region: REGIONS[provider],
    labels: { environment: i % 4 === 3 ? 'staging' : 'prod' },
    overrides: { durable, audit },
  };
}
