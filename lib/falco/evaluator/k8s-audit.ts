/**
 * The `ka.*` fields of Falco's k8saudit plugin and the `jevt.*`/`json.*` fields of its json
 * plugin, extracted from a raw `audit.k8s.io` Event the way the plugins do it
 * (falcosecurity/plugins, plugins/k8saudit/pkg/k8saudit/extract.go and plugins/json/pkg/json/json.go),
 * including their quirks: every `ka.*` value is a string (booleans and numbers as JSON text),
 * objects and arrays are rendered as compact JSON, an empty list is "not available".
 */

/** The event source of Kubernetes audit events. */
export const K8S_AUDIT_SOURCE = 'k8s_audit';

/** A value as the plugin returns it: a string, a list of strings, or undefined (not available). */
export type K8sAuditValue = string | readonly string[] | undefined;

/** Extracts one field from one raw audit event. */
export type K8sAuditExtractor = (event: unknown) => K8sAuditValue;

type Json = unknown;

/**
 * Whether a JSON value is a Kubernetes audit Event or EventList. As the k8saudit plugin decides
 * (falcosecurity/plugins, plugins/k8saudit/pkg/k8saudit/source.go, ParseAuditEventsJSON), `kind:
 * Event` or `kind: EventList` alone does: older API servers write no `apiVersion`.
 */
export function isK8sAuditEvent(value: unknown): boolean {
  return isObject(value) && (value.kind === 'Event' || value.kind === 'EventList');
}

/** The single events of an audit payload: an EventList's items, or the Event itself (as the plugin splits them). */
export function splitK8sAuditEvents(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(splitK8sAuditEvents);
  if (isObject(value) && value.kind === 'EventList') return Array.isArray(value.items) ? value.items : [];
  return [value];
}

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** fastjson's `Get(keys...)`: object keys, and decimal indexes into arrays. */
function get(v: Json, ...keys: string[]): Json | undefined {
  let cur: Json | undefined = v;
  for (const k of keys) {
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(k)) return undefined;
      cur = cur[Number(k)];
    } else if (isObject(cur)) {
      cur = Object.prototype.hasOwnProperty.call(cur, k) ? cur[k] : undefined;
    } else {
      return undefined;
    }
  }
  return cur;
}

/** The plugin's jsonValueAsString: strings as they are, anything else as compact JSON. */
function asString(v: Json): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const NOT_AVAILABLE = Symbol('not available');
type Values = (Json | undefined)[];

/**
 * The plugin's getValuesRecursive: walks `keys`, fanning out over every array met on the way
 * (or taking one element when an index filter is given); a branch that ends early gives `undefined`.
 */
function valuesRecursive(v: Json, indexFilter: number | undefined, keys: readonly string[]): Values | typeof NOT_AVAILABLE {
  let cur: Json | undefined = v;
  for (let i = 0; i < keys.length; i++) {
    if (Array.isArray(cur)) {
      if (indexFilter === undefined) {
        const out: Values = [];
        for (const item of cur) {
          const sub = valuesRecursive(item, indexFilter, keys.slice(i));
          if (sub === NOT_AVAILABLE) out.push(undefined);
          else out.push(...sub);
        }
        return out;
      }
      if (indexFilter >= cur.length) return NOT_AVAILABLE;
      cur = cur[indexFilter];
    }
    cur = keys[i] === '' ? cur : get(cur, keys[i]);
    if (cur === undefined) return NOT_AVAILABLE;
  }
  return [cur];
}

function stringsSkipMissing(values: Values): string[] {
  return values.filter((v) => v !== undefined).map(asString);
}

function list(values: readonly string[] | undefined): K8sAuditValue {
  return values && values.length > 0 ? values : undefined;
}

/** A field read from fixed keys: a string, or for list fields a list of strings. */
function fromKeys(keys: readonly string[], isList: boolean): (e: Json) => K8sAuditValue {
  return (e) => {
    const v = get(e, ...keys);
    if (v === undefined) return undefined;
    if (!isList) return asString(v);
    return Array.isArray(v) ? list(v.map(asString)) : undefined;
  };
}

function indexOf(arg: string | undefined): number | undefined {
  if (arg === undefined) return undefined;
  return /^\d+$/.test(arg) ? Number(arg) : 0;
}

function containerValues(e: Json, containerList: string, index: number | undefined, ...keys: string[]) {
  return valuesRecursive(e, index, ['requestObject', 'spec', containerList, ...keys]);
}

/** readContainerNames / readContainerImages: every container must have the key. */
function containerStrings(e: Json, containerList: string, index: number | undefined, key: string): string[] | undefined {
  const values = containerValues(e, containerList, index, key);
  if (values === NOT_AVAILABLE || values.some((v) => v === undefined)) return undefined;
  return values.map(asString);
}

function repositoryOf(image: string): string {
  return image.split(':')[0].split('@')[0];
}

/** readContainerCommands / readContainerArgs: each container's words joined with spaces. */
function containerWords(e: Json, containerList: string, index: number | undefined, key: string): K8sAuditValue {
  const values = containerValues(e, containerList, index, key);
  if (values === NOT_AVAILABLE) return undefined;
  const out: string[] = [];
  for (const v of values) {
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((w) => typeof w !== 'string')) return undefined;
    out.push(v.join(' '));
  }
  return list(out);
}

function containerHostPorts(e: Json, containerList: string, index: number | undefined): K8sAuditValue {
  const values = containerValues(e, containerList, index, 'ports');
  if (values === NOT_AVAILABLE) return undefined;
  const out: string[] = [];
  for (const ports of values) {
    if (ports === undefined) continue;
    if (!Array.isArray(ports)) return undefined;
    for (const port of ports) {
      const p = get(port, 'hostPort') ?? get(port, 'containerPort');
      if (p !== undefined) out.push(asString(p));
    }
  }
  return list(out);
}

/** readFromContainerEffectively: the container's value, else the pod's, else "0" (keys as upstream reads them). */
function containerEffective(e: Json, containerList: string, index: number | undefined, key: string): K8sAuditValue {
  const podValue = get(e, 'requestObject', 'spec', key);
  const podDefault = podValue === undefined ? '0' : asString(podValue);
  const values = containerValues(e, containerList, index, key);
  if (values === NOT_AVAILABLE) return undefined;
  return list(values.map((v) => (v === undefined ? podDefault : asString(v))));
}

function containerField(containerList: string, field: string, arg: string | undefined): ((e: Json) => K8sAuditValue) | undefined {
  const index = indexOf(arg);
  const securityContext = (...keys: string[]) => (e: Json) => {
    const values = containerValues(e, containerList, index, 'securityContext', ...keys);
    return values === NOT_AVAILABLE ? undefined : list(stringsSkipMissing(values));
  };
  switch (field) {
    case 'args': return (e) => containerWords(e, containerList, index, 'args');
    case 'command': return (e) => containerWords(e, containerList, index, 'command');
    case 'name': return (e) => list(containerStrings(e, containerList, index, 'name'));
    case 'image': return (e) => list(containerStrings(e, containerList, index, 'image'));
    case 'image.repository': return (e) => list(containerStrings(e, containerList, index, 'image')?.map(repositoryOf));
    case 'host_port': return (e) => containerHostPorts(e, containerList, index);
    case 'privileged': return securityContext('privileged');
    case 'allow_privilege_escalation': return securityContext('allowPrivilegeEscalation');
    case 'read_only_fs': return securityContext('readOnlyRootFilesystem');
    case 'run_as_user': return securityContext('runAsUser');
    case 'run_as_group': return securityContext('runAsGroup');
    case 'eff_run_as_user': return (e) => containerEffective(e, containerList, index, 'runAsUser');
    case 'eff_run_as_group': return (e) => containerEffective(e, containerList, index, 'runAsGroup');
    case 'proc_mount': return securityContext('procMount');
    case 'add_capabilities': return securityContext('capabilities', 'add');
    default: return undefined;
  }
}

/** extractRulesField: values of `requestObject.rules[*].<keys>` flattened (upstream reads ka.sourceips here too). */
function rulesField(arg: string | undefined, ...keys: string[]) {
  const index = indexOf(arg);
  return (e: Json): K8sAuditValue => {
    const values = valuesRecursive(e, index, ['requestObject', 'rules', ...keys]);
    if (values === NOT_AVAILABLE) return undefined;
    const out: string[] = [];
    for (const v of values) if (Array.isArray(v)) out.push(...stringsSkipMissing(v));
    return list(out);
  };
}

function subjectNames(kind: string, namespaced: boolean) {
  return (e: Json): K8sAuditValue => {
    const subjects = get(e, 'requestObject', 'subjects');
    if (!Array.isArray(subjects)) return undefined;
    const out: string[] = [];
    for (const s of subjects) {
      const k = get(s, 'kind');
      const name = get(s, 'name');
      if (k === undefined || name === undefined || asString(k) !== kind) continue;
      if (namespaced) {
        const ns = get(s, 'namespace');
        if (ns === undefined) continue;
        out.push(`${asString(ns)}:${asString(name)}`);
      } else {
        out.push(asString(name));
      }
    }
    return list(out);
  };
}

/** The first value of a query parameter of `requestURI` (Go's url.ParseQuery). */
function uriParam(key: string) {
  return (e: Json): K8sAuditValue => {
    const uri = get(e, 'requestURI');
    if (uri === undefined) return undefined;
    const text = asString(uri);
    const q = text.indexOf('?');
    if (q < 0) return undefined;
    const query = text.slice(q + 1).split('#')[0];
    for (const pair of query.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const [k, v] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
      try {
        if (decodeURIComponent(k.replace(/\+/g, ' ')) === key) return decodeURIComponent(v.replace(/\+/g, ' '));
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** The ka.* fields that are lists. */
const KA_LIST_FIELDS = new Set([
  'ka.user.groups', 'ka.req.binding.subjects', 'ka.req.binding.subjects.user_names',
  'ka.req.binding.subjects.serviceaccount_names', 'ka.req.binding.subjects.serviceaccount_ns_names',
  'ka.req.binding.subjects.group_names', 'ka.req.role.rules', 'ka.req.role.rules.apiGroups',
  'ka.req.role.rules.nonResourceURLs', 'ka.req.role.rules.verbs', 'ka.req.role.rules.resources',
  'ka.req.pod.supplemental_groups', 'ka.req.service.ports', 'ka.req.pod.volumes.hostpath',
  'ka.req.pod.volumes.flexvolume_driver', 'ka.req.pod.volumes.volume_type', 'ka.sourceips',
]);

/** Whether a k8saudit field extracts a list of values. */
export function isK8sAuditListField(name: string): boolean {
  return KA_LIST_FIELDS.has(name) || CONTAINER_LISTS.some((l) => name.startsWith(`ka.req.pod.${l}.`));
}

function kaField(name: string, arg: string | undefined): ((e: Json) => K8sAuditValue) | undefined {
  for (const containerList of CONTAINER_LISTS) {
    const prefix = `ka.req.pod.${containerList}.`;
    if (name.startsWith(prefix)) return containerField(containerList, name.slice(prefix.length), arg);
  }
  const keys = (...k: string[]) => fromKeys(k, isK8sAuditListField(name));
  const index = indexOf(arg);
  switch (name) {
    case 'ka.auditid': return keys('auditID');
    case 'ka.stage': return keys('stage');
    case 'ka.auth.decision': return keys('annotations', 'authorization.k8s.io/decision');
    case 'ka.auth.reason': return keys('annotations', 'authorization.k8s.io/reason');
    case 'ka.auth.openshift.decision': return keys('annotations', 'authentication.openshift.io/decision');
    case 'ka.auth.openshift.username': return keys('annotations', 'authentication.openshift.io/username');
    case 'ka.validations.admission.policy.failure':
      return keys('annotations', 'validation.policy.admission.k8s.io/validation_failure');
    case 'ka.security.pod.violations': return keys('annotations', 'pod-security.kubernetes.io/audit-violations');
    case 'ka.user.name': return keys('user', 'username');
    case 'ka.user.groups': return keys('user', 'groups');
    case 'ka.impuser.name': return keys('impersonatedUser', 'username');
    case 'ka.verb': return keys('verb');
    case 'ka.uri': return keys('requestURI');
    case 'ka.uri.param': return uriParam(arg ?? '');
    case 'ka.target.name': return keys('objectRef', 'name');
    case 'ka.target.namespace': return keys('objectRef', 'namespace');
    case 'ka.target.resource': return keys('objectRef', 'resource');
    case 'ka.target.subresource': return keys('objectRef', 'subresource');
    case 'ka.target.pod.name': return (e) => {
      if (get(e, 'objectRef', 'resource') !== 'pods') return undefined;
      const sub = get(e, 'objectRef', 'subresource');
      if (typeof sub === 'string' && sub !== '') return undefined;
      const v = get(e, 'responseObject', 'metadata', 'name');
      return v === undefined ? undefined : asString(v);
    };
    case 'ka.req.binding.subjects': return keys('requestObject', 'subjects');
    case 'ka.req.binding.subjects.user_names': return subjectNames('User', false);
    case 'ka.req.binding.subjects.serviceaccount_names': return subjectNames('ServiceAccount', false);
    case 'ka.req.binding.subjects.serviceaccount_ns_names': return subjectNames('ServiceAccount', true);
    case 'ka.req.binding.subjects.group_names': return subjectNames('Group', false);
    case 'ka.req.binding.role': return keys('requestObject', 'roleRef', 'name');
    // Documented as N/A; the plugin answers "true", as the original implementation did.
    case 'ka.req.binding.subject.has_name': return () => 'true';
    case 'ka.req.configmap.name': return keys('objectRef', 'name');
    case 'ka.req.configmap.obj': return keys('requestObject', 'data');
    case 'ka.req.container.image': return (e) => containerStrings(e, 'containers', 0, 'image')?.[0];
    case 'ka.req.container.image.repository': return (e) => {
      const image = containerStrings(e, 'containers', 0, 'image')?.[0];
      return image === undefined ? undefined : repositoryOf(image);
    };
    case 'ka.req.pod.host_ipc': return keys('requestObject', 'spec', 'hostIPC');
    case 'ka.req.pod.host_network':
    case 'ka.req.container.host_network': return keys('requestObject', 'spec', 'hostNetwork');
    case 'ka.req.pod.host_pid': return keys('requestObject', 'spec', 'hostPID');
    case 'ka.req.container.privileged': return (e) => {
      const values = containerValues(e, 'containers', undefined, 'securityContext', 'privileged');
      if (values === NOT_AVAILABLE) return undefined;
      return values.some((v) => v === true) ? 'true' : 'false';
    };
    case 'ka.req.pod.run_as_user': return keys('requestObject', 'spec', 'securityContext', 'runAsUser');
    case 'ka.req.pod.run_as_group': return keys('requestObject', 'spec', 'securityContext', 'runAsGroup');
    case 'ka.req.role.rules': return keys('requestObject', 'rules');
    case 'ka.req.role.rules.apiGroups': return rulesField(arg, 'apiGroups');
    case 'ka.req.role.rules.nonResourceURLs': return rulesField(arg, 'nonResourceURLs');
    case 'ka.req.role.rules.verbs': return rulesField(arg, 'verbs');
    case 'ka.req.role.rules.resources': return rulesField(arg, 'resources');
    case 'ka.req.pod.fs_group': return keys('requestObject', 'spec', 'securityContext', 'fsGroup');
    case 'ka.req.pod.supplemental_groups': return keys('requestObject', 'spec', 'securityContext', 'supplementalGroups');
    case 'ka.req.service.type': return keys('requestObject', 'spec', 'type');
    case 'ka.req.service.ports': return (e) => {
      const values = valuesRecursive(e, index, ['requestObject', 'spec', 'ports']);
      return values === NOT_AVAILABLE ? undefined : list(stringsSkipMissing(values));
    };
    case 'ka.req.volume.hostpath': return (e) => {
      // The key argument makes the plugin's index filter 0: only the first volume is looked at.
      const values = valuesRecursive(e, 0, ['requestObject', 'spec', 'volumes', 'hostPath', 'path']);
      if (values === NOT_AVAILABLE) return undefined;
      const key = arg ?? '';
      const prefix = key.endsWith('*') ? key.slice(0, -1) : undefined;
      return stringsSkipMissing(values).some((p) => (prefix !== undefined && p.startsWith(prefix)) || p === key) ? 'true' : 'false';
    };
    case 'ka.req.pod.volumes.hostpath': return (e) => {
      const values = valuesRecursive(e, index, ['requestObject', 'spec', 'volumes', 'hostPath', 'path']);
      return values === NOT_AVAILABLE ? undefined : list(stringsSkipMissing(values));
    };
    case 'ka.req.pod.volumes.flexvolume_driver': return (e) => {
      const values = valuesRecursive(e, index, ['requestObject', 'spec', 'volumes', 'flexVolume', 'driver']);
      return values === NOT_AVAILABLE ? undefined : list(stringsSkipMissing(values));
    };
    case 'ka.req.pod.volumes.volume_type': return (e) => {
      const values = valuesRecursive(e, index, ['requestObject', 'spec', 'volumes', '']);
      if (values === NOT_AVAILABLE) return undefined;
      const out: string[] = [];
      for (const v of values) if (isObject(v)) out.push(...Object.keys(v).filter((k) => k !== 'name'));
      return list(out);
    };
    case 'ka.resp.name': return keys('responseObject', 'metadata', 'name');
    case 'ka.response.code': return keys('responseStatus', 'code');
    case 'ka.response.reason': return keys('responseStatus', 'reason');
    case 'ka.useragent': return keys('userAgent');
    // Upstream reads requestObject.rules[*].sourceIPs here (extractRulesField), not the event's sourceIPs.
    case 'ka.sourceips': return rulesField(arg, 'sourceIPs');
    case 'ka.cluster.name': return keys('annotations', 'cluster_name');
    default: return undefined;
  }
}

/** Nanoseconds since the epoch of `stageTimestamp` (RFC 3339 with up to 9 fraction digits), as text. */
export function k8sAuditTimestampNs(event: unknown): string | undefined {
  const ts = get(event, 'stageTimestamp');
  if (typeof ts !== 'string') return undefined;
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  const fraction = BigInt((m[2] ?? '').padEnd(9, '0'));
  return (BigInt(ms) * 1000000n + fraction).toString();
}

function jsonField(name: string, arg: string | undefined): ((e: Json) => K8sAuditValue) | undefined {
  const field = name.replace(/^jevt\./, 'json.');
  switch (field) {
    case 'json.value': {
      if (arg === undefined || arg === '') return (e) => JSON.stringify(e);
      const pointer = (arg.startsWith('/') ? arg.slice(1) : arg).split('/')
        .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
      return (e) => {
        const v = get(e, ...pointer);
        return v === undefined ? undefined : asString(v);
      };
    }
    case 'json.obj': return (e) => JSON.stringify(e, null, 2);
    case 'json.rawtime': return k8sAuditTimestampNs;
    default: return undefined;
  }
}

/**
 * An extractor for one field of the k8s_audit source (`ka.*`, `jevt.*`, `json.*`, and the
 * `evt.source`/`evt.rawtime` common to every source); undefined for a field it does not know.
 */
export function k8sAuditExtractor(name: string, arg?: string): K8sAuditExtractor | undefined {
  if (name === 'evt.source') return () => K8S_AUDIT_SOURCE;
  if (name === 'evt.rawtime') return k8sAuditTimestampNs;
  if (name.startsWith('jevt.') || name.startsWith('json.')) return jsonField(name, arg);
  if (!name.startsWith('ka.')) return undefined;
  const extract = kaField(name, arg);
  if (!extract) return undefined;
  // The plugin answers only for JSON that has an auditID.
  return (e) => (get(e, 'auditID') === undefined ? undefined : extract(e));
}

/** Extracts one field from one raw audit event (a convenience over {@link k8sAuditExtractor}). */
export function extractK8sAuditField(event: unknown, name: string, arg?: string): K8sAuditValue {
  const extractor = k8sAuditExtractor(name, arg);
  if (!extractor) throw new Error(`unknown k8s_audit field '${name}'`);
  return extractor(event);
}
