// Shared by the checks DS-FALCO-102 (errors) and DS-FALCO-103 (warnings): not a check itself.
import { readFileSync } from 'fs';
import type { CheckOutcome } from './finding';
import { FALCO_DEFAULT_RULES_NAMES, K8SAUDIT_RULES_NAMES } from '../falco/rules/default-rules-names.generated';
import type { Diagnostic } from '../falco/rules/diagnostics';
import { renderRulesYaml } from '../falco/rules/emit';
import { loadRuleFiles, PredefinedNames, RuleFileInput } from '../falco/rules/loader';
import type { FalcoPlan } from '../falco/sensor/plan';
import { teamRulesFiles } from '../falco/sensor/rules-files';
import type { StackPlan } from '../stack/plan';

/** What loading the custom rules as the node does finds, or why the default rules file could not be read. */
interface CustomRulesLoad {
  readonly diagnostics: readonly Diagnostic[];
  readonly unreadableDefaults?: string;
}

// DS-FALCO-102 and DS-FALCO-103 (one check per file) read the same load of the same (immutable) plan: load it once.
const loaded = new WeakMap<FalcoPlan, CustomRulesLoad>();

function customRulesLoad(falco: FalcoPlan): CustomRulesLoad {
  let result = loaded.get(falco);
  if (!result) {
    result = loadCustomRules(falco);
    loaded.set(falco, result);
  }
  return result;
}

function readDefaults(file: string): RuleFileInput | string {
  try {
    return { name: file, content: readFileSync(file, 'utf8') };
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
  }
}

/**
 * The node sensor loads the custom rules after Falco's default rules (the file itself when the user gives
 * it, else the names it defines); the audit Falco after the k8saudit plugin's rules (their names).
 */
function loadCustomRules(falco: FalcoPlan): CustomRulesLoad {
  const defaults = falco.defaultRulesFile === undefined ? undefined : readDefaults(falco.defaultRulesFile);
  if (typeof defaults === 'string') return { diagnostics: [], unreadableDefaults: defaults };
  // The node's rules.d as rendered (shared lists and macros, then one file per owning team), loaded in Falco's order.
  const nodeFiles = teamRulesFiles(falco).map((f) => ({ name: f.fileName, content: renderRulesYaml(f.items) }));
  const audit = falco.auditRules;
  const auditFiles = audit.items.length === 0 ? [] : [{ name: audit.fileName, content: renderRulesYaml(audit.items) }];
  const loads: { files: RuleFileInput[]; earlier: RuleFileInput | PredefinedNames | undefined }[] = [
    { files: nodeFiles, earlier: !falco.defaultRulesLoaded ? undefined : defaults ?? FALCO_DEFAULT_RULES_NAMES },
    { files: auditFiles, earlier: K8SAUDIT_RULES_NAMES },
  ];
  const diagnostics = loads.filter(({ files }) => files.length > 0).flatMap(({ files, earlier }) => {
    if (earlier && 'content' in earlier) {
      // only what the custom files cause: the default file's own warnings are Falco's business
      const names = new Set(files.map((f) => f.name));
      return loadRuleFiles([earlier, ...files]).diagnostics.filter((d) => names.has(d.file));
    }
    return loadRuleFiles(files, { predefined: earlier }).diagnostics;
  });
  return { diagnostics };
}

/** The outcomes of loading the custom rules as the node does, for the diagnostics of one severity. */
export function diagnosticOutcomes(plan: StackPlan, severity: Diagnostic['severity']): CheckOutcome[] {
  const falco = plan.falco;
  if (!falco || (falco.rules.items.length === 0 && falco.auditRules.items.length === 0)) {
    return [{ status: 'not-applicable', path: `${plan.path}/sensors.falco.customRules` }];
  }
  const path = `${falco.path}.customRules`;
  const load = customRulesLoad(falco);
  if (load.unreadableDefaults !== undefined) {
    return severity === 'error'
      ? [{ status: 'non-compliant', path: `${falco.path}.defaultRules.file`, message: `cannot read ${falco.defaultRulesFile}: ${load.unreadableDefaults}` }]
      : [{ status: 'not-applicable', path }];
  }
  const found = load.diagnostics.filter((d) => d.severity === severity);
  if (found.length === 0) return [{ status: 'compliant', path }];
  return found.map((d) => ({
    status: 'non-compliant',
    path: d.item ? `${path}[${d.item.kind} '${d.item.name}']` : path,
    message: `${d.file}:${d.line}:${d.col}: ${d.code} ${d.message}`,
  }));
}
