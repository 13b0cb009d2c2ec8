/**
 * The investigation fields every alert of a pack carries, so the first look at an alert
 * answers where (namespace, pod, container, node), what (image and digest, command line,
 * parent) and who (user, capabilities) without opening another tool.
 */

/** `label=%field` pairs appended to every syscall rule's output. */
export const SYSCALL_INVESTIGATION_FIELDS: readonly (readonly [label: string, field: string])[] = [
  ['ns', 'k8s.ns.name'],
  ['pod', 'k8s.pod.name'],
  ['container', 'container.name'],
  ['image', 'container.image.repository'],
  ['digest', 'container.image.digest'],
  ['cmdline', 'proc.cmdline'],
  ['exepath', 'proc.exepath'],
  ['parent', 'proc.pname'],
  ['pcmdline', 'proc.pcmdline'],
  ['user', 'user.name'],
  ['uid', 'user.uid'],
  ['caps', 'thread.cap_effective'],
  ['node', 'evt.hostname'],
];

/** `label=%field` pairs appended to every k8s_audit rule's output. */
export const K8S_AUDIT_INVESTIGATION_FIELDS: readonly (readonly [label: string, field: string])[] = [
  ['user', 'ka.user.name'],
  ['groups', 'ka.user.groups'],
  // ka.sourceips reads requestObject.rules[*].sourceIPs in the k8saudit plugin (always <NA> on real
  // events), so the source IPs come from the json plugin's view of the event.
  ['sourceips', 'jevt.value[/sourceIPs]'],
  ['useragent', 'ka.useragent'],
  ['verb', 'ka.verb'],
  ['resource', 'ka.target.resource'],
  ['subresource', 'ka.target.subresource'],
  ['ns', 'ka.target.namespace'],
  ['name', 'ka.target.name'],
  ['uri', 'ka.uri'],
  ['decision', 'ka.auth.decision'],
];

/**
 * An output format: the headline, the rule's own fields, the investigation fields and the
 * runbook ID or link (so an alert in any destination leads back to its runbook).
 */
export function outputFormat(
  headline: string,
  source: 'syscall' | 'k8s_audit',
  runbook: string,
  extra: readonly (readonly [string, string])[] = [],
): string {
  const base = source === 'syscall' ? SYSCALL_INVESTIGATION_FIELDS : K8S_AUDIT_INVESTIGATION_FIELDS;
  const seen = new Set<string>();
  const pairs = [...extra, ...base].filter(([label]) => (seen.has(label) ? false : (seen.add(label), true)));
  return `${headline} | ${pairs.map(([label, field]) => `${label}=%${field}`).join(' ')} runbook=${runbook}`;
}
