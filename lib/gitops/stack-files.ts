// The files of the deliveries beside the manifests, for one stack: the official charts' values (`helm/`) and the
// Falco Operator's resources (`operator/`). Pure: names and texts only; the callers write them.
import { HelmDelivery, helmDelivery, HelmFile, renderHelmFiles } from '../helm/releases';
import { renderOperatorFiles } from '../operator/files';
import { operatorDelivery } from '../operator/resources';
import type { StackPlan } from '../stack/plan';

/** The deliveries whose files can be written beside a stack's manifests. */
export const STACK_DELIVERIES = ['helm', 'operator'] as const;
export type StackDelivery = (typeof STACK_DELIVERIES)[number];

/**
 * `helm/<release>-values.yaml` and `helm/HELM.md`; `operator/falco-operator.yaml` and `operator/OPERATOR.md`
 * (a stack without Falco gets only the OPERATOR.md that says why). Same plan, same bytes.
 * @param helm the plan's Helm delivery, when the caller has it already (the fleet also renders its Argo CD Applications from it)
 */
export function stackDeliveryFiles(plan: StackPlan, deliveries: readonly StackDelivery[] = STACK_DELIVERIES, helm?: HelmDelivery): HelmFile[] {
  const files: HelmFile[] = [];
  if (deliveries.includes('helm')) {
    files.push(...renderHelmFiles(helm ?? helmDelivery(plan)).map((f) => ({ name: `helm/${f.name}`, text: f.text })));
  }
  if (deliveries.includes('operator')) {
    const operator = operatorDelivery(plan);
    files.push(...renderOperatorFiles(operator)
      .filter((f) => operator.objects.length > 0 || !f.name.endsWith('.yaml'))
      .map((f) => ({ name: `operator/${f.name}`, text: f.text })));
  }
  return files;
}
