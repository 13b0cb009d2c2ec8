import { TAG_PREFIX } from '../core/tags';
import type { Expr } from '../falco/language/ast';
import { parseCondition } from '../falco/language/parser';
import type { RuleItem } from '../falco/rules/model';
import type { InvestigationSettings } from '../investigation/queries';
import { PACK_TEMPLATES } from '../packs/build';
import type { Confidence, PackRule } from '../packs/types';
import type { StackPlan } from '../stack/plan';

const TEMPLATES = new Map(Object.values(PACK_TEMPLATES).flat().map((t) => [t.id, t]));

function tag(rule: RuleItem, prefix: string): string | undefined {
  return rule.tags?.find((t) => t.startsWith(prefix))?.slice(prefix.length);
}

/**
 * The pack rules a planned stack carries, recovered from its Falco rules (their `runbook:` tag
 * names the pack rule; owner, confidence, priority and state are read from the rule as deployed).
 */
export function packRulesInPlan(plan: StackPlan): PackRule[] {
  const items = [...(plan.falco?.rules.items ?? []), ...(plan.falco?.auditRules.items ?? [])].filter((i): i is RuleItem => i.kind === 'rule');
  const owners = new Map((plan.falco?.customRules ?? []).map((r) => [r.name, r.owner]));
  const out: PackRule[] = [];
  for (const rule of items) {
    const id = tag(rule, TAG_PREFIX.runbook);
    const t = id ? TEMPLATES.get(id) : undefined;
    if (!t || !rule.condition || !rule.output || !rule.priority) continue;
    const owner = owners.get(rule.name);
    out.push({
      id: t.id,
      name: rule.name,
      pack: t.pack,
      source: t.source,
      description: rule.desc ?? t.description,
      condition: rule.condition,
      output: rule.output,
      priority: rule.priority,
      confidence: (tag(rule, TAG_PREFIX.confidence) as Confidence | undefined) ?? t.confidence,
      mitre: t.mitre,
      scenarios: t.scenarios,
      owner: typeof owner === 'string' ? owner : tag(rule, TAG_PREFIX.owner) ?? 'unowned',
      tags: rule.tags ?? [],
      enabled: rule.enabled !== false,
      pattern: t.pattern,
      responseHook: tag(rule, TAG_PREFIX.response),
      runbook: t.runbook,
    });
  }
  return out;
}

function namespaceLists(expr: Expr, out: Set<string>): void {
  switch (expr.kind) {
    case 'and': case 'or': expr.children.forEach((c) => namespaceLists(c, out)); return;
    case 'not': return; // a negated namespace list names namespaces that are excluded
    case 'binaryCheck':
      if (expr.left.kind === 'field' && (expr.left.name === 'k8s.ns.name' || expr.left.name === 'ka.target.namespace')
        && expr.op === 'in' && expr.right.kind === 'list') expr.right.items.forEach((i) => out.add(i.value));
      return;
    default: return;
  }
}

/** The product namespaces the pack rules of a stack watch (read from their conditions). */
export function productNamespacesOf(rules: readonly PackRule[]): string[] {
  const out = new Set<string>();
  for (const r of rules) namespaceLists(parseCondition(r.condition), out);
  return [...out].sort();
}

/** The investigation settings of a planned stack: its provider, names and audit facilities. */
export function investigationSettingsOf(plan: StackPlan, rules: readonly PackRule[] = packRulesInPlan(plan)): InvestigationSettings {
  return {
    provider: plan.cluster.provider,
    cluster: plan.cluster.name,
    namespaces: productNamespacesOf(rules),
    aksAuditTable: plan.audit?.kubernetes.aksCategories.includes('kube-audit-admin') ? 'AKSAuditAdmin' : 'AKSAudit',
    cloudTrailTable: plan.audit?.cloud.athenaTable,
    ociCompartmentId: plan.audit?.cloud.ociCompartmentId,
  };
}
