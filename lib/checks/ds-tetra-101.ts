import type { Check, CheckOutcome } from './finding';
import { registeredCheck } from './finding';
import type { StackPlan } from '../stack/plan';

/**
 * DS-TETRA-101: when Falco and Tetragon both run, every pattern both detect needs a declared owner and destination;
 * otherwise one behaviour raises two alerts with nobody saying which one counts.
 */
export const TETRAGON_SENSOR_OWNERSHIP: Check<StackPlan> = {
  ...registeredCheck('DS-TETRA-101'),
  evaluate(plan: StackPlan): CheckOutcome[] {
    const path = `${plan.path}/sensors.ownership`;
    const ownership = plan.ownership;
    if (!ownership || !ownership.bothSensors) return [{ status: 'not-applicable', path }];
    if (!ownership.declared) {
      return [{ status: 'non-compliant', path, message: 'Falco and Tetragon both run but sensors.ownership is not declared, so overlaps cannot be resolved' }];
    }
    const undeclared = ownership.overlaps.filter((o) => o.owner === undefined);
    if (undeclared.length === 0) return [{ status: 'compliant', path }];
    const list = undeclared.map((o) => `${o.pattern} (Falco: ${o.falco.join(', ')}; Tetragon: ${o.tetragon.join(', ')})`).join('; ');
    return [{ status: 'non-compliant', path: `${path}.detections`, message: `overlapping detections without an owner: ${list}` }];
  },
};
