import type { Check, CheckOutcome } from './finding';
import type { Diagnostic, DiagnosticCode } from '../falco/rules/diagnostics';
import { renderRulesYaml } from '../falco/rules/emit';
import { loadRuleFiles } from '../falco/rules/loader';
import type { FalcoPlan } from '../falco/sensor/plan';
import type { StackPlan } from '../stack/plan';

/**
 * Errors that name something the rules file loaded before ours defines (Falco's default rules for the
 * node sensor, the upstream k8saudit rules for the audit Falco). Those files are not part of this
 * package, so such references cannot be judged here.
 */
const RESOLVED_BY_EARLIER_FILE: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>([
  'COND_UNDEFINED_MACRO', 'RULES_NO_PREVIOUS_RULE', 'RULES_NO_PREVIOUS_MACRO', 'RULES_NO_PREVIOUS_LIST',
]);

// DS-FALCO-102 and DS-FALCO-103 read the same load of the same (immutable) plan: load it once.
const loaded = new WeakMap<FalcoPlan, Diagnostic[]>();

/** Loads the stack's own rules files exactly as rendered, as the Falco that runs them would. */
export function customRulesDiagnostics(falco: FalcoPlan): Diagnostic[] {
  let diagnostics = loaded.get(falco);
  if (!diagnostics) {
    diagnostics = loadCustomRules(falco);
    loaded.set(falco, diagnostics);
  }
  return diagnostics;
}

function loadCustomRules(falco: FalcoPlan): Diagnostic[] {
  const files = [
    { file: falco.rules, earlierFileLoaded: falco.defaultRulesLoaded },
    // The audit Falco always loads the upstream k8saudit rules first.
    { file: falco.auditRules, earlierFileLoaded: true },
  ];
  return files
    .filter(({ file }) => file.items.length > 0)
    .flatMap(({ file, earlierFileLoaded }) => loadRuleFiles([{ name: file.fileName, content: renderRulesYaml(file.items) }])
      .diagnostics.filter((d) => !(earlierFileLoaded && RESOLVED_BY_EARLIER_FILE.has(d.code))));
}

export function diagnosticOutcomes(plan: StackPlan, severity: Diagnostic['severity']): CheckOutcome[] {
  const falco = plan.falco;
  if (!falco || (falco.rules.items.length === 0 && falco.auditRules.items.length === 0)) {
    return [{ status: 'not-applicable', path: `${plan.path}/sensors.falco.customRules` }];
  }
  const path = `${falco.path}.customRules`;
  const found = customRulesDiagnostics(falco).filter((d) => d.severity === severity);
  if (found.length === 0) return [{ status: 'compliant', path }];
  return found.map((d) => ({
    status: 'non-compliant',
    path: d.item ? `${path}[${d.item.kind} '${d.item.name}']` : path,
    message: `${d.file}:${d.line}:${d.col}: ${d.code} ${d.message}`,
  }));
}

/** What Falco would refuse when a node loads the rules is refused at synth instead. */
export const FALCO_CUSTOM_RULES_LOAD: Check<StackPlan> = {
  id: 'DS-FALCO-102',
  level: 'error',
  title: 'The custom Falco rules fail to load (Falco would refuse them on every node)',
  fix: 'correct the rule at the position given (the file is the rules ConfigMap of the synthesized manifests); '
    + 'run `detection-stack validate` on it for every diagnostic',
  evaluate: (plan) => diagnosticOutcomes(plan, 'error'),
};
