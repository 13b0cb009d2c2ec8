// The default stack on OKE: Falco with the project's runtime and Kubernetes-audit detection packs and one
// hand-written rule, all owned by the platform-security team; Falcosidekick routing the team's alerts; every
// alert shipped to an OCI Object Storage bucket; a runbook per rule with OCI Audit queries (dist/oke-falco/).
// Credentials are referenced by Secret name and key only; create the Secrets before applying.
import { App } from 'cdk8s';
import { and, DetectionPackProps, DetectionStack, FalcoCustomRule, inList, neq, printCondition, synthApp } from '../../lib';

/** Package managers whose use inside a running container means the image is being changed in place. */
const PACKAGE_MANAGERS = ['apt', 'apt-get', 'aptitude', 'dpkg', 'yum', 'dnf', 'microdnf', 'rpm', 'apk', 'zypper', 'pip', 'pip3', 'npm', 'yarn', 'gem'];
/** Namespaces holding regulated workloads, whose images must never change at runtime. */
const REGULATED_NAMESPACES = ['billing', 'checkout', 'identity'];

export const packageManagerInContainer: FalcoCustomRule = {
  owner: 'platform-security',
  rule: {
    kind: 'rule',
    name: 'Package manager run in a regulated container',
    desc: 'A package manager ran inside a container of a regulated namespace: the image is being modified at runtime.',
    // Every value is quoted by the builder: no namespace or program name can change the condition.
    condition: printCondition(and(
      inList('evt.type', ['execve', 'execveat']),
      neq('container.id', 'host'),
      inList('proc.name', PACKAGE_MANAGERS),
      inList('k8s.ns.name', REGULATED_NAMESPACES),
    )),
    output: 'Package manager run in container (proc.cmdline=%proc.cmdline user.name=%user.name container.id=%container.id ' +
      'container.image.repository=%container.image.repository k8s.ns.name=%k8s.ns.name k8s.pod.name=%k8s.pod.name)',
    priority: 'WARNING',
    tags: ['container', 'process', 'software_mgmt', 'mitre_persistence'],
  },
};

/**
 * The project's packs, tuned to this estate. The hand-written rule above covers package managers, so the
 * pack's own package-manager rule is disabled rather than alerting twice. On OKE the Kubernetes-audit rules
 * have no event source (there is no k8saudit plugin for OKE): synth says so (DS-FALCO-104) and the report
 * lists them as not running, while their runbooks answer the same questions from OCI Audit.
 */
export const packs: DetectionPackProps = {
  namespaces: REGULATED_NAMESPACES,
  defaultOwner: 'platform-security',
  disabledRules: ['ds-package-manager-in-product-container'],
};

/** The example stack, in any cdk8s App (the tests synthesize it in memory). */
export function okeFalcoStack(app: App): DetectionStack {
  return new DetectionStack(app, 'oke-falco', {
    cluster: { name: 'prod-eu', provider: 'oke', region: 'eu-frankfurt-1' },
    sensors: {
      falco: {
        // Only rules with an owner: Falco's default rules would also run first and, with first-match, take their events.
        loadDefaultRules: false,
        customRules: [packageManagerInContainer],
      },
    },
    // The packs' rules run after the hand-written one, each owned; the report and runbooks read them from the plan.
    packs,
    routing: {
      teams: [{
        name: 'platform-security',
        namespaces: REGULATED_NAMESPACES,
        receivers: { pagerDuty: [{ routingKey: { name: 'alert-receivers', key: 'platform-security-pagerduty' }, minimumPriority: 'Warning' }] },
      }],
    },
    // The runbooks search this compartment's _Audit log group (an example OCID: use your own).
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
  });
}

// `cdk8s synth` runs this file; importing it (tests) only defines the stack.
if (require.main === module) synthApp((app) => okeFalcoStack(app));
