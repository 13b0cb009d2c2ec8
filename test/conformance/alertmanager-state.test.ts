import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ALERTMANAGER_BINARY, ALERTMANAGER_ROOT, expectAlertmanager, httpCall, start, stop, stopAll, until } from './alertmanager-support';
import type { StackPlan } from '../../lib/stack/plan';
import { fullEksProps, stackPlan } from '../monitoring/fixtures';

/**
 * Alertmanager keeps silences (and the notification log) across restarts (#12), judged by the real Alertmanager
 * 0.33.1 with the generated arguments (README "Alertmanager's state"):
 * - with `routing.alertmanager.storage` the state is in `--storage.path`, on a PersistentVolumeClaim per replica: a
 *   replica stopped and started again on the same directory still has the silence;
 * - without it (an emptyDir per replica) a pod that comes back with an empty directory gets the silence from its peer
 *   by gossip, as long as one replica stays up; alone, on an empty directory, it has none (the loss the README states).
 * Only the listen ports, $(POD_IP) (127.0.0.1), the peers and the storage and config paths are changed for the
 * loopback: the config is a minimal one, which the state does not depend on.
 */
const props = fullEksProps();
const WITH_PVC: StackPlan = stackPlan({ ...props, routing: { ...props.routing!, alertmanager: { mode: 'bundled', storage: { size: '1Gi' } } } });
const DEFAULT: StackPlan = stackPlan(props);
const DIR = `/tmp/ds-am-state-${process.pid}`;
const portBase = 24000 + (process.pid % 1000) * 8;

beforeAll(() => {
  expectAlertmanager();
  mkdirSync(join(ALERTMANAGER_ROOT, DIR), { recursive: true });
  writeFileSync(join(ALERTMANAGER_ROOT, DIR, 'am.yml'), 'route:\n  receiver: none\nreceivers:\n  - name: none\n');
});
afterAll(() => {
  stopAll();
  rmSync(join(ALERTMANAGER_ROOT, DIR), { recursive: true, force: true });
});

function generatedArgs(plan: StackPlan): string[] {
  const workload = plan.routing!.alertmanager!.workload!;
  return [...workload.pod.containers[0].args!];
}

/** The storage mount the generated pod has at --storage.path: a claim template with the PVC opt-in, an emptyDir without. */
function storageOf(plan: StackPlan): { path: string; kind: string } {
  const workload = plan.routing!.alertmanager!.workload!;
  const path = generatedArgs(plan).find((a) => a.startsWith('--storage.path='))!.slice('--storage.path='.length);
  const mount = workload.pod.containers[0].volumeMounts!.find((m) => m.mountPath === path)!;
  const volume = workload.pod.volumes.find((v) => v.name === mount.name);
  return { path, kind: volume ? Object.keys(volume).filter((k) => k !== 'name').join(',') : 'volumeClaimTemplate' };
}

/** One replica with the generated arguments moved onto the loopback; `data` is its --storage.path inside DIR. */
function replica(plan: StackPlan, data: string, web: number, gossip: number, peers: readonly number[]) {
  const args = generatedArgs(plan).filter((a) => !a.startsWith('--cluster.peer=')).map((a) => {
    if (a.startsWith('--config.file=')) return `--config.file=${DIR}/am.yml`;
    if (a.startsWith('--storage.path=')) return `--storage.path=${DIR}/${data}`;
    if (a.startsWith('--web.listen-address=')) return `--web.listen-address=127.0.0.1:${web}`;
    return a.replace(/:9094$/, `:${gossip}`).replace('$(POD_IP)', '127.0.0.1').replace('0.0.0.0:', '127.0.0.1:');
  });
  const am = start('chroot', [ALERTMANAGER_ROOT, ALERTMANAGER_BINARY, ...args, ...peers.map((p) => `--cluster.peer=127.0.0.1:${p}`)]);
  return { ...am, web };
}
type Replica = ReturnType<typeof replica>;

async function ready(am: Replica): Promise<void> {
  await until(`alertmanager ready on 127.0.0.1:${am.web}\n${am.output()}`, () => httpCall('127.0.0.1', am.web, '/-/ready').then((r) => (r?.status === 200 ? r : undefined)));
}

async function addSilence(am: Replica): Promise<string> {
  const now = Date.now();
  const r = await httpCall('127.0.0.1', am.web, '/api/v2/silences', {
    matchers: [{ name: 'alertname', value: 'FalcoAlert', isRegex: false, isEqual: true }],
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 3_600_000).toISOString(),
    createdBy: 'conformance',
    comment: 'kept across restarts?',
  });
  expect(r?.status).toBe(200);
  return (JSON.parse(r!.body) as { silenceID: string }).silenceID;
}

async function activeSilences(am: Replica): Promise<string[]> {
  const r = await httpCall('127.0.0.1', am.web, '/api/v2/silences');
  return (JSON.parse(r!.body) as { id: string; status: { state: string } }[]).filter((s) => s.status.state === 'active').map((s) => s.id);
}

describe('with routing.alertmanager.storage (a PersistentVolumeClaim per replica)', () => {
  test('the generated --storage.path is the claim\'s mount', () => {
    expect(storageOf(WITH_PVC)).toEqual({ path: '/alertmanager', kind: 'volumeClaimTemplate' });
    expect(WITH_PVC.routing!.alertmanager!.workload!.statefulSet!.volumeClaims).toEqual([{ name: 'storage', storage: '1Gi' }]);
  });

  test('a replica stopped and started on the same storage still has the silence; on a new one it has none', async () => {
    const web = portBase;
    const first = replica(WITH_PVC, 'pvc', web, web + 1, []);
    await ready(first);
    const id = await addSilence(first);
    expect(await activeSilences(first)).toEqual([id]);
    expect(await stop(first.proc)).toBe(0);

    const again = replica(WITH_PVC, 'pvc', web, web + 1, []);
    await ready(again);
    expect(await activeSilences(again)).toEqual([id]);
    expect(await stop(again.proc)).toBe(0);

    // the check can fail: the same replica on an empty directory (an emptyDir after a restart) has lost it
    const fresh = replica(WITH_PVC, 'pvc-empty', web, web + 1, []);
    await ready(fresh);
    expect(await activeSilences(fresh)).toEqual([]);
    expect(await stop(fresh.proc)).toBe(0);
  }, 90_000);
});

describe('without storage (an emptyDir per replica, the state kept by gossip)', () => {
  test('the generated --storage.path is an emptyDir, and there are 2 replicas', () => {
    expect(storageOf(DEFAULT)).toEqual({ path: '/alertmanager', kind: 'emptyDir' });
    expect(DEFAULT.routing!.alertmanager!.workload!.replicas).toBe(2);
  });

  test('a replica replaced with an empty directory gets the silence from its peer', async () => {
    const web = [portBase + 2, portBase + 3];
    const gossip = [portBase + 4, portBase + 5];
    const a = replica(DEFAULT, 'a', web[0], gossip[0], [gossip[1]]);
    const b = replica(DEFAULT, 'b', web[1], gossip[1], [gossip[0]]);
    await Promise.all([ready(a), ready(b)]);
    const id = await addSilence(a);
    await until(`the silence on replica b\n${b.output()}`, async () => ((await activeSilences(b)).includes(id) ? true : undefined));
    expect(await stop(b.proc)).toBe(0);
    // b's pod comes back on a new node: a new, empty emptyDir
    const b2 = replica(DEFAULT, 'b-new', web[1], gossip[1], [gossip[0]]);
    await ready(b2);
    await until(`the silence on the new replica b\n${b2.output()}`, async () => ((await activeSilences(b2)).includes(id) ? true : undefined), 20_000);
    expect(await activeSilences(b2)).toEqual([id]);
    await Promise.all([stop(a.proc), stop(b2.proc)]);
  }, 90_000);
});
