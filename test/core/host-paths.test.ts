import { systemHostPath } from '../../lib/core/host-paths';
import { falcoStdoutSource, planDurable } from '../../lib/durable/plan';
import type { TetragonSensorProps } from '../../lib/tetragon/props';
import { EKS, refusalOf } from '../helpers/refusal';
import { fullEksProps, synth } from '../monitoring/fixtures';
import { planContext } from '../routing/helpers';

/**
 * No `DirectoryOrCreate` hostPath on a system directory: the kubelet would create it if missing and mount it writable
 * (the shipper runs as root, the Tetragon agent privileged). The two such volumes the stack renders are the
 * shipper's buffer (`durable.shipper.bufferHostPath`) and Tetragon's export directory (`export.directory`).
 */
describe('system host directories', () => {
  test.each([
    ['/', '/'], ['/etc', '/etc'], ['/etc/fluent-bit', '/etc'], ['/usr/local/x', '/usr'], ['/var', '/var'], ['/var/lib', '/var/lib'],
    ['/var/lib/kubelet/x', '/var/lib/kubelet'], ['/var/lib/containerd', '/var/lib/containerd'], ['/var/log', '/var/log'],
    ['/var/log/pods/x', '/var/log/pods'], ['/sys/fs/x', '/sys'], ['/proc', '/proc'], ['/run/x', '/run'], ['/var/run/x', '/var/run'], ['/tmp', '/tmp'],
  ])('%s is the system directory %s', (path, system) => {
    expect(systemHostPath(path)).toBe(system);
  });

  test.each(['/var/lib/detection-stack/fluent-bit', '/var/log/tetragon', '/opt/detection-stack', '/var/lib/kubelet-buffer', '/data/fb'])(
    '%s is a directory of its own', (path) => {
      expect(systemHostPath(path)).toBeUndefined();
    });

  test('the shipper refuses a system directory as its buffer (DS-DURABLE-058), the default passes', () => {
    const bucket = { name: 'b-bucket', aws: { podIdentity: true } };
    const plan = (bufferHostPath?: string) => planDurable({ bucket, ...(bufferHostPath ? { shipper: { bufferHostPath } } : {}) },
      planContext('eks', 'eu-west-1'), [falcoStdoutSource('falco', 'falco-', 'falco')], 'test/durable');
    expect(plan()!.shipper!.bufferHostPath).toBe('/var/lib/detection-stack/fluent-bit');
    expect(() => plan('/etc/fluent-bit')).toThrow(
      "DS-DURABLE-058 at test/durable.shipper.bufferHostPath: '/etc/fluent-bit' is inside the system directory /etc, which the shipper would create and write (DirectoryOrCreate)");
    expect(() => plan('/var/lib')).toThrow(/DS-DURABLE-058 at test\/durable\.shipper\.bufferHostPath: '\/var\/lib' is a system directory/);
  });

  test('Tetragon refuses a system directory for its export file (DS-TETRA-058)', () => {
    const tetragon = (extra: Partial<TetragonSensorProps>) => refusalOf({ ...EKS, sensors: { tetragon: { productNamespaces: ['billing'], ...extra } } });
    expect(tetragon({ export: { directory: '/etc' } })).toBe(
      "DS-TETRA-058 at stack/sensors.tetragon.export.directory: '/etc' is a system directory, which the agent would create and write (DirectoryOrCreate)");
    expect(tetragon({ export: { directory: '/var/lib/kubelet/tetragon' } })).toMatch(/^DS-TETRA-058 .*inside the system directory \/var\/lib\/kubelet,/);
    // refusalOf fails with 'accepted' when the stack plans: a directory of its own is taken.
    expect(() => tetragon({ export: { directory: '/var/log/tetragon-export' } })).toThrow(/^accepted$/);
  });
});

test('every DirectoryOrCreate hostPath of a stack running every workload is a directory of its own; system paths are Directory, read-only', () => {
  const p = fullEksProps();
  const objects = synth({
    ...p, sensors: { ...p.sensors, tetragon: { productNamespaces: ['billing'], owner: 'platform-security', seedPatterns: [] }, ownership: { detections: [] } },
  });
  const pods = objects.filter((o) => ['DaemonSet', 'Deployment', 'StatefulSet'].includes(o.kind)).map((o) => [o.metadata.name, o.spec.template.spec]);
  const hostPaths = pods.flatMap(([name, pod]) => (pod.volumes ?? []).filter((v: any) => v.hostPath).map((v: any) => ({ name, volume: v, pod })));
  const created = hostPaths.filter((h) => h.volume.hostPath.type === 'DirectoryOrCreate').map((h) => `${h.name}: ${h.volume.hostPath.path}`);
  expect(created.sort()).toEqual(['alert-shipper: /var/lib/detection-stack/fluent-bit', 'tetragon: /var/log/tetragon']);
  expect(created.filter((c) => systemHostPath(c.slice(c.indexOf(': ') + 2)) !== undefined)).toEqual([]);
  // Every hostPath is typed (an untyped one is created when missing too, as an empty directory).
  expect(hostPaths.filter((h) => h.volume.hostPath.type === undefined).map((h) => `${h.name}: ${h.volume.hostPath.path}`)).toEqual([]);
  // A system directory is never created and is mounted read-only, but for the BPF filesystem Tetragon pins its maps in.
  const system = hostPaths.filter((h) => systemHostPath(h.volume.hostPath.path) !== undefined);
  expect(system.filter((h) => h.volume.hostPath.type === 'DirectoryOrCreate')).toEqual([]);
  const writable = system.flatMap((h) => [...(h.pod.initContainers ?? []), ...h.pod.containers]
    .flatMap((c: any) => (c.volumeMounts ?? []).filter((m: any) => m.name === h.volume.name && !m.readOnly).map(() => `${h.name}/${c.name}: ${h.volume.hostPath.path}`)));
  expect(writable).toEqual(['tetragon/tetragon: /sys/fs/bpf']);
});
