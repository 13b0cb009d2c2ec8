import type { PlanContext } from '../../lib/core/context';
import { PROVIDER_PROFILES } from '../../lib/core/providers';
import type { CloudProvider } from '../../lib/core/providers';

/** A plan context as planStack builds it, for calling the routing planners directly. */
export function planContext(provider: CloudProvider = 'eks', region: string | undefined = 'eu-west-1'): PlanContext {
  return {
    path: 'test',
    cluster: { name: 'prod-eks', provider, region },
    profile: PROVIDER_PROFILES[provider],
    namespace: 'falco',
    labels: { 'app.kubernetes.io/part-of': 'detection-stack' },
  };
}
