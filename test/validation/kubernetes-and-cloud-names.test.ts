import { planStack } from '../../lib/stack/plan';
import { DetectionStackProps } from '../../lib/stack/props';
import { planErrorOf } from '../helpers/refusal';

// #14: values that end up in Kubernetes labels, annotations and selectors are checked at the door against
// Kubernetes' own rules (apimachinery pkg/util/validation: IsValidLabelValue, IsQualifiedName), and bucket and
// container names against the provider's (S3 general purpose bucket naming rules; Azure Blob container names:
// 3-63 lowercase letters, digits and single '-', no '.'). Each was accepted before and failed at apply time.
const EKS = { cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' }, durable: { waived: { reason: 'not needed in this test' } } };
const AKS = { cluster: { name: 'prod', provider: 'aks', region: 'westeurope' } };
const AM = { mode: 'operator', operator: { alertmanagerUrls: ['http://am.monitoring.svc:9093'] } };
const ROLE = 'arn:aws:iam::123456789012:role/falco';

describe('Kubernetes and provider names are checked at the door', () => {
  test.each<[string, unknown, string, string]>([
    ['a newline in a nodeSelector value', { ...EKS, sensors: { falco: { nodeSelector: { pool: 'a\nb' } } } }, 'DS-PROPS-020', 'stack/sensors.falco.nodeSelector.pool'],
    ['a quote in a nodeSelector value', { ...EKS, sensors: { falco: { nodeSelector: { pool: 'a"b' } } } }, 'DS-PROPS-020', 'stack/sensors.falco.nodeSelector.pool'],
    ['a space in a nodeSelector key', { ...EKS, sensors: { falco: { nodeSelector: { 'my pool': 'a' } } } }, 'DS-PROPS-020', "stack/sensors.falco.nodeSelector['my pool']"],
    ['a newline in an operator configLabels value', { ...EKS, routing: { alertmanager: { ...AM, operator: { ...AM.operator, configLabels: { team: 'x\ny' } } } } },
      'DS-PROPS-020', 'stack/routing.alertmanager.operator.configLabels.team'],
    ['a newline in the role ARN of the eks.amazonaws.com/role-arn annotation (durable)', { ...EKS, durable: { bucket: { name: 'detections-prod', aws: { roleArn: `${ROLE}\nx: y` } } } },
      'DS-PROPS-021', 'stack/durable.bucket.aws.roleArn'],
    ['a quote in the role ARN of the eks.amazonaws.com/role-arn annotation (Falcosidekick)', { ...EKS, routing: { sidekick: { aws: { roleArn: `${ROLE}"` } } } },
      'DS-PROPS-021', 'stack/routing.sidekick.aws.roleArn'],
    ['an Azure container named detections.prod.aks', { ...AKS, durable: { bucket: { name: 'detections.prod.aks', azure: { storageAccount: 'detectionsprod' } } } },
      'DS-DURABLE-004', 'stack/durable.bucket.name'],
    ['an S3 bucket with capitals and underscores', { ...EKS, durable: { bucket: { name: 'Detections_Prod' } } }, 'DS-DURABLE-004', 'stack/durable.bucket.name'],
  ])('%s', (_name, props, code, where) => {
    const error = planErrorOf(props);
    expect(error).toMatchObject({ code, where });
    expect(error.message).not.toContain('\n');
    expect(error.fix.length).toBeGreaterThan(5);
  });

  test('the valid forms of the same values plan', () => {
    const props = {
      ...EKS,
      sensors: { falco: { nodeSelector: { 'kubernetes.io/os': 'linux', 'pool': 'a-b_c.d' } } },
      routing: { sidekick: { aws: { roleArn: ROLE } } },
    };
    expect(planStack(props as unknown as DetectionStackProps, 'stack').falco).toBeDefined();
  });
});
