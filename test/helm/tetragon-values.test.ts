import { planStack } from '../../lib';
import { tetragonChartRelease } from '../../lib/helm';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Values = any;

const stack = (listenOnAllInterfaces?: { reason: string }) => planStack({
  cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' },
  sensors: { tetragon: { productNamespaces: ['shop'], listenOnAllInterfaces } },
  durable: { waived: { reason: 'tetragon chart values test: no bucket' } },
}, 'helm-tetragon');

describe('tetragon chart 1.7.0 values: the agent\'s host-network listeners', () => {
  test('bound to the node\'s address as in the manifests, through the chart\'s extraArgs and extraEnv', () => {
    const plan = stack();
    const values: Values = tetragonChartRelease(plan)!.values;
    expect(values.tetragon.extraArgs).toEqual({ 'metrics-server': '[$(POD_IP)]:2112', 'health-server-address': '[$(POD_IP)]:6789' });
    expect(values.tetragon.extraEnv).toEqual([{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }]);
    // The same flags as the synthesized DaemonSet's agent container.
    const agent = plan.tetragon!.workloads.agent.pod.containers.find((c) => c.name === 'tetragon')!;
    expect(Object.entries(values.tetragon.extraArgs).map(([k, v]) => `--${k}=${String(v)}`)).toEqual(agent.args!.slice(1));
  });

  test('with listenOnAllInterfaces (a reason given): no flags, the config\'s :port as the chart writes it', () => {
    const values: Values = tetragonChartRelease(stack({ reason: 'Prometheus scrapes from a second node network' }))!.values;
    expect(values.tetragon.extraArgs).toBeUndefined();
    expect(values.tetragon.extraEnv).toBeUndefined();
    expect(values.tetragon.prometheus).toMatchObject({ enabled: true, address: '', port: 2112 });
  });
});

// tetragon chart 1.7.0 values.yaml: export.mode "stdout" runs the export-stdout sidecar, "" disables it
// (../shared/corpora/helm-values/tetragon-1.7.0-values.yaml, `export.mode`).
describe('tetragon chart 1.7.0 values: the export-stdout sidecar, as in the manifests', () => {
  test('off by default: export.mode is ""', () => {
    const plan = stack();
    expect(tetragonChartRelease(plan)!.values.export).toEqual({ mode: '', filenames: ['tetragon.log'] });
    expect(plan.tetragon!.workloads.agent.pod.containers.map((c) => c.name)).toEqual(['tetragon']);
  });

  test('with the opt-in: mode stdout and the user\'s image by digest', () => {
    const image = `quay.io/cilium/hubble-export-stdout:v1.1.1@sha256:${'fedcba9876543210'.repeat(4)}`;
    const plan = planStack({
      cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' },
      sensors: { tetragon: { productNamespaces: ['shop'], export: { stdoutSidecar: true }, images: { exportStdout: image } } },
      durable: { waived: { reason: 'tetragon chart values test: no bucket' } },
    }, 'helm-tetragon');
    const values: Values = tetragonChartRelease(plan)!.values;
    expect(values.export.mode).toBe('stdout');
    expect(values.export.stdout).toEqual({ image: { override: image } });
  });
});
