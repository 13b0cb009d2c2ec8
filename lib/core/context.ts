import type { IpFamily } from './ip-family';
import type { CloudProvider, ProviderProfile } from './providers';

/** What every layer planner gets: the resolved cluster facts and where errors should point. */
export interface PlanContext {
  /** Construct path of the stack, the prefix of every error location. */
  readonly path: string;
  readonly cluster: {
    readonly name: string;
    readonly provider: CloudProvider;
    readonly region?: string;
    /** The family of the pods' addresses (`status.podIP`). @default 'IPv4' */
    readonly ipFamily?: IpFamily;
  };
  readonly profile: ProviderProfile;
  readonly namespace: string;
  /** Labels every object of the stack carries. */
  readonly labels: Readonly<Record<string, string>>;
}
