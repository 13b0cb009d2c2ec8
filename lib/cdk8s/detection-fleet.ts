import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, AppProps, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { DetectionStack } from './detection-stack';
import { definitionError, warningLines } from './synth-app';
import { DetectionStackError } from '../core/errors';
import { FleetPlan, planFleet } from '../fleet/plan';
import type { DetectionFleetProps } from '../fleet/props';
import { fleetClusterReports, renderFleetReport } from '../fleet/report';
import {
  argoCdApplicationSet, argoCdHelmApplications, argoCdHelmProject, argoCdProject, ClusterReleases, fluxKustomizations, RenderedCluster,
  renderedCluster,
} from '../gitops/delivery';
import { STACK_DELIVERIES, stackDeliveryFiles } from '../gitops/stack-files';
import { Manifest, stagedManifests, stageFolder } from '../gitops/stages';
import { helmDelivery } from '../helm/releases';
import { REPORT_FILE, writeStackReports } from '../report/write';

/** Marks a folder written by a fleet, so a later synth may replace it (and nothing else). */
export const FLEET_MARKER_FILE = '.detection-fleet';

/**
 * One detection stack definition for many clusters: a `DetectionStack` chart per cluster (construct id: the
 * cluster's name), planned from the fleet's shared definition and the cluster's overrides. The fleet is
 * validated as a whole in the constructor; each chart runs its guardrails at synth.
 */
export class DetectionFleet extends Construct {
  /** The resolved fleet: one stack plan per cluster. */
  public readonly plan: FleetPlan;
  /** The clusters' charts, in declaration order. */
  public readonly stacks: readonly DetectionStack[];

  constructor(scope: Construct, id: string, props: DetectionFleetProps) {
    super(scope, id);
    this.plan = planFleet(props, this.node.path);
    this.stacks = this.plan.clusters.map((cluster) => DetectionStack.fromPlan(this, cluster.name, cluster.plan));
  }

  /**
   * Writes the fleet into `outdir`: `<cluster>/manifests/<wave>-<stage>/resources.yaml` (the objects of each
   * sync stage, with Argo CD's sync-wave annotations), `<cluster>/REPORT.md` and runbooks, the fleet's
   * `REPORT.md`, `<cluster>/helm/` (values for the official charts, HELM.md) and `<cluster>/operator/` (Falco Operator
   * resources, OPERATOR.md), and `argocd/` (with `argocd/helm/`: Applications with a Helm source) and `flux/` when the
   * fleet has deliveries. The same fleet gives the same bytes.
   * A folder of an earlier fleet synth is replaced; any other non-empty folder is refused.
   * Returns the files written, relative to `outdir`, sorted.
   */
  public writeTo(outdir: string): string[] {
    const errors = this.node.findAll().flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    prepareFolder(outdir, this.node.path);
    const written: string[] = [];
    const write = (relative: string, text: string) => {
      const file = join(outdir, relative);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, text);
      written.push(relative);
    };
    write(FLEET_MARKER_FILE, `${this.plan.name}\n`);

    // Each cluster's Helm delivery is computed once: its values files and, below, its Argo CD Applications.
    const helm = this.plan.clusters.map((cluster) => helmDelivery(cluster.plan));
    const rendered: RenderedCluster[] = this.plan.clusters.map((cluster, i) => {
      const manifests = this.stacks[i].toJson() as Manifest[];
      const stages = stagedManifests(manifests);
      for (const { stage, manifests: objects } of stages) {
        write(join(cluster.name, 'manifests', stageFolder(stage), 'resources.yaml'), Yaml.stringify(...objects));
      }
      // The same plan for the other deliveries: the official charts' values and the Falco Operator's resources.
      for (const file of stackDeliveryFiles(cluster.plan, STACK_DELIVERIES, helm[i])) write(join(cluster.name, file.name), file.text);
      const clusterDir = join(outdir, cluster.name);
      written.push(...writeStackReports(clusterDir, [cluster.plan]).map((f) => join(cluster.name, f.slice(clusterDir.length + 1))));
      return renderedCluster(cluster, stages.map((s) => s.stage), manifests);
    });
    write(REPORT_FILE, renderFleetReport(this.plan, fleetClusterReports(this.plan)));

    const delivery = this.plan.delivery;
    if (delivery?.argocd) {
      const chosen = this.plan.clusters.map((_, i) => i).filter((i) => selected(rendered[i].cluster.labels, delivery.argocd!.selector));
      const targets = chosen.map((i) => rendered[i]);
      write(join('argocd', 'appproject.yaml'), Yaml.stringify(argoCdProject(this.plan, delivery, targets)));
      write(join('argocd', 'applicationset.yaml'), Yaml.stringify(argoCdApplicationSet(this.plan, delivery, rendered)));
      // The alternative for the sensors: the official charts, with the values committed under <cluster>/helm/.
      const releases: ClusterReleases[] = chosen.map((i) => ({ cluster: rendered[i].cluster, releases: helm[i].releases }));
      write(join('argocd', 'helm', 'appproject.yaml'), Yaml.stringify(argoCdHelmProject(this.plan, delivery, releases)));
      for (const cluster of releases) {
        write(join('argocd', 'helm', `${cluster.cluster.name}.yaml`), Yaml.stringify(...argoCdHelmApplications(this.plan, delivery, cluster)));
      }
    }
    if (delivery?.flux) {
      for (const cluster of rendered) {
        write(join('flux', `${cluster.cluster.name}.yaml`), Yaml.stringify(...fluxKustomizations(this.plan, delivery, cluster)));
      }
    }
    return written.sort();
  }
}

/** Whether labels satisfy a matchLabels selector (an empty selector selects everything). */
function selected(labels: Readonly<Record<string, string>>, selector: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function prepareFolder(outdir: string, where: string): void {
  if (!existsSync(outdir)) return;
  const entries = readdirSync(outdir);
  if (entries.length === 0) return;
  if (!entries.includes(FLEET_MARKER_FILE)) {
    throw new DetectionStackError('DS-FLEET-009', where, `the output folder ${outdir} holds files that no fleet synth wrote`,
      'give an empty folder (or one an earlier fleet synth wrote), e.g. dist/<fleet>');
  }
  rmSync(outdir, { recursive: true, force: true });
}

/**
 * Builds a cdk8s app holding one or more fleets and writes each into the app's output folder (`cdk8s synth`
 * sets it from cdk8s.yaml's `output`): a single fleet into the folder itself, several into `<outdir>/<fleet>/`.
 * Errors in the definition are printed as their message alone (code, place, fix) with exit code 1, as `synthApp`.
 */
export function synthFleet(build: (app: App) => DetectionFleet | readonly DetectionFleet[], props?: AppProps): void {
  try {
    const app = new App(props);
    const built = build(app);
    const fleets = Array.isArray(built) ? built as readonly DetectionFleet[] : [built as DetectionFleet];
    for (const line of warningLines(app)) process.stderr.write(`${line}\n`);
    for (const fleet of fleets) fleet.writeTo(fleets.length === 1 ? app.outdir : join(app.outdir, fleet.plan.name));
  } catch (e) {
    const message = definitionError(e);
    if (message === undefined) throw e;
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
  }
}
