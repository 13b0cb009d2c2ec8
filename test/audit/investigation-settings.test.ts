import { renderRunbook } from '../../lib/investigation/runbook';
import { investigationSettingsOf } from '../../lib/report/investigation-settings';
import { planStack } from '../../lib/stack/plan';
import type { DetectionStackProps } from '../../lib/stack/props';

const on = (provider: 'eks' | 'oke', cloud: NonNullable<DetectionStackProps['audit']>['cloud']): DetectionStackProps => ({
  cluster: { name: `prod-${provider}`, provider, region: provider === 'eks' ? 'eu-west-1' : 'eu-frankfurt-1' },
  audit: { cloud },
});

describe('the runbooks query the stack\'s own audit stores', () => {
  test('EKS: the Athena table over CloudTrail comes from audit.cloud.athenaTable', () => {
    const plan = planStack(on('eks', { athenaTable: 'security.cloudtrail_prod' }), 's');
    expect(investigationSettingsOf(plan).cloudTrailTable).toBe('security.cloudtrail_prod');
  });

  test('OKE: the compartment of _Audit comes from audit.cloud.ociCompartmentId, and the runbook asks for nothing more', () => {
    const ocid = 'ocid1.compartment.oc1..aaaaaaaaexample';
    const plan = planStack({ ...on('oke', { ociCompartmentId: ocid }), packs: { namespaces: ['billing'] } }, 's');
    const settings = investigationSettingsOf(plan);
    expect(settings.ociCompartmentId).toBe(ocid);
    // The product namespaces the runbooks' queries filter on are the packs' own.
    expect(settings.namespaces).toEqual(['billing']);
    const [rule] = plan.packs!.rules;
    const runbook = renderRunbook(rule, settings);
    expect(runbook).toContain(`"${ocid}/_Audit"`);
    expect(runbook).not.toContain('<compartment-ocid>');
    expect(runbook).not.toContain('set the compartment OCID');
  });

  test.each([
    ['an Athena table on OKE', on('oke', { athenaTable: 'a.b' }), /DS-AUDIT-012 at s\/audit\.cloud\.athenaTable: this setting is for EKS clusters, not OKE/],
    ['a compartment on EKS', on('eks', { ociCompartmentId: 'ocid1.compartment.oc1..x1' }), /DS-AUDIT-012 .*ociCompartmentId/],
    ['a table name that is not <database>.<table>', on('eks', { athenaTable: 'x; DROP TABLE y' }), /DS-AUDIT-013 .*athenaTable: "x; DROP TABLE y" is not valid here/],
    ['a compartment that is not an OCID', on('oke', { ociCompartmentId: 'prod" or 1=1' }), /DS-AUDIT-013 .*ociCompartmentId/],
  ])('refused: %s', (_what, props, message) => {
    expect(() => planStack(props, 's')).toThrow(message);
  });
});
