import type { FalcoSensorProps } from '../../lib/falco/sensor/props';
import { productDetectionPacks } from '../../lib/packs/build';
import type { DetectionPackProps } from '../../lib/packs/props';
import { planStack, StackPlan } from '../../lib/stack/plan';

export const PRODUCT: DetectionPackProps = {
  namespaces: ['billing', 'checkout'],
  owners: { 'runtime': 'platform-security', 'k8s-audit': 'platform-security', 'ds-secret-read-unexpected-identity': 'identity' },
};

const receivers = (key: string) => ({ pagerDuty: [{ routingKey: { name: 'alert-receivers', key }, minimumPriority: 'Warning' as const }] });

/** EKS with Falco (syscall pack), the k8saudit-eks plugin, Tetragon (pack patterns) and team routing. */
export function eksPlan(falco: Omit<FalcoSensorProps, 'customRules'> = {}): StackPlan {
  const packs = productDetectionPacks(PRODUCT, 'packs', 'falco');
  return planStack({
    cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
    // The syscall pack only.
    packs: { namespaces: PRODUCT.namespaces, packs: ['runtime'], owners: { runtime: 'platform-security' } },
    sensors: {
      falco,
      tetragon: { seedPatterns: [], detections: packs.tetragonDetections },
      ownership: {
        falcoPatterns: packs.falcoPatterns,
        detections: packs.falcoPatterns.map((pattern) => ({ pattern, sensor: 'falco' as const, alertsTo: ['platform-security'] })),
      },
    },
    routing: { teams: [{ name: 'platform-security', namespaces: ['billing', 'checkout'], receivers: receivers('ps') }, { name: 'identity', namespaces: ['identity'], receivers: receivers('id') }] },
    durable: { waived: { reason: 'report tests draw the report only' } },
    audit: { kubernetes: { falcoPlugin: {} } },
  }, 'eks-stack');
}

/** OKE with both packs in the node Falco: the k8s_audit rules have no source there. */
export function okePlan(): StackPlan {
  return planStack({
    cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' },
    sensors: { falco: {} },
    packs: PRODUCT,
    durable: { waived: { reason: 'report tests draw the report only' } },
  }, 'oke-stack');
}
