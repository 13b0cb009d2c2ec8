// The default stack on OKE: Falco with one custom rule owned by the platform-security team, Falcosidekick
// routing the team's alerts, and every alert shipped to an OCI Object Storage bucket.
// Credentials are referenced by Secret name and key only; create the Secrets before applying.
import { App } from 'cdk8s';
import { and, DetectionStack, FalcoCustomRule, inList, neq, printCondition } from '../../lib';

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

/** The example stack, in any cdk8s App (the tests synthesize it in memory). */
export function okeFalcoStack(app: App): DetectionStack {
  return new DetectionStack(app, 'oke-falco', {
    cluster: { name: 'prod-eu', provider: 'oke', region: 'eu-frankfurt-1' },
    sensors: { falco: { customRules: [packageManagerInContainer] } },
    routing: {
      teams: [{
        name: 'platform-security',
        namespaces: REGULATED_NAMESPACES,
        receivers: { pagerDuty: [{ routingKey: { name: 'alert-receivers', key: 'platform-security-pagerduty' }, minimumPriority: 'Warning' }] },
      }],
    },
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
if (require.main === module) {
  const app = new App();
  okeFalcoStack(app);
  app.synth();
}
