import { defineCodes } from './entry';

/** Falcosidekick outputs, the Alertmanager route tree, teams and the routing guardrails (lib/routing, lib/core). */
export const ROUTING_CODES = defineCodes({
  'DS-ROUTE-001': { level: 'error', meaning: 'not a Falco priority', fix: 'use one of Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug' },
  'DS-ROUTE-002': { level: 'error', meaning: 'a Secret reference whose name or key Kubernetes would refuse', fix: 'reference a Kubernetes Secret in the stack namespace: { name: \'my-secret\', key: \'url\' }' },
  'DS-ROUTE-003': { level: 'error', meaning: 'a destination URL that is not a URL, has an unsupported scheme, carries credentials, or goes in clear text out of the cluster', fix: 'give an https:// URL without credentials; put a URL that carries a token in a Secret and reference it ({ name, key })' },
  'DS-ROUTE-004': { level: 'error', meaning: 'an explicit opt-out of a secure default without a reason', fix: 'give { reason: \'...\' } of at least 10 characters saying why the risk is accepted' },
  'DS-ROUTE-005': { level: 'error', meaning: 'a team name (or a name checked as one) is not a DNS-1123 label', fix: 'use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit' },
  'DS-ROUTE-006': { level: 'error', meaning: 'a namespace is owned by two teams', fix: 'give each namespace exactly one owning team' },
  'DS-ROUTE-007': { level: 'error', meaning: 'a routing workload has fewer than 2 replicas, leaving none while one is drained', fix: 'run at least 2 replicas' },
  'DS-ROUTE-008': { level: 'error', meaning: 'a routing interval is not a Prometheus duration', fix: 'use a Prometheus duration such as \'30s\', \'5m\' or \'4h\'' },
  'DS-ROUTE-009': { level: 'error', meaning: 'the Alertmanager settings do not fit together (no route to it, operator mode without URLs, operator settings in bundled mode, two Alertmanager feeds)', fix: 'configure one Alertmanager path as the message says' },
  'DS-ROUTE-010': { level: 'error', meaning: 'a cloud output of Falcosidekick has no cloud identity or region', fix: 'give Falcosidekick the workload identity (IRSA, Pod Identity, Entra workload identity) and the region the output needs' },
  'DS-ROUTE-011': { level: 'error', meaning: 'a destination address is missing or malformed (e-mail recipient, host:port, Kafka brokers)', fix: 'give the addresses in the form the message names' },
  'DS-ROUTE-014': { level: 'error', meaning: 'the bundled Alertmanager\'s persistent storage has no usable size or StorageClass name', fix: 'give storage.size as a quantity such as \'1Gi\' and storage.storageClassName as a DNS subdomain, or leave storageClassName unset for the cluster\'s default class' },
  'DS-ROUTE-013': { level: 'error', meaning: 'a destination outside the cluster would be reached in clear text', fix: 'use TLS, an in-cluster Service address, or set allowPlaintext: { reason }' },
  'DS-ROUTE-015': { level: 'error', meaning: 'the Falcosidekick CloudWatch Logs output names a log group or stream CloudWatch would refuse, or a retention it does not offer', fix: 'use a log group of 1-512 letters, digits, \'_\', \'-\', \'/\', \'.\' or \'#\', a stream without \':\' or \'*\', and one of CloudWatch\'s retention values' },
  'DS-ROUTE-016': { level: 'error', meaning: 'a team has a reserved name (the unowned and no-notification routes)', fix: 'choose another team name' },
  'DS-ROUTE-017': { level: 'error', meaning: 'a team is declared twice', fix: 'declare each team once' },
  'DS-ROUTE-018': { level: 'error', meaning: 'a team owns no namespace', fix: 'list the namespaces the team owns' },
  'DS-ROUTE-019': { level: 'error', meaning: 'a team has no receiver', fix: 'give the team at least one receiver (slack, msTeams, email, pagerDuty, opsgenie, webhook)' },
  'DS-ROUTE-100': { level: 'error', meaning: 'a chat destination receives priorities below the stack\'s chat threshold', fix: 'raise the destination\'s minimumPriority to the chat threshold, or set allowBelowChatThreshold: { reason } on it' },
  'DS-ROUTE-101': { level: 'error', meaning: 'a custom rule has no owning team declared in routing', fix: 'set the rule\'s owner to a team declared in routing.teams, or to { unowned: \'<reason>\' }' },
  'DS-ROUTE-102': { level: 'warning', meaning: 'alerts from namespaces no team owns notify nobody', fix: 'set routing.unowned receivers (e.g. the security on-call) or give the remaining namespaces an owning team' },
});
