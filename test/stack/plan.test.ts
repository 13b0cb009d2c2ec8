import { CloudProvider, DetectionStackError, DetectionStackProps, planStack, PROVIDER_PROFILES } from '../../lib';

const OKE: DetectionStackProps = { cluster: { name: 'prod-eu', provider: 'oke' } };

describe('planStack', () => {
  test('GIVEN only a cluster THEN Falco is planned in the falco namespace with the stack labels', () => {
    const plan = planStack(OKE, 'stack');
    expect(plan.namespace).toBe('falco');
    expect(plan.path).toBe('stack');
    expect(plan.cluster).toEqual({ name: 'prod-eu', provider: 'oke', region: undefined, ipFamily: 'IPv4' });
    expect(plan.labels).toEqual({ 'app.kubernetes.io/part-of': 'detection-stack', 'app.kubernetes.io/managed-by': 'detection-stack' });
    expect(plan.falco?.namespace).toBe('falco');
    expect(plan.falco?.path).toBe('stack/sensors.falco');
  });

  test.each(['oke', 'eks', 'aks'] as const)('the %s plan carries its provider profile', (provider: CloudProvider) => {
    const plan = planStack({ cluster: { name: 'c', provider } });
    expect(plan.profile).toBe(PROVIDER_PROFILES[provider]);
    expect(plan.falco?.containerRuntime.socketPath).toBe(PROVIDER_PROFILES[provider].containerRuntime.socketPath);
  });

  test.each([['eks', 'eu-west-1'], ['oke', 'eu-frankfurt-1'], ['aks', 'westeurope'], ['eks', 'us-gov-west-1']] as const)(
    'the %s region %s is accepted', (provider, region) => {
      expect(planStack({ cluster: { name: 'c', provider, region } }).cluster.region).toBe(region);
    });

  test('the plan is plain data: it survives a JSON round trip unchanged', () => {
    const plan = planStack({ ...OKE, namespace: 'security' });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(JSON.parse(JSON.stringify(planStack({ ...OKE, namespace: 'security' }))));
    expect(JSON.stringify(plan)).not.toMatch(/function|\[object/);
  });

  describe('bad props name the prop, the path and the fix', () => {
    test.each([
      ['missing cluster', {} as DetectionStackProps, /DS-PROPS-004 at stack\/cluster: cluster is missing\. Fix: set cluster to ClusterProps \{ name, provider, region\?, ipFamily\? \}/],
      ['unknown provider', { cluster: { name: 'c', provider: 'gke' as CloudProvider } }, /DS-PROPS-003 at stack\/cluster\.provider: unknown provider 'gke'\. Fix: set provider to one of 'oke', 'eks', 'aks'/],
      ['bad cluster name', { cluster: { name: 'prod eu', provider: 'oke' } }, /DS-PROPS-002 at stack\/cluster\.name: cluster name 'prod eu' is not valid/],
      ['bad namespace', { ...OKE, namespace: 'Falco' }, /DS-PROPS-001 at stack\/namespace: namespace 'Falco' is not a valid Kubernetes name\. Fix: use 1-63 lowercase/],
      ['no sensor', { ...OKE, sensors: {} }, /DS-PROPS-005 at stack\/sensors: no runtime sensor is enabled\. Fix: set sensors\.falco/],
      ['a region display name', { cluster: { name: 'c', provider: 'aks', region: 'West Europe' } }, /DS-PROPS-006 at stack\/cluster\.region: region 'West Europe' is not a region identifier\. Fix: use the provider's region identifier in lowercase/],
    ] as [string, DetectionStackProps, RegExp][])('%s', (_label, props, message) => {
      expect(() => planStack(props, 'stack')).toThrow(message);
    });

    test('errors are DetectionStackErrors with a stable code and place', () => {
      let error: unknown;
      try {
        planStack({ ...OKE, namespace: '-x' }, 'stack');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DetectionStackError);
      expect(error).toMatchObject({ code: 'DS-PROPS-001', where: 'stack/namespace' });
    });
  });
});
