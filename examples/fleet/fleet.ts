// The fleet's one definition, plain data: the cdk8s app (main.ts) synthesizes every cluster of it, the Pulumi program
// (pulumi/index.ts) deploys one cluster of it per Pulumi stack.
import type { DetectionFleetProps } from '../../lib';

const PRODUCT_NAMESPACES = ['billing', 'checkout', 'identity'];

const pagerDuty = (key: string) => ({ pagerDuty: [{ routingKey: { name: 'alert-receivers', key }, minimumPriority: 'Warning' as const }] });

export const fleetProps: DetectionFleetProps = {
  name: 'acme',
  shared: {
    sensors: {
      falco: {
        // Only owned rules: Falco's default rules would run first and, with first-match, take their events.
        loadDefaultRules: false,
      },
    },
    // The runtime pack is the payments team's, the Kubernetes-audit pack the identity team's: a cluster that does not
    // route a team leaves its rules out.
    packs: { namespaces: PRODUCT_NAMESPACES, defaultOwner: 'payments', owners: { 'k8s-audit': 'identity' } },
    routing: {
      teams: [
        { name: 'payments', namespaces: ['billing', 'checkout'], receivers: pagerDuty('payments-pagerduty') },
        { name: 'identity', namespaces: ['identity'], receivers: pagerDuty('identity-pagerduty') },
      ],
      // Alerts from namespaces no team owns (kube-system, the hosts) page the security on-call.
      unowned: pagerDuty('security-oncall-pagerduty'),
    },
  },
  clusters: [
    {
      name: 'prod-eu',
      provider: 'oke',
      region: 'eu-frankfurt-1',
      labels: { environment: 'prod' },
      overrides: {
        audit: { cloud: { ociCompartmentId: 'ocid1.compartment.oc1..aaaaaaaaexampleproducteu' } },
        durable: {
          bucket: {
            name: 'detections-prod-eu',
            oci: {
              objectStorageNamespace: 'exampletenancy',
              accessKeyId: { name: 'durable-bucket', key: 'access-key-id' },
              secretAccessKey: { name: 'durable-bucket', key: 'secret-access-key' },
            },
          },
        },
      },
    },
    {
      name: 'prod-us',
      provider: 'eks',
      region: 'us-east-1',
      labels: { environment: 'prod' },
      overrides: {
        // EKS and AKS have a k8saudit plugin: the Kubernetes-audit pack runs there (on OKE, OCI Audit answers instead).
        audit: { kubernetes: { falcoPlugin: {} } },
        durable: { bucket: { name: 'detections-prod-us', aws: { podIdentity: true } } },
      },
    },
    {
      name: 'prod-we',
      provider: 'aks',
      region: 'westeurope',
      labels: { environment: 'prod' },
      overrides: {
        audit: { kubernetes: { falcoPlugin: {} } },
        durable: { bucket: { name: 'detections-prod-we', azure: { storageAccount: 'acmedetections', sasToken: { name: 'durable-bucket', key: 'sas-token' } } } },
      },
    },
    {
      name: 'staging-us',
      provider: 'eks',
      region: 'us-east-1',
      labels: { environment: 'staging' },
      // Only the payments product runs in staging: identity is not routed here, nor are the rules it owns.
      namespaces: ['billing', 'checkout'],
      overrides: {
        audit: { kubernetes: { falcoPlugin: {} } },
        durable: { waived: { reason: 'staging holds no production data; its alerts go to the teams only' } },
      },
    },
  ],
  delivery: {
    git: { repoURL: 'https://git.example.com/platform/detection-fleet.git', path: 'dist/fleet' },
    // Argo CD rolls out to production; staging is reconciled by its own Flux (flux/staging-us.yaml).
    argocd: { selector: { environment: 'prod' } },
  },
};
