import type { AlertmanagerProps, RoutingProps, TeamReceiversProps } from './props';
import type { AlertmanagerTarget, ChatDestinationPlan } from './sidekick-plan';
import { requireDestinationUrl, requireDuration, requireEmail, requireHostPort, requireTeamName } from './validate';
import type { PlanContext } from '../core/context';
import { NetworkDestination, dedupeEgress } from '../core/egress';
import type { EgressPlan } from '../core/egress';
import { DetectionStackError } from '../core/errors';
import { requireReason } from '../core/opt-out';
import type { FalcoPriority } from '../core/priorities';
import { lowestPriority, prioritiesAtOrAbove, requirePriority } from '../core/priorities';
import { SecretUse, isSecretKeyRef, requireSecretRef } from '../core/secrets';
import type { SecretKeyRef } from '../core/secrets';
import { TAG_PREFIX } from '../core/tags';
import type { WorkloadPlan } from '../core/workload';

export const ALERTMANAGER_NAME = 'alertmanager';
export const ALERTMANAGER_PORT = 9093;
export const ALERTMANAGER_CLUSTER_PORT = 9094;
/** The AlertmanagerConfig of mode `operator`. */
export const ALERTMANAGER_CONFIG_NAME = 'detection-stack-routing';
/** Where the bundled Alertmanager finds the users' Secrets, one directory per Secret. */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';
/** Receiver that notifies nobody: alerts below every threshold of their owner (they still reach durable storage). */
export const NO_NOTIFICATION = 'no-notification';
/** Reserved name of the receivers for namespaces no team owns. */
export const UNOWNED = 'unowned';

/** Falcosidekick's Alertmanager labels this routing matches on. */
export const LABEL_NAMESPACE = 'k8s_ns_name';
/** The label Falcosidekick puts a rule's tags in (sorted, comma-joined). */
export const LABEL_TAGS = 'tags';
export const LABEL_PRIORITY = 'priority';

/** A credential or a literal. */
type Credential = { readonly secret: SecretKeyRef } | { readonly literal: string };

/** One notification integration, independent of the config format it is rendered to. */
export type IntegrationPlan =
  | { readonly kind: 'slack'; readonly apiUrl: SecretKeyRef; readonly channel?: string }
  | { readonly kind: 'msteams' | 'msteamsv2'; readonly webhookUrl: SecretKeyRef }
  | {
    readonly kind: 'email';
    readonly to: readonly string[];
    readonly from: string;
    readonly smarthost: string;
    readonly authUsername?: string;
    readonly authPassword?: SecretKeyRef;
    readonly requireTls: boolean;
  }
  | { readonly kind: 'pagerduty'; readonly routingKey: SecretKeyRef }
  | { readonly kind: 'opsgenie'; readonly apiKey: SecretKeyRef }
  | { readonly kind: 'webhook'; readonly url: Credential };

/** A named Alertmanager receiver with one integration and the lowest priority routed to it. */
export interface ReceiverPlan {
  readonly name: string;
  readonly minimumPriority: FalcoPriority;
  readonly integration: IntegrationPlan;
  readonly where: string;
  /** Reason a chat receiver may get priorities below the chat threshold. */
  readonly allowedBelowThresholdBecause?: string;
  /** Where the bundled Alertmanager connects to notify it. */
  readonly egress: EgressPlan;
}

/** A route of the tree. Matchers are `[label, op, value]`. */
export interface RouteNode {
  readonly receiver: string;
  readonly matchers: readonly (readonly [string, '=' | '=~', string])[];
  readonly continue: boolean;
  readonly routes: readonly RouteNode[];
}

export interface TeamPlan {
  readonly name: string;
  readonly namespaces: readonly string[];
  readonly receivers: readonly ReceiverPlan[];
}

/**
 * Team routing through Alertmanager, as plain data. The bundled Alertmanager's StatefulSet (name, namespace, image,
 * labels, replicas, resources) is `workload`, the one place those are kept.
 */
export interface AlertmanagerPlan {
  readonly mode: 'bundled' | 'operator';
  readonly port: number;
  readonly clusterPort: number;
  readonly grouping: {
    readonly groupBy: readonly string[];
    readonly groupWait: string;
    readonly groupInterval: string;
    readonly repeatInterval: string;
  };
  readonly teams: readonly TeamPlan[];
  readonly unowned: readonly ReceiverPlan[];
  /** Every notifying receiver (the renderers add `no-notification`). */
  readonly receivers: readonly ReceiverPlan[];
  readonly route: RouteNode;
  /** What Falcosidekick posts to. */
  readonly target: AlertmanagerTarget;
  /** Secrets the bundled Alertmanager mounts as files: name -> keys. */
  readonly secretMounts: readonly { readonly secret: string; readonly keys: readonly string[] }[];
  readonly egress: readonly EgressPlan[];
  readonly chatDestinations: readonly ChatDestinationPlan[];
  /** Mode `operator`: the AlertmanagerConfig the operator's Alertmanager selects (by `operator.configLabels`). */
  readonly alertmanagerConfig?: { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  /** The bundled Alertmanager's workload (mode `bundled`; set by the routing plan, which knows its clients). */
  readonly workload?: WorkloadPlan;
}

const DEFAULT_GROUP_BY = ['rule', LABEL_NAMESPACE, LABEL_PRIORITY];

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex matching the priority label of every priority at or above `minimum`. */
export function priorityMatcher(minimum: FalcoPriority): readonly [string, '=~', string] {
  return [LABEL_PRIORITY, '=~', prioritiesAtOrAbove(minimum).join('|')];
}

function planReceivers(owner: string, receivers: TeamReceiversProps, where: string, ctx: PlanContext): ReceiverPlan[] {
  const out: ReceiverPlan[] = [];
  const https: EgressPlan = { kind: 'external', port: 443, protocol: 'TCP' };
  const egressTo = (d: NetworkDestination): EgressPlan =>
    (d.inCluster ? { kind: 'namespace', namespace: d.namespace ?? ctx.namespace } : { kind: 'external', port: d.port, protocol: 'TCP' });
  const add = (kind: string, i: number, total: number, minimumPriority: FalcoPriority, integration: IntegrationPlan, w: string,
    egress: EgressPlan, allowance?: { reason: string }) => {
    out.push({
      name: total > 1 ? `${owner}-${kind}-${i + 1}` : `${owner}-${kind}`,
      minimumPriority: requirePriority(`${w}.minimumPriority`, minimumPriority),
      integration,
      where: w,
      allowedBelowThresholdBecause: allowance?.reason,
      egress,
    });
  };
  (receivers.slack ?? []).forEach((r, i, all) => {
    const w = `${where}.slack[${i}]`;
    requireReason(`${w}.allowBelowChatThreshold`, r.allowBelowChatThreshold);
    add('slack', i, all.length, r.minimumPriority, { kind: 'slack', apiUrl: requireSecretRef(`${w}.webhookUrl`, r.webhookUrl), channel: r.channel }, w, https, r.allowBelowChatThreshold);
  });
  (receivers.msTeams ?? []).forEach((r, i, all) => {
    const w = `${where}.msTeams[${i}]`;
    requireReason(`${w}.allowBelowChatThreshold`, r.allowBelowChatThreshold);
    const kind = (r.api ?? 'workflows') === 'workflows' ? 'msteamsv2' : 'msteams';
    add('msteams', i, all.length, r.minimumPriority, { kind, webhookUrl: requireSecretRef(`${w}.webhookUrl`, r.webhookUrl) }, w, https,
      r.allowBelowChatThreshold);
  });
  (receivers.email ?? []).forEach((r, i, all) => {
    const w = `${where}.email[${i}]`;
    requireReason(`${w}.allowPlaintext`, r.allowPlaintext);
    if (r.to.length === 0) throw new DetectionStackError('DS-ROUTE-011', `${w}.to`, 'no recipient', 'list at least one recipient address');
    const relay = requireHostPort(`${w}.smarthost`, r.smarthost, ctx.namespace);
    add('email', i, all.length, r.minimumPriority, {
      kind: 'email',
      to: r.to.map((t, j) => requireEmail(`${w}.to[${j}]`, t)),
      from: requireEmail(`${w}.from`, r.from),
      smarthost: r.smarthost,
      authUsername: r.authUsername,
      authPassword: r.authPassword ? requireSecretRef(`${w}.authPassword`, r.authPassword) : undefined,
      requireTls: !r.allowPlaintext,
    }, w, egressTo(relay));
  });
  (receivers.pagerDuty ?? []).forEach((r, i, all) => {
    const w = `${where}.pagerDuty[${i}]`;
    add('pagerduty', i, all.length, r.minimumPriority, { kind: 'pagerduty', routingKey: requireSecretRef(`${w}.routingKey`, r.routingKey) }, w, https);
  });
  (receivers.opsgenie ?? []).forEach((r, i, all) => {
    const w = `${where}.opsgenie[${i}]`;
    add('opsgenie', i, all.length, r.minimumPriority, { kind: 'opsgenie', apiKey: requireSecretRef(`${w}.apiKey`, r.apiKey) }, w, https);
  });
  (receivers.webhook ?? []).forEach((r, i, all) => {
    const w = `${where}.webhook[${i}]`;
    // A URL kept in a Secret is not known here: it must be https on 443 to pass the NetworkPolicy.
    const [url, egress]: [Credential, EgressPlan] = isSecretKeyRef(r.url)
      ? [{ secret: requireSecretRef(`${w}.url`, r.url) }, https]
      : [{ literal: r.url }, egressTo(requireDestinationUrl(`${w}.url`, r.url, ctx.namespace, r.allowInsecureHttp))];
    add('webhook', i, all.length, r.minimumPriority, { kind: 'webhook', url }, w, egress);
  });
  return out;
}

function receiverRoutes(receivers: readonly ReceiverPlan[]): RouteNode[] {
  return receivers.map((r) => ({ receiver: r.name, matchers: [priorityMatcher(r.minimumPriority)], continue: true, routes: [] }));
}

/**
 * Turns team ownership into an Alertmanager route tree: one route per team matching its namespaces on
 * `k8s_ns_name`, under it one route per receiver matching the priorities at or above its minimum.
 */
export function planAlertmanager(props: RoutingProps, ctx: PlanContext, where: string): AlertmanagerPlan | undefined {
  const teams = props.teams ?? [];
  const hasUnowned = props.unowned !== undefined;
  if (teams.length === 0 && !hasUnowned) {
    if (props.alertmanager) {
      throw new DetectionStackError('DS-ROUTE-009', `${where}.alertmanager`, 'an Alertmanager is configured but no team or unowned receiver routes to it',
        'declare routing.teams (or routing.unowned), or remove routing.alertmanager');
    }
    return undefined;
  }
  const am: AlertmanagerProps = props.alertmanager ?? {};
  const mode = am.mode ?? 'bundled';
  const owners = new Map<string, string>();
  const teamPlans: TeamPlan[] = teams.map((t, ti) => {
    const tw = `${where}.teams[${ti}]`;
    const name = requireTeamName(`${tw}.name`, t.name);
    if (name === UNOWNED || name === NO_NOTIFICATION) {
      throw new DetectionStackError('DS-ROUTE-016', `${tw}.name`, `team name '${name}' is reserved`, 'choose another team name');
    }
    if (teams.findIndex((o) => o.name === name) !== ti) {
      throw new DetectionStackError('DS-ROUTE-017', `${tw}.name`, `team '${name}' is declared twice`, 'declare each team once');
    }
    if (!t.namespaces || t.namespaces.length === 0) {
      throw new DetectionStackError('DS-ROUTE-018', `${tw}.namespaces`, `team '${name}' owns no namespace`, 'list the namespaces the team owns');
    }
    t.namespaces.forEach((n, ni) => {
      requireTeamName(`${tw}.namespaces[${ni}]`, n);
      const prior = owners.get(n);
      if (prior !== undefined) {
        throw new DetectionStackError('DS-ROUTE-006', `${tw}.namespaces[${ni}]`, `namespace '${n}' is already owned by team '${prior}'`,
          'give each namespace exactly one owning team');
      }
      owners.set(n, name);
    });
    const receivers = planReceivers(name, t.receivers ?? {}, `${tw}.receivers`, ctx);
    if (receivers.length === 0) {
      throw new DetectionStackError('DS-ROUTE-019', `${tw}.receivers`, `team '${name}' has no receiver`, 'give the team at least one receiver (slack, msTeams, email, pagerDuty, opsgenie, webhook)');
    }
    return { name, namespaces: [...t.namespaces], receivers };
  });
  const unowned = hasUnowned ? planReceivers(UNOWNED, props.unowned ?? {}, `${where}.unowned`, ctx) : [];

  const g = am.grouping ?? {};
  const gw = `${where}.alertmanager.grouping`;
  const grouping = {
    groupBy: [...(g.groupBy ?? DEFAULT_GROUP_BY)],
    groupWait: requireDuration(`${gw}.groupWait`, g.groupWait ?? '30s'),
    groupInterval: requireDuration(`${gw}.groupInterval`, g.groupInterval ?? '5m'),
    repeatInterval: requireDuration(`${gw}.repeatInterval`, g.repeatInterval ?? '4h'),
  };

  const route: RouteNode = {
    receiver: NO_NOTIFICATION,
    matchers: [],
    continue: false,
    routes: [
      // Falcosidekick 2.34.1 sends a rule's tags sorted and comma-joined as the `tags` label (outputs/alertmanager.go);
      // Alertmanager anchors regex matchers, so the owner tag is matched as one whole item of that list.
      ...((props.routeBy ?? 'namespace') === 'owner-first' ? teamPlans.map((t): RouteNode => ({
        receiver: NO_NOTIFICATION,
        matchers: [[LABEL_TAGS, '=~', `(.+,)?${escapeRegex(`${TAG_PREFIX.owner}${t.name}`)}(,.+)?`]],
        continue: false,
        routes: receiverRoutes(t.receivers),
      })) : []),
      ...teamPlans.map((t): RouteNode => ({
        receiver: NO_NOTIFICATION,
        matchers: [[LABEL_NAMESPACE, '=~', t.namespaces.map(escapeRegex).join('|')]],
        continue: false,
        routes: receiverRoutes(t.receivers),
      })),
      ...receiverRoutes(unowned),
    ],
  };

  const all = [...teamPlans.flatMap((t) => t.receivers), ...unowned];
  const replicas = mode === 'bundled' ? (am.replicas ?? 2) : 0;
  if (mode === 'bundled' && (!Number.isInteger(replicas) || replicas < 2)) {
    throw new DetectionStackError('DS-ROUTE-007', `${where}.alertmanager.replicas`, `replicas ${replicas} leaves no Alertmanager while one is drained`,
      'run at least 2 replicas (they form a gossip cluster and deduplicate notifications)');
  }
  if (mode === 'operator' && (!am.operator || am.operator.alertmanagerUrls.length === 0)) {
    throw new DetectionStackError('DS-ROUTE-026', `${where}.alertmanager.operator`, 'mode \'operator\' needs the URLs of the operator\'s Alertmanager',
      'set alertmanager.operator.alertmanagerUrls to every instance, e.g. http://alertmanager-main-0.alertmanager-operated.monitoring.svc:9093');
  }
  if (mode === 'bundled' && am.operator) {
    throw new DetectionStackError('DS-ROUTE-027', `${where}.alertmanager.operator`, 'operator settings are given in mode \'bundled\'',
      'set alertmanager.mode: \'operator\' or remove alertmanager.operator');
  }
  (am.operator?.alertmanagerUrls ?? []).forEach((u, i) => requireDestinationUrl(`${where}.alertmanager.operator.alertmanagerUrls[${i}]`, u, ctx.namespace));

  const selectorLabels = alertmanagerSelectorLabels(ctx);
  const headless = `${ALERTMANAGER_NAME}-cluster`;
  const urls = mode === 'bundled'
    ? Array.from({ length: replicas }, (_, i) => `http://${ALERTMANAGER_NAME}-${i}.${headless}.${ctx.namespace}.svc.cluster.local:${ALERTMANAGER_PORT}`)
    : [...(am.operator?.alertmanagerUrls ?? [])];
  const minimumPriority = lowestPriority(all.map((r) => r.minimumPriority)) ?? 'Critical';

  const secretKeys = new Map<string, Set<string>>();
  for (const s of alertmanagerSecretRefs(all)) {
    secretKeys.set(s.name, (secretKeys.get(s.name) ?? new Set()).add(s.key));
  }

  const chatDestinations: ChatDestinationPlan[] = all
    .filter((r) => r.integration.kind === 'slack' || r.integration.kind === 'msteams' || r.integration.kind === 'msteamsv2')
    .map((r) => ({
      where: r.where,
      kind: r.integration.kind === 'slack' ? 'slack' : 'teams',
      minimumPriority: r.minimumPriority,
      allowedBelowThresholdBecause: r.allowedBelowThresholdBecause,
    }));

  return {
    mode,
    port: ALERTMANAGER_PORT,
    clusterPort: ALERTMANAGER_CLUSTER_PORT,
    grouping,
    teams: teamPlans,
    unowned,
    receivers: all,
    route,
    target: {
      urls,
      minimumPriority,
      // prometheus-operator only routes alerts whose `namespace` label is the AlertmanagerConfig's namespace.
      extraLabels: mode === 'operator' ? { namespace: ctx.namespace } : {},
      podLabels: mode === 'bundled' ? selectorLabels : undefined,
      port: ALERTMANAGER_PORT,
    },
    secretMounts: [...secretKeys.entries()].map(([secret, keys]) => ({ secret, keys: [...keys].sort() })),
    egress: mode === 'bundled' ? dedupeEgress(all.map((r) => r.egress)) : [],
    chatDestinations,
    ...(mode === 'operator' ? {
      alertmanagerConfig: {
        name: ALERTMANAGER_CONFIG_NAME,
        namespace: ctx.namespace,
        labels: { ...ctx.labels, ...selectorLabels, 'app.kubernetes.io/component': 'routing', ...am.operator?.configLabels },
      },
    } : {}),
  };
}

/** The labels the bundled Alertmanager's pods are selected by. */
export function alertmanagerSelectorLabels(ctx: PlanContext): Readonly<Record<string, string>> {
  return { 'app.kubernetes.io/name': ALERTMANAGER_NAME, 'app.kubernetes.io/instance': ctx.cluster.name.toLowerCase().replace(/_/g, '-') };
}

function alertmanagerSecretRefs(receivers: readonly ReceiverPlan[]): SecretKeyRef[] {
  return receivers.flatMap((r): SecretKeyRef[] => {
    const i = r.integration;
    switch (i.kind) {
      case 'slack': return [i.apiUrl];
      case 'msteams': case 'msteamsv2': return [i.webhookUrl];
      case 'email': return i.authPassword ? [i.authPassword] : [];
      case 'pagerduty': return [i.routingKey];
      case 'opsgenie': return [i.apiKey];
      case 'webhook': return 'secret' in i.url ? [i.url.secret] : [];
    }
  });
}

/** Secret uses of the Alertmanager plan, for the Pulumi path. */
export function alertmanagerSecretUses(plan: AlertmanagerPlan): SecretUse[] {
  // The bundled Alertmanager mounts them; the operator reads them in the AlertmanagerConfig's namespace.
  const namespace = plan.workload?.namespace ?? plan.alertmanagerConfig?.namespace ?? '';
  return plan.receivers.flatMap((r) =>
    alertmanagerSecretRefs([r]).map((secret) => ({ secret, workload: ALERTMANAGER_NAME, namespace, where: r.where })));
}
