import { Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Alertmanager } from './alertmanager';
import { FalcoSensor } from './falco-sensor';
import { K8sAuditFalco } from './k8saudit-falco';
import { Shipper } from './shipper';
import { Sidekick } from './sidekick';
import { TetragonSensor } from './tetragon-sensor';
import { STACK_CHECKS } from '../checks';
import { CheckReport, formatFinding, runChecks } from '../checks/run';
import { Monitoring } from '../monitoring/render';
import { planStack, StackPlan } from '../stack/plan';
import { DetectionStackProps } from '../stack/props';

export interface DetectionStackChartProps extends DetectionStackProps {
  /** Options of the underlying cdk8s Chart (labels, namespace for unscoped objects). @default none */
  readonly chart?: ChartProps;
}

/**
 * A whole runtime-detection stack for one cluster, as a cdk8s Chart.
 * Props are validated and planned once in the constructor; guardrails run at synth.
 */
export class DetectionStack extends Chart {
  /**
   * A chart rendering a plan made elsewhere (a fleet plans each of its clusters at the fleet's path): the
   * props were validated and planned there, the chart runs the guardrails and renders.
   */
  public static fromPlan(scope: Construct, id: string, plan: StackPlan, chart?: ChartProps): DetectionStack {
    return new DetectionStack(scope, id, { [PLANNED]: plan, chart } as unknown as DetectionStackChartProps);
  }

  /** The resolved plan: what this chart renders. */
  public readonly plan: StackPlan;
  /** Guardrail findings (errors fail synth; warnings and info are for review and the report). */
  public readonly checks: CheckReport;

  constructor(scope: Construct, id: string, props: DetectionStackChartProps) {
    super(scope, id, isObject(props) ? props.chart : undefined);
    this.plan = plannedOf(props) ?? planStack(withoutChartProps(props), this.node.path);
    this.checks = runChecks(STACK_CHECKS, this.plan, this.plan.suppressions, this.plan.path);
    this.node.addValidation({
      validate: () => this.checks.findings.filter((f) => f.level === 'error').map(formatFinding),
    });
    this.plan.namespaceObjects.forEach((ns, i) => {
      new k8s.KubeNamespace(this, i === 0 ? 'Namespace' : `Namespace${ns.name}`, { metadata: { name: ns.name, labels: { ...ns.labels } } });
    });
    if (this.plan.falco) new FalcoSensor(this, 'Falco', { plan: this.plan.falco });
    if (this.plan.tetragon) new TetragonSensor(this, 'Tetragon', { plan: this.plan.tetragon });
    if (this.plan.routing) {
      new Sidekick(this, 'Sidekick', { plan: this.plan.routing.sidekick });
      const am = this.plan.routing.alertmanager;
      if (am) new Alertmanager(this, 'Alertmanager', { plan: am });
    }
    if (this.plan.durable?.shipper) new Shipper(this, 'Shipper', { plan: this.plan.durable.shipper });
    if (this.plan.k8sauditFalco) new K8sAuditFalco(this, 'K8sAudit', { plan: this.plan.k8sauditFalco });
    if (this.plan.monitoring) new Monitoring(this, 'Monitoring', { plan: this.plan.monitoring });
  }
}

/** Marks the props of `DetectionStack.fromPlan`: not a prop a user can pass. */
const PLANNED = Symbol('planned');

function plannedOf(props: unknown): StackPlan | undefined {
  return isObject(props) ? (props as { [PLANNED]?: StackPlan })[PLANNED] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The stack definition alone: `chart` is the Chart's, not a stack prop (JavaScript callers may pass anything). */
function withoutChartProps(props: DetectionStackChartProps): DetectionStackProps {
  if (!isObject(props) || Array.isArray(props)) return props;
  const { chart: _chart, ...stack } = props;
  return stack;
}
