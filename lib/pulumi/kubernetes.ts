// The Kubernetes side on Pulumi: the very objects the cdk8s DetectionStack chart synthesizes,
// deployed with @pulumi/kubernetes. Objects are never built a second way here.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App } from 'cdk8s';
import { DetectionStackObjectsArgsSchema } from './args-schemas';
import { applyBindings, ObjectFieldBinding, chartObjects, KubernetesObject, splitObjects, TETRAGON_CRD_FILES } from './objects';
import { DetectionStack } from '../cdk8s/detection-stack';
import { DetectionStackError } from '../core/errors';
import { requiredSecrets } from '../stack/plan';
import type { DetectionStackProps } from '../stack/props';
import { validateProps } from '../validation/report';

export { TETRAGON_CRD_FILES } from './objects';
export type { ObjectFieldBinding, KubernetesObject } from './objects';

/** A Secret the stack references by name, filled from Pulumi (the values are stored as Pulumi secrets). */
export interface StackSecret {
  /** Secret name, as the stack's objects reference it. */
  readonly name: string;
  /** Keys and values; every value is wrapped with `pulumi.secret`. */
  readonly data: Readonly<Record<string, pulumi.Input<string>>>;
}

export interface DetectionStackObjectsArgs {
  /** The stack definition, the same one the cdk8s path takes. */
  readonly stack: DetectionStackProps;
  /**
   * Values only the cloud knows (e.g. an Azure identity's client id), set into named fields of named
   * objects of the synthesized chart. Each must hit an object of the chart, or construction fails.
   * @default none
   */
  readonly bindings?: readonly ObjectFieldBinding[];
  /** Secrets the stack references (routing credentials, shipper keys), created in the namespace of each workload that reads them. @default none */
  readonly secrets?: readonly StackSecret[];
  /**
   * Cloud resources the workloads need before their pods start (identity associations, role
   * bindings): a pod started earlier runs without its credentials until it is restarted.
   * @default none
   */
  readonly workloadsDependOn?: readonly pulumi.Resource[];
  /**
   * Where the Tetragon CRDs come from when the stack deploys TracingPolicies. Pulumi applies them
   * before the policies (the operator would create them only once it runs, after the policies fail
   * with "apiVersion for this resource does not exist").
   * @default the CRD files of the pinned Tetragon release (TETRAGON_CRD_FILES)
   */
  readonly tetragonCrds?: { readonly files: readonly string[] } | { readonly objs: readonly KubernetesObject[] };
}

/**
 * Deploys the DetectionStack chart's objects. The chart is synthesized once, synchronously, from the
 * plain stack definition: every name the objects need (bucket, namespace, ServiceAccounts, Secret
 * names) is known when the program runs, so `pulumi preview` shows every object. The few values
 * the cloud decides (identity ids) are set as Pulumi Outputs into the fields named by `bindings`.
 */
export class DetectionStackObjects extends pulumi.ComponentResource {
  /** The synthesized objects, before bindings (for review and tests). */
  public readonly objects: readonly KubernetesObject[];
  /** Namespaces first, so namespaced objects never race them. */
  public readonly namespaces: k8s.yaml.ConfigGroup;
  public readonly workloads: k8s.yaml.ConfigGroup;
  public readonly secrets: k8s.core.v1.Secret[];
  /** The Tetragon CRDs and the TracingPolicies applied after them (when the stack has Tetragon policies). */
  public readonly tetragon?: { readonly crds: k8s.yaml.ConfigGroup; readonly policies: k8s.yaml.ConfigGroup };

  constructor(name: string, args: DetectionStackObjectsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('detection-stack:kubernetes:DetectionStackObjects', name, {}, opts);
    validateProps(DetectionStackObjectsArgsSchema, args, name);
    const chart = synthesizeChart(name, args.stack);
    this.objects = chartObjects(chart);
    const namespace = chart.plan.namespace;

    checkSecrets(name, chart, this.objects, args.secrets ?? []);

    const bound = applyBindings(this.objects, args.bindings ?? [], name);
    const { namespaces, customResources, rest } = splitObjects(bound);
    this.namespaces = new k8s.yaml.ConfigGroup(`${name}-namespaces`, { objs: namespaces, resourcePrefix: name }, { parent: this });
    // Each Secret in every namespace whose workloads read it (routing credentials in the routing namespace).
    this.secrets = (args.secrets ?? []).flatMap((s) => secretNamespaces(chart, s.name).map((ns, i) =>
      new k8s.core.v1.Secret(i === 0 ? `${name}-${s.name}` : `${name}-${ns}-${s.name}`, {
        metadata: { name: s.name, namespace: ns, labels: { ...chart.plan.labels } },
        type: 'Opaque',
        stringData: Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, pulumi.secret(v)])),
      }, { parent: this, dependsOn: [this.namespaces] })));
    // A ConfigGroup does not pass its own dependsOn to the objects it creates: each object is given it.
    this.workloads = new k8s.yaml.ConfigGroup(`${name}-objects`, {
      objs: rest, resourcePrefix: name, transformations: [waitFor([this.namespaces, ...this.secrets, ...(args.workloadsDependOn ?? [])])],
    }, { parent: this });
    if (customResources.length > 0) {
      const source = args.tetragonCrds ?? { files: TETRAGON_CRD_FILES };
      const crds = new k8s.yaml.ConfigGroup(`${name}-tetragon-crds`, {
        ...('files' in source ? { files: [...source.files] } : { objs: [...source.objs] }), resourcePrefix: name,
      }, { parent: this });
      const policies = new k8s.yaml.ConfigGroup(`${name}-tetragon-policies`, {
        objs: customResources, resourcePrefix: name, transformations: [waitFor([this.namespaces, crds])],
      }, { parent: this });
      this.tetragon = { crds, policies };
    }

    this.registerOutputs({ objectCount: this.objects.length, namespace });
  }
}

/** A ConfigGroup transformation that makes each object it creates wait for these resources. */
function waitFor(resources: readonly pulumi.Resource[]): (obj: unknown, opts: pulumi.CustomResourceOptions) => void {
  return (_obj, opts) => {
    opts.dependsOn = [...resources];
  };
}

/** Builds the DetectionStack chart and fails, like `cdk8s synth` would, on guardrail errors. */
export function synthesizeChart(name: string, stack: DetectionStackProps): DetectionStack {
  const app = new App();
  const chart = new DetectionStack(app, name, stack);
  const errors = chart.node.validate();
  if (errors.length > 0) {
    throw new DetectionStackError('DS-PULUMI-001', name, `the stack does not pass its guardrails:\n  ${errors.join('\n  ')}`,
      'fix the findings (or suppress them with a reason) as for cdk8s synth');
  }
  return chart;
}

/**
 * Secrets made here must be ones the stack reads (a typo would leave a workload without its
 * credential and an unused Secret behind), and must not shadow a Secret the chart synthesizes.
 */
/** The namespaces whose workloads read the Secret `secret` (the stack's namespace when none names it). */
function secretNamespaces(chart: DetectionStack, secret: string): string[] {
  const used = [...new Set(requiredSecrets(chart.plan).filter((u) => u.secret.name === secret).map((u) => u.namespace))];
  return used.length > 0 ? used : [chart.plan.namespace];
}

function checkSecrets(name: string, chart: DetectionStack, objects: readonly KubernetesObject[], secrets: readonly StackSecret[]): void {
  const read = new Set([
    ...requiredSecrets(chart.plan).map((u) => `${u.secret.name}/${u.secret.key}`),
    ...(chart.plan.audit?.kubernetes.falcoPlugin?.secretEnv ?? []).map((e) => `${e.secretName}/${e.key}`),
  ]);
  for (const secret of secrets) {
    const where = `${name}/secrets/${secret.name}`;
    if (objects.some((o) => o.kind === 'Secret' && o.metadata?.name === secret.name)) {
      throw new DetectionStackError('DS-PULUMI-003', where, 'the chart already synthesizes a Secret with this name', 'rename this Secret in secrets to a name the chart does not synthesize, or drop it from secrets and let the chart create it');
    }
    for (const key of Object.keys(secret.data)) {
      if (!read.has(`${secret.name}/${key}`)) {
        throw new DetectionStackError('DS-PULUMI-008', `${where}.${key}`, 'no workload of the stack reads this Secret key',
          `use one the stack references: ${[...read].sort().join(', ') || 'none'}`);
      }
    }
  }
}
