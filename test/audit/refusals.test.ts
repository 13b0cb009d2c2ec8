import { refusalOf } from '../helpers/refusal';

describe('audit refuses what its plugins cannot run with, naming the prop', () => {
  test('the EKS k8saudit plugin without a cluster region (DS-AUDIT-010)', () => {
    expect(refusalOf({ cluster: { name: 'prod-eks', provider: 'eks' }, audit: { kubernetes: { falcoPlugin: {} } } }))
      .toBe('DS-AUDIT-010 at stack/cluster.region: k8saudit-eks needs the cluster region');
  });
  test('an unknown AKS category or EKS log type is refused by the props schema (DS-PROPS-012)', () => {
    expect(refusalOf({ cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' }, audit: { kubernetes: { aksCategory: 'kube-audit-all' as never } } }))
      .toBe("DS-PROPS-012 at stack/audit.kubernetes.aksCategory: audit.kubernetes.aksCategory is 'kube-audit-all', not one of the allowed values");
    expect(refusalOf({ cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' }, audit: { kubernetes: { eksLogTypes: ['controlplane' as never] } } }))
      .toMatch(/^DS-PROPS-012 at stack\/audit\.kubernetes\.eksLogTypes\[0\]: /);
  });
});
