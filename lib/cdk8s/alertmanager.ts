import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Workload } from './workload';
import { renderAlertmanagerConfigSpec } from '../routing/alertmanager-config';
import type { AlertmanagerPlan } from '../routing/alertmanager-plan';

export interface AlertmanagerConstructProps {
  /** The resolved plan (`DetectionStack.plan.routing.alertmanager`). */
  readonly plan: AlertmanagerPlan;
}

/**
 * The team routing rendered from its plan. Mode `bundled`: the Alertmanager workload (`AlertmanagerPlan.workload`).
 * Mode `operator`: one `AlertmanagerConfig`.
 */
export class Alertmanager extends Construct {
  /** alertmanager.yml (bundled mode). */
  public readonly configYaml?: string;

  constructor(scope: Construct, id: string, props: AlertmanagerConstructProps) {
    super(scope, id);
    const plan = props.plan;
    if (plan.alertmanagerConfig) {
      const { name, namespace, labels } = plan.alertmanagerConfig;
      new ApiObject(this, 'AlertmanagerConfig', {
        apiVersion: 'monitoring.coreos.com/v1alpha1',
        kind: 'AlertmanagerConfig',
        metadata: { name, namespace, labels: { ...labels } },
        spec: renderAlertmanagerConfigSpec(plan),
      });
      return;
    }
    if (!plan.workload) return;
    this.configYaml = plan.workload.configs[0].data['alertmanager.yml'];
    new Workload(this, 'Workload', { plan: plan.workload });
  }
}
