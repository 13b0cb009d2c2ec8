import fc from 'fast-check';
import type { EksControlPlaneLogType } from '../../lib/audit/props';
import { planStack } from '../../lib/stack/plan';

const region = { oke: 'eu-frankfurt-1', eks: 'eu-west-1', aks: 'westeurope' } as const;
const provider = fc.constantFrom('oke', 'eks', 'aks') as fc.Arbitrary<'oke' | 'eks' | 'aks'>;
const logTypes = fc.subarray<EksControlPlaneLogType>(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);

// Whatever a user asks for, the audit questions stay answerable unless turned off by name.
test('control-plane audit is never silently dropped', () => {
  fc.assert(fc.property(provider, logTypes, fc.constantFrom('kube-audit', 'kube-audit-admin') as fc.Arbitrary<'kube-audit' | 'kube-audit-admin'>,
    fc.constantFrom(90, 120, 150, 180, 365, 400, 731, 3653), (p, eksLogTypes, aksCategory, days) => {
      const audit = planStack({
        cluster: { name: `prod-${p}`, provider: p, region: region[p] },
        audit: { cloud: { retentionDays: p === 'oke' ? Math.min(days, 365) : days }, kubernetes: { eksLogTypes, aksCategory, retentionDays: days } },
      }, 's').audit!;
      expect(audit.cloud.enabled).toBe(true);
      expect(audit.kubernetes.customPolicySupported).toBe(false);
      expect(audit.kubernetes.policy.omitStages).toEqual(['RequestReceived']);
      if (p === 'eks') expect(audit.kubernetes.eksLogTypes).toEqual(expect.arrayContaining(['api', 'audit', 'authenticator']));
      else expect(audit.kubernetes.eksLogTypes).toEqual([]);
      if (p === 'aks') expect(audit.kubernetes.aksCategories).toEqual([aksCategory, 'guard']);
      else expect(audit.kubernetes.aksCategories).toEqual([]);
    }), { numRuns: 60 });
});
