// Owned by the routing layer (issue: routing and durable storage).

/** Alert routing: Falcosidekick outputs, teams and Alertmanager. */
export interface RoutingProps {
  readonly _placeholder?: never;
}

/** Durable storage for every alert. */
export interface DurableStorageProps {
  readonly _placeholder?: never;
}
