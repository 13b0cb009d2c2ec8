import { defineCodes } from './entry';

/** Fleets: clusters planned from one definition, their delivery (lib/fleet, lib/validation/schemas/fleet.ts). */
export const FLEET_CODES = defineCodes({
  'DS-FLEET-001': { level: 'error', meaning: 'a cluster is declared twice in the fleet', fix: 'give every cluster a unique name, or merge the two entries' },
  'DS-FLEET-002': { level: 'error', meaning: 'a cluster routes a team the fleet does not declare', fix: 'use a team of shared.routing.teams, or declare it there' },
  'DS-FLEET-003': { level: 'error', meaning: 'a team is routed in a cluster where it owns no namespace', fix: 'add the team\'s namespace to clusters[].namespaces, or remove the team from clusters[].teams' },
  'DS-FLEET-004': { level: 'error', meaning: 'a cluster name is a folder the fleet\'s output reserves (Argo CD, Flux objects)', fix: 'name the cluster otherwise' },
  'DS-FLEET-005': { level: 'error', meaning: 'the fleet has no cluster of the name selected', fix: 'select one of the clusters the message lists' },
  'DS-FLEET-006': { level: 'error', meaning: 'the delivery\'s repository URL is not a URL, or carries a credential, query or fragment', fix: 'give the repository URL without credentials; the engines take theirs from their own repository Secrets' },
  'DS-FLEET-007': { level: 'error', meaning: 'the fleet has no cluster', fix: 'declare at least one cluster in clusters' },
  'DS-FLEET-008': { level: 'error', meaning: 'the shared definition names a cluster, which each entry of clusters names itself', fix: 'remove cluster from shared; set name, provider and region on the entry of clusters' },
  'DS-FLEET-009': { level: 'error', meaning: 'the fleet\'s output folder holds files that no fleet synth wrote', fix: 'give an empty folder (or one an earlier fleet synth wrote), e.g. dist/<fleet>' },
  'DS-FLEET-010': { level: 'error', meaning: 'the delivery\'s folder is not a relative path inside the repository', fix: 'give the fleet\'s folder relative to the repository root, e.g. \'dist/fleet\'' },
  'DS-FLEET-011': { level: 'error', meaning: 'the Flux sync interval is not a Go duration', fix: 'use a duration such as \'10m\' or \'1h30m\'' },
});
