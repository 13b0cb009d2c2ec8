import type { DetectionStackProps } from '../../lib/stack/props';
import { restrictedViolations } from '../helpers/pod-security';
import { fullEksProps, synth } from '../monitoring/fixtures';

/**
 * Least privilege (#12): only the sensors need the `privileged` Pod Security level. The routing namespace is
 * labelled `restricted` (enforce, warn, audit), so the API server refuses any pod there that fails the level: every
 * pod the stack puts there must pass it, judged with the restricted checks of kubernetes/pod-security-admission
 * v0.36.2 (test/helpers/pod-security.ts). The sensors' namespace is the only privileged one.
 */
type K8sObject = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: any };
const CONTROLLERS = new Set(['DaemonSet', 'Deployment', 'StatefulSet']);
const ENFORCE = 'pod-security.kubernetes.io/enforce';

const withPvc = (): DetectionStackProps => {
  const p = fullEksProps();
  return { ...p, routing: { ...p.routing!, alertmanager: { ...p.routing!.alertmanager, storage: { size: '1Gi' } } } };
};
const STACKS: [string, DetectionStackProps][] = [
  ['EKS: every routing workload, k8saudit Falco, shipper, monitoring', fullEksProps()],
  ['EKS with the Alertmanager storage opt-in', withPvc()],
];

const levels = (objects: K8sObject[]) => new Map(objects.filter((o) => o.kind === 'Namespace')
  .map((n) => [n.metadata.name, n.metadata.labels?.[ENFORCE]]));
const controllersIn = (objects: K8sObject[], namespace: string) =>
  objects.filter((o) => CONTROLLERS.has(o.kind) && o.metadata.namespace === namespace);

describe.each(STACKS)('%s', (_name, props) => {
  const objects = synth(props) as K8sObject[];
  const ns = levels(objects);

  test('two namespaces: the sensors\' privileged, the routing one restricted', () => {
    expect([...ns.values()].sort()).toEqual(['privileged', 'restricted']);
  });

  test('every pod of the restricted namespace passes the restricted level', () => {
    const restricted = [...ns].filter(([, l]) => l === 'restricted').map(([n]) => n);
    const pods = restricted.flatMap((n) => controllersIn(objects, n));
    expect(pods.map((c) => c.metadata.name).sort()).toEqual(expect.arrayContaining(['alertmanager', 'falcosidekick']));
    expect(pods.map((c) => ({ [`${c.kind}/${c.metadata.name}`]: restrictedViolations(c.spec.template.spec, c.spec.template.metadata?.annotations) })))
      .toEqual(pods.map((c) => ({ [`${c.kind}/${c.metadata.name}`]: [] })));
  });

  test('the privileged namespace: the node Falco (capabilities, host paths) and the shipper (host paths) need it; the k8saudit Falco passes restricted itself', () => {
    const privileged = [...ns].filter(([, l]) => l === 'privileged').map(([n]) => n);
    const pods = privileged.flatMap((n) => controllersIn(objects, n));
    const checks = (name: string) => {
      const c = pods.find((p) => p.metadata.name === name)!;
      return [...new Set(restrictedViolations(c.spec.template.spec, c.spec.template.metadata?.annotations).map((v) => v.split(':')[0]))].sort();
    };
    expect(pods.map((c) => c.metadata.name).sort()).toEqual(['alert-shipper', 'falco', 'falco-k8saudit']);
    expect(checks('falco')).toEqual(expect.arrayContaining(['capabilities', 'hostPathVolumes']));
    expect(checks('alert-shipper')).toContain('hostPathVolumes');
    // a sensor, so in the sensors' namespace, but nothing of it needs more than restricted
    expect(checks('falco-k8saudit')).toEqual([]);
  });
});

describe('the restricted checks have teeth', () => {
  const good = {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    volumes: [{ name: 'v', configMap: { name: 'x' } }],
  };
  const container = (sc: object) => ({ ...good, containers: [{ name: 'c', securityContext: { ...good.containers[0].securityContext, ...sc } }] });

  test('a compliant pod passes', () => {
    expect(restrictedViolations(good)).toEqual([]);
  });

  test.each([
    ['hostPathVolumes', { ...good, volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] }],
    ['hostNamespaces', { ...good, hostNetwork: true }],
    ['allowPrivilegeEscalation', container({ allowPrivilegeEscalation: undefined })],
    ['capabilities', container({ capabilities: { drop: ['NET_RAW'] } })],
    ['capabilities', container({ capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } })],
    ['runAsNonRoot', { ...good, securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }],
    ['seccompProfile', { ...good, securityContext: { runAsNonRoot: true } }],
    ['privileged', container({ privileged: true })],
    ['runAsUser', container({ runAsUser: 0 })],
  ])('%s is found', (check, spec) => {
    expect(restrictedViolations(spec).map((v) => v.split(':')[0])).toContain(check);
  });
});
