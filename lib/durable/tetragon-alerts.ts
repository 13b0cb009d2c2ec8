// How the shipper turns Tetragon's JSON export into alerts shaped like Falco's (rule, priority, owner, tags,
// output_fields with the same investigation field names), for the durable bucket and the team routes.
//
// The export is one protojson GetEventsResponse per line with the proto field names (cilium/tetragon v1.7.0,
// pkg/encoder/encoder.go `UseProtoNames: true`; messages in api/v1/tetragon/events.proto and tetragon.proto).
// Fluent Bit 5.1.1 as built here has no Lua, so the shape is made with its nest, modify, parser and rewrite_tag
// filters only: the event is lifted into flat keys, renamed, and nested again.
import type { FalcoPriority } from '../core/priorities';

/** One Tetragon detection as the shipper alerts on it: the events of its policies become alerts. */
export interface TetragonAlertRule {
  /** The detection id. */
  readonly detection: string;
  readonly rule: string;
  readonly priority: FalcoPriority;
  readonly owner: string;
  /** The detection's tags plus `owner:<team>`, `pattern:<id>` and `detection:<id>`. */
  readonly tags: readonly string[];
  /** `metadata.name` of each of its policies: Tetragon writes it as `policy_name` in every event the policy raises. */
  readonly policyNames: readonly string[];
}

/** Where Tetragon alerts are posted besides the bucket: the team routing's Alertmanager instances. */
export interface AlertRouteTarget {
  /** One `http://host:port` per Alertmanager instance (each gets every alert, as Alertmanager HA expects). */
  readonly urls: readonly string[];
  /**
   * Labels added to every routed alert, as Falcosidekick adds them: `cluster` (its `customfields`) and the target's
   * extra labels (the `namespace` the prometheus-operator matches on).
   */
  readonly labels: Readonly<Record<string, string>>;
}

/** GetEventsResponse fields whose message carries `policy_name` (events.proto oneof `event`, v1.7.0). */
export const POLICY_EVENT_KEYS = ['process_kprobe', 'process_tracepoint', 'process_uprobe', 'process_lsm', 'process_usdt'] as const;

/**
 * Where each alert field comes from: a path inside the policy event (ProcessKprobe and its siblings: `process`,
 * `parent`, `policy_name`, ...; Process, Pod, Container and Image of tetragon.proto) and the `output_fields` name.
 * Falco's field names are used where the meaning is the same (so one query reads both sensors), `tetragon.*` where
 * Falco has no such field.
 */
export const TETRAGON_ALERT_FIELDS: readonly (readonly [path: string, field: string])[] = [
  ['process.pod.namespace', 'k8s.ns.name'],
  ['process.pod.name', 'k8s.pod.name'],
  ['process.pod.container.name', 'container.name'],
  ['process.pod.container.id', 'container.full_id'],
  ['process.pod.container.image.name', 'container.image'],
  ['process.pod.container.image.id', 'tetragon.image_id'],
  ['process.pod.workload', 'tetragon.workload'],
  ['process.pod.workload_kind', 'tetragon.workload_kind'],
  ['process.binary', 'proc.exepath'],
  ['process.arguments', 'proc.args'],
  ['process.cwd', 'proc.cwd'],
  ['process.pid', 'proc.pid'],
  ['process.uid', 'user.uid'],
  ['process.auid', 'user.loginuid'],
  ['process.exec_id', 'tetragon.exec_id'],
  ['parent.binary', 'proc.pexepath'],
  ['parent.arguments', 'tetragon.parent_arguments'],
  ['parent.exec_id', 'tetragon.parent_exec_id'],
  ['policy_name', 'tetragon.policy_name'],
  ['function_name', 'tetragon.function_name'],
  ['action', 'tetragon.action'],
  ['args', 'tetragon.args'],
  ['message', 'tetragon.message'],
];

/**
 * The alert fields that become Alertmanager labels, named as Falcosidekick names them (dots to `_`, its
 * alertmanagerSafeLabel), so the team routes (`k8s_ns_name`, `priority`) match Tetragon's alerts as they match
 * Falco's. Only string fields: Alertmanager refuses a batch with a label that is not a string.
 */
export const ROUTE_LABEL_FIELDS = ['k8s.ns.name', 'k8s.pod.name', 'container.name', 'container.image', 'proc.exepath', 'evt.hostname'] as const;

/** Falcosidekick's default `severity` label per priority (outputs/alertmanager.go defaultSeverityMap, 2.34.1). */
const SEVERITY: Readonly<Record<FalcoPriority, string>> = {
  Debug: 'information',
  Informational: 'information',
  Notice: 'information',
  Warning: 'warning',
  Error: 'warning',
  Critical: 'critical',
  Alert: 'critical',
  Emergency: 'critical',
};

/** Tag of the raw Tetragon events (the `tetragon` source); alerts are copies under the tags below. */
export const ALERT_TAG_PREFIX = 'alerts.tetragon-alerts';
export const ROUTE_TAG = 'routes.tetragon';
/** Record keys the filters use in passing; none is left in what leaves the shipper. */
const FLAT = 't.';
const FIELD = 'of.';
const LABEL = 'l.';
const ANNOTATION = 'a.';

export type FluentBitSection = readonly [name: string, entries: readonly (readonly [string, string | number])[]];

/**
 * JSON for record_modifier's `Record KEY VALUE`: its value ends at the first space and a quote starts a token, so
 * whitespace and `'` are written as JSON `\\u` escapes (the parser filter reads them back). modify's `Set` is no
 * use here: it compiles every value as a regex.
 */
function recordJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\s']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The intermediate maps to lift, shallow first, for the paths of `TETRAGON_ALERT_FIELDS`. */
function liftedPaths(): string[] {
  const parents = new Set<string>();
  for (const [path] of TETRAGON_ALERT_FIELDS) {
    const parts = path.split('.');
    for (let i = 1; i < parts.length; i++) parents.add(parts.slice(0, i).join('.'));
  }
  return [...parents].sort((a, b) => a.split('.').length - b.split('.').length || a.localeCompare(b));
}

/**
 * The filters that copy each policy event of the `tetragon` source into a Falco-shaped alert (tag
 * `alerts.tetragon-alerts.<detection>`, so the bucket keeps it under `<prefix>/tetragon-alerts/`) and, with a route
 * target, a second copy in Alertmanager's `postableAlert` shape (tag `routes.tetragon`). The raw event is kept.
 */
export function tetragonAlertFilters(sourceTag: string, rules: readonly TetragonAlertRule[], cluster: string,
  route: AlertRouteTarget | undefined): FluentBitSection[] {
  if (rules.length === 0) return [];
  const all = `${ALERT_TAG_PREFIX}.*`;
  const out: FluentBitSection[] = [];
  out.push(['FILTER', [
    ['Name', 'rewrite_tag'],
    ['Match', sourceTag],
    ...rules.flatMap((r) => POLICY_EVENT_KEYS.map((key): [string, string] =>
      ['Rule', `$${key}['policy_name'] ^(${r.policyNames.map(escapeRegex).join('|')})$ ${ALERT_TAG_PREFIX}.${r.detection} true`])),
    ['Emitter_Name', 'tetragon-alerts'],
    ['Emitter_Storage.type', 'filesystem'],
  ]]);
  for (const key of POLICY_EVENT_KEYS) {
    out.push(['FILTER', [['Name', 'modify'], ['Match', all], ['Condition', `Key_exists ${key}`], ['Set', `${FIELD}tetragon.event ${key}`]]]);
    out.push(['FILTER', [['Name', 'nest'], ['Match', all], ['Operation', 'lift'], ['Nested_under', key], ['Add_prefix', FLAT]]]);
  }
  for (const path of liftedPaths()) {
    out.push(['FILTER', [['Name', 'nest'], ['Match', all], ['Operation', 'lift'], ['Nested_under', `${FLAT}${path}`], ['Add_prefix', `${FLAT}${path}.`]]]);
  }
  out.push(['FILTER', [
    ['Name', 'modify'],
    ['Match', all],
    ...TETRAGON_ALERT_FIELDS.map(([path, field]): [string, string] => ['Rename', `${FLAT}${path} ${FIELD}${field}`]),
    ['Copy', `node_name ${FIELD}evt.hostname`],
    ['Copy', 'node_name hostname'],
    // The cluster name is validated to letters, digits, '-' and '_' (a literal, safe as modify's value).
    ['Set', `${FIELD}cluster ${cluster}`],
    ['Set', 'source tetragon'],
  ]]);
  for (const r of rules) {
    const constants = {
      rule: r.rule,
      priority: r.priority,
      owner: r.owner,
      tags: r.tags,
      output: `${r.rule} | detection=${r.detection} owner=${r.owner}`,
      ds_labels: {
        alertname: r.rule,
        rule: r.rule,
        priority: r.priority,
        severity: SEVERITY[r.priority],
        owner: r.owner,
        source: 'tetragon',
        eventsource: 'tetragon',
        tags: [...r.tags].sort().join(','),
        ...route?.labels,
      },
      ds_annotations: { summary: r.rule, description: `${r.rule} | detection=${r.detection} owner=${r.owner}` },
    };
    out.push(['FILTER', [['Name', 'record_modifier'], ['Match', `${ALERT_TAG_PREFIX}.${r.detection}`], ['Record', `ds_alert ${recordJson(constants)}`]]]);
  }
  out.push(['FILTER', [['Name', 'parser'], ['Match', all], ['Key_Name', 'ds_alert'], ['Parser', 'alert_json'], ['Reserve_Data', 'On']]]);
  if (route) {
    out.push(['FILTER', [['Name', 'rewrite_tag'], ['Match', all], ['Rule', `$rule ^. ${ROUTE_TAG} true`], ['Emitter_Name', 'tetragon-routes']]]);
    out.push(['FILTER', [['Name', 'nest'], ['Match', ROUTE_TAG], ['Operation', 'lift'], ['Nested_under', 'ds_labels'], ['Add_prefix', LABEL]]]);
    out.push(['FILTER', [['Name', 'nest'], ['Match', ROUTE_TAG], ['Operation', 'lift'], ['Nested_under', 'ds_annotations'], ['Add_prefix', ANNOTATION]]]);
    out.push(['FILTER', [
      ['Name', 'modify'],
      ['Match', ROUTE_TAG],
      ...ROUTE_LABEL_FIELDS.map((f): [string, string] => ['Copy', `${FIELD}${f} ${LABEL}${f.replace(/\./g, '_')}`]),
      ['Copy', `hostname ${LABEL}hostname`],
    ]]);
    out.push(['FILTER', [['Name', 'nest'], ['Match', ROUTE_TAG], ['Operation', 'nest'], ['Wildcard', `${LABEL}*`], ['Nest_under', 'labels'], ['Remove_prefix', LABEL]]]);
    out.push(['FILTER', [['Name', 'nest'], ['Match', ROUTE_TAG], ['Operation', 'nest'], ['Wildcard', `${ANNOTATION}*`], ['Nest_under', 'annotations'], ['Remove_prefix', ANNOTATION]]]);
    out.push(['FILTER', [['Name', 'modify'], ['Match', ROUTE_TAG], ['Remove_regex', '^(?!labels$|annotations$)']]]);
  }
  out.push(['FILTER', [['Name', 'nest'], ['Match', all], ['Operation', 'nest'], ['Wildcard', `${FIELD}*`], ['Nest_under', 'output_fields'], ['Remove_prefix', FIELD]]]);
  out.push(['FILTER', [
    ['Name', 'modify'],
    ['Match', all],
    ['Remove_wildcard', FLAT],
    ['Remove', 'ds_labels'],
    ['Remove', 'ds_annotations'],
  ]]);
  return out;
}

/** The outputs that post the routed copies to each Alertmanager (its v2 API takes a JSON array of alerts). */
export function alertRouteOutputs(route: AlertRouteTarget | undefined, bufferLimit: string): FluentBitSection[] {
  return (route?.urls ?? []).map((url, i) => {
    const u = new URL(url);
    return ['OUTPUT', [
      ['Name', 'http'],
      ['Alias', `alertmanager-${i}`],
      ['Match', ROUTE_TAG],
      ['Host', u.hostname],
      ['Port', u.port || (u.protocol === 'https:' ? 443 : 80)],
      ['URI', '/api/v2/alerts'],
      ['Format', 'json'],
      ['json_date_key', 'false'],
      ...(u.protocol === 'https:' ? [['tls', 'On'] as [string, string], ['tls.verify', 'On'] as [string, string]] : []),
      // A notification late by minutes still helps; the bucket is what keeps every alert.
      ['Retry_Limit', 30],
      ['storage.total_limit_size', bufferLimit],
    ]];
  });
}
