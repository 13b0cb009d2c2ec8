import { mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { threeProviderFleet } from './fixtures';
import { DetectionFleet } from '../../lib/cdk8s/detection-fleet';
import { fleetClusterPlan, planFleet } from '../../lib/fleet/plan';
import type { DetectionFleetProps } from '../../lib/fleet/props';
import { refusalIn as refusal } from '../helpers/refusal';

const delivered = (git: Partial<NonNullable<DetectionFleetProps['delivery']>['git']>, flux?: { interval: string }): DetectionFleetProps => ({
  ...threeProviderFleet(),
  delivery: { git: { repoURL: 'https://git.example.com/acme/platform.git', path: 'dist/acme', ...git }, ...(flux ? { flux } : {}) },
});

describe('a fleet refuses what it cannot deliver, one code per problem, naming the prop', () => {
  test('a repository URL that is no URL (DS-FLEET-006)', () => {
    expect(refusal(() => planFleet(delivered({ repoURL: 'git.example.com:acme/platform' })))).toMatch(/^DS-FLEET-006 at acme\/delivery\.git\.repoURL: the repository URL /);
  });
  test('a folder outside the repository (DS-FLEET-010)', () => {
    expect(refusal(() => planFleet(delivered({ path: '../elsewhere' }))))
      .toBe('DS-FLEET-010 at acme/delivery.git.path: \'../elsewhere\' is not a folder path inside the repository');
  });
  test('a Flux interval that is no Go duration (DS-FLEET-011)', () => {
    expect(refusal(() => planFleet(delivered({}, { interval: '10 minutes' }))))
      .toBe('DS-FLEET-011 at acme/delivery.flux.interval: \'10 minutes\' is not a Go duration');
  });
  test('selecting a cluster the fleet does not have, with the closest name (DS-FLEET-005)', () => {
    expect(refusal(() => fleetClusterPlan(threeProviderFleet(), 'dev-aks2')))
      .toBe('DS-FLEET-005 at acme/clusters: the fleet has no cluster \'dev-aks2\' (did you mean \'dev-aks\'?)');
  });
  test('writing into a folder holding files no fleet synth wrote, which is left untouched (DS-FLEET-009)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ds-fleet-foreign-'));
    writeFileSync(join(dir, 'notes.md'), 'mine');
    const fleet = new DetectionFleet(Testing.app(), 'acme', threeProviderFleet());
    expect(refusal(() => fleet.writeTo(dir))).toBe(`DS-FLEET-009 at acme: the output folder ${dir} holds files that no fleet synth wrote`);
    expect(readdirSync(dir)).toEqual(['notes.md']);
  });
});
