import type { FalcoCustomRule } from '../../lib/falco/sensor/props';
import type { DetectionFleetProps } from '../../lib/fleet/props';

const shellRule = (owner: string, name: string, namespace: string): FalcoCustomRule => ({
  owner,
  rule: {
    kind: 'rule',
    name,
    desc: `A shell in ${namespace}`,
    condition: `evt.type in (execve, execveat) and proc.name in (sh, bash) and k8s.ns.name = ${namespace}`,
    output: 'Shell (proc.cmdline=%proc.cmdline k8s.pod.name=%k8s.pod.name)',
    priority: 'WARNING',
  },
});

/** A fleet of the three providers: two teams, one rule each, a bucket per cluster. */
export function threeProviderFleet(): DetectionFleetProps {
  return {
    name: 'acme',
    shared: {
      sensors: { falco: { customRules: [shellRule('payments', 'Shell in billing', 'billing'), shellRule('identity', 'Shell in identity', 'identity')] } },
      routing: {
        teams: [
          { name: 'payments', namespaces: ['billing', 'checkout'], receivers: { pagerDuty: [{ routingKey: { name: 'receivers', key: 'payments' }, minimumPriority: 'Warning' }] } },
          { name: 'identity', namespaces: ['identity'], receivers: { pagerDuty: [{ routingKey: { name: 'receivers', key: 'identity' }, minimumPriority: 'Warning' }] } },
        ],
      },
      durable: { waived: { reason: 'fleet test: buckets are set per cluster where they exist' } },
    },
    clusters: [
      { name: 'prod-eu-oke', provider: 'oke', region: 'eu-frankfurt-1', labels: { environment: 'prod' } },
      {
        name: 'prod-us-eks',
        provider: 'eks',
        region: 'us-east-1',
        labels: { environment: 'prod' },
        namespaces: ['billing'],
        overrides: {
          durable: { waived: undefined, bucket: { name: 'detections-prod-us-eks', aws: { podIdentity: true } } },
          sensors: { falco: { minimumPriority: 'ERROR' } },
        },
      },
      { name: 'dev-aks', provider: 'aks', region: 'westeurope', labels: { environment: 'dev' } },
    ],
  };
}

/** The three-provider fleet with both deliveries, and a Tetragon-only cluster (its TracingPolicies need the agent's CRDs). */
export function deliveredFleet(): DetectionFleetProps {
  const fleet = threeProviderFleet();
  return {
    ...fleet,
    clusters: [
      ...fleet.clusters,
      {
        name: 'edge-eks',
        provider: 'eks',
        region: 'eu-west-1',
        labels: { environment: 'prod', tier: 'edge' },
        delivery: { argocd: { destinationName: 'edge-eks-prod' }, flux: { kubeConfigSecret: 'edge-eks-kubeconfig' } },
        overrides: {
          namespace: 'tetragon',
          sensors: { falco: undefined, tetragon: { productNamespaces: ['billing'], owner: 'payments' } },
        },
      },
    ],
    delivery: {
      git: { repoURL: 'https://git.example.com/acme/platform.git', path: 'dist/acme' },
      argocd: { selector: { environment: 'prod' } },
    },
  };
}
