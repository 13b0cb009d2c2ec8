import * as path from 'path';
import { HELM_STACK } from './fixtures/helm-releases/stack';
import { dependenciesOf, ofType, resource } from './plan-helpers';
import { helmDelivery } from '../../lib/helm/releases';
import { DetectionStackHelmReleases } from '../../lib/pulumi/helm';
import { OfflinePlan, planProgram } from '../../lib/pulumi/offline-plan';
import { planStack } from '../../lib/stack/plan';

// GIVEN a stack with Falco and Tetragon WHEN a program installs it through the official charts under Pulumi's mocks
// THEN each helm.v3.Release carries the chart pin and exactly the values the Helm delivery renders from the same plan.
let plan: OfflinePlan;
beforeAll(async () => {
  plan = await planProgram(path.join(__dirname, 'fixtures', 'helm-releases'));
}, 60_000);

const RELEASE = 'kubernetes:helm.sh/v3:Release';
const expected = helmDelivery(planStack(HELM_STACK, 'prod-eks-charts'));

test('one Release per official chart, pinned, with the values rendered from the plan', () => {
  expect(ofType(plan, RELEASE).map((r) => r.name)).toEqual(['prod-eks-charts-falco', 'prod-eks-charts-falcosidekick', 'prod-eks-charts-tetragon']);
  expect(expected.releases.map((r) => r.chart.name)).toEqual(['falco', 'falcosidekick', 'tetragon']);
  for (const release of expected.releases) {
    const r = resource(plan, RELEASE, `prod-eks-charts-${release.releaseName}`);
    expect(r.inputs).toMatchObject({
      name: release.releaseName,
      chart: release.chart.name,
      version: release.chart.version,
      repositoryOpts: { repo: release.chart.repository },
      namespace: release.namespace,
      createNamespace: false,
      skipAwait: false,
    });
    expect(r.inputs.values).toEqual(JSON.parse(JSON.stringify(release.values)));
    expect(r.parent).toBe('prod-eks-charts');
  }
  const falco = resource(plan, RELEASE, 'prod-eks-charts-falco').inputs as { version: string; repositoryOpts: { repo: string }; values: any };
  expect([falco.version, falco.repositoryOpts.repo]).toEqual(['9.1.0', 'https://falcosecurity.github.io/charts']);
  expect(falco.values.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]);
  expect(falco.values.falco.http_output.enabled).toBe(true);
  expect((resource(plan, RELEASE, 'prod-eks-charts-tetragon').inputs as { version: string }).version).toBe('1.7.0');
});

test('the Namespaces with their Pod Security labels come first; Falcosidekick (routing namespace) after Falco, Tetragon last', () => {
  const ns = resource(plan, 'kubernetes:core/v1:Namespace', 'prod-eks-charts-namespace');
  expect(ns.inputs.metadata).toMatchObject({ name: 'falco', labels: expect.objectContaining({ 'pod-security.kubernetes.io/enforce': 'privileged' }) });
  const routingNs = resource(plan, 'kubernetes:core/v1:Namespace', 'prod-eks-charts-namespace-falco-routing');
  expect(routingNs.inputs.metadata).toMatchObject({ name: 'falco-routing', labels: expect.objectContaining({ 'pod-security.kubernetes.io/enforce': 'restricted' }) });
  const namespaces = ['kubernetes:core/v1:Namespace prod-eks-charts-namespace', 'kubernetes:core/v1:Namespace prod-eks-charts-namespace-falco-routing'];
  expect(dependenciesOf(plan, RELEASE, 'prod-eks-charts-falco')).toEqual(namespaces);
  expect(dependenciesOf(plan, RELEASE, 'prod-eks-charts-falcosidekick')).toEqual([...namespaces, `${RELEASE} prod-eks-charts-falco`]);
  expect((resource(plan, RELEASE, 'prod-eks-charts-falcosidekick').inputs as { namespace: string }).namespace).toBe('falco-routing');
  expect(dependenciesOf(plan, RELEASE, 'prod-eks-charts-tetragon')).toEqual([...namespaces, `${RELEASE} prod-eks-charts-falcosidekick`]);
  // Nothing else: the parts outside the charts are listed, not deployed.
  expect(plan.resources.map((r) => r.type).sort()).toEqual([
    'detection-stack:kubernetes:DetectionStackHelmReleases', 'kubernetes:core/v1:Namespace', 'kubernetes:core/v1:Namespace', RELEASE, RELEASE, RELEASE,
  ]);
  expect(expected.outsideCharts.map((p) => p.what)).toEqual(expect.arrayContaining(['the bundled Alertmanager and its team routes']));
});

test('the stack\'s guardrails run first, as for cdk8s synth', () => {
  // Falco and Tetragon without sensors.ownership: DS-TETRA-101 at synth, so no release is made.
  const { ownership: _ownership, ...sensors } = HELM_STACK.sensors!;
  expect(() => new DetectionStackHelmReleases('bad', { stack: { ...HELM_STACK, sensors } }))
    .toThrow(/DS-PULUMI-001 at bad: the stack does not pass its guardrails:\n {2}ERROR DS-TETRA-101 at bad\/sensors.ownership/);
});
