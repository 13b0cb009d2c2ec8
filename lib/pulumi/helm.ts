// The Helm path on Pulumi: the official charts installed with `helm.v3.Release`, their values rendered from the same
// stack plan as the manifests (lib/helm). Nothing here decides a value: the releases are the plan's, as written.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { DetectionStackHelmReleasesArgsSchema } from './args-schemas';
import { synthesizeChart } from './kubernetes';
import { helmDelivery, HelmDelivery } from '../helm/releases';
import type { DetectionStackProps } from '../stack/props';
import { validateProps } from '../validation/report';

export interface DetectionStackHelmReleasesArgs {
  /** The stack definition, the same one the cdk8s path takes (a fleet cluster's: `fleetClusterPlan(...).stackProps`). */
  readonly stack: DetectionStackProps;
  /**
   * Wait until each release's objects are ready (Helm `--wait`); off, Pulumi returns once Helm has applied them.
   * @default true
   */
  readonly waitForReady?: boolean;
}

/**
 * Installs the official charts (falco 9.1.0; falcosidekick 0.12.1 in the routing namespace when the stack routes
 * alerts; tetragon 1.7.0 when the stack runs Tetragon) as `helm.v3.Release`s with the values `helmDelivery` renders
 * from the stack's plan, after the stack's Namespaces with their Pod Security labels (no chart creates them so). The stack's guardrails run first, as for
 * `cdk8s synth`. What the charts cannot express is in `delivery` (`outsideCharts`, each release's `notExpressed`):
 * those parts are not deployed by this component.
 */
export class DetectionStackHelmReleases extends pulumi.ComponentResource {
  /** The releases and what lies outside the charts, as planned. */
  public readonly delivery: HelmDelivery;
  /** The sensors' Namespace (the first of `namespaces`). */
  public readonly namespace?: k8s.core.v1.Namespace;
  /** The stack's Namespaces with their Pod Security labels: the sensors', then the routing one when there is routing. */
  public readonly namespaces: readonly k8s.core.v1.Namespace[];
  /** One per release, in install order (each waits for the one before). */
  public readonly releases: readonly k8s.helm.v3.Release[];

  constructor(name: string, args: DetectionStackHelmReleasesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('detection-stack:kubernetes:DetectionStackHelmReleases', name, {}, opts);
    validateProps(DetectionStackHelmReleasesArgsSchema, args, name);
    const plan = synthesizeChart(name, args.stack).plan;
    this.delivery = helmDelivery(plan);
    // Falco and Tetragon install into the sensors' namespace (the first), Falcosidekick into the routing one.
    this.namespaces = plan.namespaceObjects.map((ns, i) => new k8s.core.v1.Namespace(i === 0 ? `${name}-namespace` : `${name}-namespace-${ns.name}`, {
      metadata: { name: ns.name, labels: { ...ns.labels } },
    }, { parent: this }));
    this.namespace = this.namespaces[0];
    const releases: k8s.helm.v3.Release[] = [];
    for (const release of this.delivery.releases) {
      const previous = releases.length > 0 ? [releases[releases.length - 1]] : [];
      releases.push(new k8s.helm.v3.Release(`${name}-${release.releaseName}`, {
        name: release.releaseName,
        chart: release.chart.name,
        version: release.chart.version,
        repositoryOpts: { repo: release.chart.repository },
        namespace: release.namespace,
        createNamespace: false,
        values: release.values,
        skipAwait: args.waitForReady === false,
      }, { parent: this, dependsOn: [...this.namespaces, ...previous] }));
    }
    this.releases = releases;
    this.registerOutputs({
      releases: this.delivery.releases.map((r) => `${r.releaseName} ${r.chart.name} ${r.chart.version}`),
      outsideCharts: this.delivery.outsideCharts.map((p) => p.what),
    });
  }
}
