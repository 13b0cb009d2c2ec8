import { AlertmanagerPlan, alertmanagerSecretUses, planAlertmanager } from './alertmanager-plan';
import { admitClients, alertmanagerWorkload } from './alertmanager-workload';
import type { RoutingProps } from './props';
import { ChatDestinationPlan, planSidekick, SidekickPlan, sidekickSecretUses, sidekickSelectorLabels } from './sidekick-plan';
import type { PlanContext } from '../core/context';
import { requirePriority } from '../core/priorities';
import type { FalcoPriority } from '../core/priorities';
import type { SecretUse } from '../core/secrets';
import type { PodPeerPlan } from '../core/workload';

/** The routing layer as plain data. */
export interface RoutingPlan {
  /** Lowest priority a chat destination may get without an explicit allowance. */
  readonly chatThreshold: FalcoPriority;
  readonly sidekick: SidekickPlan;
  readonly alertmanager?: AlertmanagerPlan;
  /** Declared team names. */
  readonly teams: readonly string[];
  /** Every chat destination (Falcosidekick outputs and Alertmanager receivers). */
  readonly chatDestinations: readonly ChatDestinationPlan[];
  /**
   * Every Secret key the routing workloads read. The cdk8s path expects them to exist; the Pulumi path
   * creates them from Pulumi secrets.
   */
  readonly secrets: readonly SecretUse[];
}

/**
 * Plans Falcosidekick, the team routing and Alertmanager. Pure.
 * @param ctx the context of the routing namespace
 * @param clients the pods allowed to post alerts to Falcosidekick (the stack's Falco instances)
 */
export function planRouting(props: RoutingProps, ctx: PlanContext, clients: readonly PodPeerPlan[] = []): RoutingPlan {
  const where = `${ctx.path}/routing`;
  const chatThreshold = requirePriority(`${where}.chatThreshold`, props.chatThreshold ?? 'Critical');
  const am = planAlertmanager(props, ctx, where);
  const sidekick = planSidekick(props.sidekick ?? {}, ctx, chatThreshold, am?.target, `${where}.sidekick`, clients);
  const alertmanager = am?.mode === 'bundled'
    ? { ...am, workload: alertmanagerWorkload(am, props.alertmanager ?? {}, ctx, [{ pods: sidekickSelectorLabels(ctx) }]) }
    : am;
  const teams = (props.teams ?? []).map((t) => t.name);
  return {
    chatThreshold,
    sidekick,
    alertmanager,
    teams,
    chatDestinations: [...sidekick.chatDestinations, ...(alertmanager?.chatDestinations ?? [])],
    secrets: [...sidekickSecretUses(sidekick), ...(alertmanager ? alertmanagerSecretUses(alertmanager) : [])],
  };
}

/**
 * The routing with more pods admitted to the bundled Alertmanager (the shipper posting Tetragon's alerts).
 * An Alertmanager of mode `operator` is the operator's own: nothing is deployed or admitted for it here.
 */
export function admitAlertmanagerClients(routing: RoutingPlan, clients: readonly PodPeerPlan[]): RoutingPlan {
  const am = routing.alertmanager;
  if (am?.mode !== 'bundled' || !am.workload || clients.length === 0) return routing;
  return { ...routing, alertmanager: { ...am, workload: admitClients(am.workload, am.port, clients) } };
}
