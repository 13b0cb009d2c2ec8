// One definition for four clusters on the three providers: the project's runtime and Kubernetes-audit packs,
// two teams and their routes, shared by every cluster; each cluster adds its own durable bucket. The staging
// cluster runs only the payments namespaces, so the identity team (and the rules it owns) is not routed there.
// `npm run synth` writes dist/fleet/: a folder per cluster (manifests by sync stage, REPORT.md, runbooks, helm/ with
// the official charts' values, operator/ with the Falco Operator resources), the fleet's REPORT.md, an Argo CD
// ApplicationSet and AppProject for the prod clusters (and argocd/helm/: Applications with a Helm source), Flux
// Kustomizations for all. pulumi/ deploys the same definition with Pulumi, one stack per cluster.
import { App } from 'cdk8s';
import { fleetProps } from './fleet';
import { DetectionFleet, synthFleet } from '../../lib';

export { fleetProps } from './fleet';

/** The example fleet, in any cdk8s App (the tests synthesize it in memory). */
export function exampleFleet(app: App): DetectionFleet {
  return new DetectionFleet(app, 'acme', fleetProps);
}

// `cdk8s synth` runs this file; importing it (tests) only defines the fleet.
if (require.main === module) synthFleet((app) => exampleFleet(app));
