import { Testing } from 'cdk8s';
import { DetectionStack, DetectionStackChartProps } from '../../lib';
import type { AlertmanagerProps } from '../../lib/routing/props';
import { schemaErrors } from '../helpers/k8s-schema';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type K8sObject = any;

const props = (storage?: AlertmanagerProps['storage']): DetectionStackChartProps => ({
  cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
  routing: {
    teams: [{ name: 'payments', namespaces: ['billing'], receivers: { pagerDuty: [{ routingKey: { name: 'payments-pd', key: 'key' }, minimumPriority: 'Critical' }] } }],
    alertmanager: storage ? { storage } : {},
  },
  durable: { waived: { reason: 'storage test: no bucket in this cluster' } },
});
const statefulSet = (p: DetectionStackChartProps): K8sObject => {
  const objects = Testing.synth(new DetectionStack(Testing.app(), 'test', p));
  expect(schemaErrors(objects)).toEqual([]);
  return objects.find((o: K8sObject) => o.kind === 'StatefulSet' && o.metadata.name === 'alertmanager');
};

describe('the bundled Alertmanager keeps silences and the notification log', () => {
  test('GIVEN no storage THEN an emptyDir per replica, the state kept by gossip between the 2 replicas', () => {
    const sts = statefulSet(props());
    expect(sts.spec.volumeClaimTemplates).toBeUndefined();
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.template.spec.volumes).toContainEqual({ name: 'storage', emptyDir: { sizeLimit: '256Mi' } });
    expect(sts.spec.template.spec.containers[0].args).toContain('--storage.path=/alertmanager');
  });

  test('GIVEN storage THEN a ReadWriteOnce PersistentVolumeClaim per replica mounted at --storage.path, no emptyDir', () => {
    const sts = statefulSet(props({ size: '1Gi', storageClassName: 'gp3' }));
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'storage', labels: { 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': 'prod-eks' } },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '1Gi' } } },
    }]);
    const pod = sts.spec.template.spec;
    expect(pod.volumes.map((v: K8sObject) => v.name)).not.toContain('storage');
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'storage', mountPath: '/alertmanager' });
    // fsGroup makes the volume writable by the image's user (nobody).
    expect(pod.securityContext.fsGroup).toBe(65534);
    expect(statefulSet(props({ size: '512Mi' })).spec.volumeClaimTemplates[0].spec.storageClassName).toBeUndefined();
  });

  test.each([
    [{ size: '1G' }, 'test/routing.alertmanager.storage.size'],
    [{ size: '1Gi', storageClassName: 'Fast SSD' }, 'test/routing.alertmanager.storage.storageClassName'],
  ])('GIVEN %j THEN DS-ROUTE-014 at the prop', (storage, where) => {
    expect(() => new DetectionStack(Testing.app(), 'test', props(storage)))
      .toThrow(expect.objectContaining({ code: 'DS-ROUTE-014', where }));
  });
});
