import { PlacementContext, placementContext, placeRule } from './placement';
import { TAG_PREFIX } from '../core/tags';
import type { RuleItem } from '../falco/rules/model';
import type { PackRule, ThreatScenario } from '../packs/types';
import { THREAT_SCENARIOS } from '../packs/types';
import type { StackPlan } from '../stack/plan';

/** The layers a scenario can be covered by. */
export type CoverageLayer = 'runtime-falco' | 'runtime-tetragon' | 'k8s-audit' | 'cloud-audit';
export const COVERAGE_LAYERS: readonly CoverageLayer[] = ['runtime-falco', 'runtime-tetragon', 'k8s-audit', 'cloud-audit'];

export const LAYER_TITLES: Readonly<Record<CoverageLayer, string>> = {
  'runtime-falco': 'Runtime: Falco',
  'runtime-tetragon': 'Runtime: Tetragon',
  'k8s-audit': 'Kubernetes audit',
  'cloud-audit': 'Cloud audit',
};

export const SCENARIO_TITLES: Readonly<Record<ThreatScenario, string>> = {
  'shell-access': 'Shell access',
  'file-system-changes': 'File system changes',
  'unexpected-processes': 'Unexpected processes',
  'network-anomalies': 'Network anomalies',
  'privilege-escalation': 'Privilege escalation',
  'kubernetes-activity': 'Kubernetes activity',
  'cloud-identity-changes': 'Cloud identity changes',
};

/** One detection the stack runs (or defines), as the report sees it. */
export interface ReportDetection {
  readonly name: string;
  readonly layer: CoverageLayer;
  readonly owner: string;
  readonly priority?: string;
  readonly confidence?: string;
  readonly scenarios: readonly ThreatScenario[];
  /** The runbook ID the alerts carry, for pack rules. */
  readonly runbook?: string;
  readonly enabled: boolean;
  /** Why a defined detection does not run here (e.g. no k8s_audit source on this Falco). */
  readonly inactiveBecause?: string;
}

/** How one layer covers one scenario. */
export interface CoverageCell {
  /** `detects`: rules alert on it; `records`: the audit trail keeps the evidence (no alert); `none`. */
  readonly level: 'detects' | 'records' | 'none';
  /** Detection names (for `detects`) or what is recorded (for `records`). */
  readonly by: readonly string[];
}

export interface CoverageRow {
  readonly scenario: ThreatScenario;
  readonly cells: Readonly<Record<CoverageLayer, CoverageCell>>;
}

/**
 * Who puts a layer in place: `manifests` (the Kubernetes objects this stack renders, on the cdk8s and the Pulumi
 * path alike), `pulumi` (cloud resources only the Pulumi components create: a cdk8s-only app does not have them),
 * `provider` (on in every account of the provider, whatever this stack does), `none` (nothing does).
 */
export type LayerSource = 'manifests' | 'pulumi' | 'provider' | 'none';

export const LAYER_SOURCE_TITLES: Readonly<Record<LayerSource, string>> = {
  manifests: 'these manifests',
  pulumi: 'Pulumi path only',
  provider: 'the provider, always on',
  none: 'nothing',
};

/** Whether a layer is planned in the stack, who puts it in place, and what it is. */
export interface LayerStatus {
  readonly layer: CoverageLayer;
  /** The stack plans it (whoever then creates it: see `from`). */
  readonly present: boolean;
  /** Who puts each part in place; a layer can have parts from several (k8saudit plugin in the manifests, logs on the Pulumi path). */
  readonly from: readonly LayerSource[];
  readonly summary: string;
}

/** The whole coverage picture of one stack: plain data, rendered as Markdown and Mermaid. */
export interface CoverageReport {
  readonly stack: {
    readonly path: string;
    readonly cluster: string;
    readonly provider: string;
    readonly providerName: string;
    readonly namespace: string;
  };
  readonly layers: readonly LayerStatus[];
  readonly detections: readonly ReportDetection[];
  readonly matrix: readonly CoverageRow[];
  /** Every scenario no layer detects, and every defined detection that cannot run, in words. */
  readonly gaps: readonly string[];
}

/** Tetragon seed patterns and the scenario each one detects. */
const PATTERN_SCENARIOS: Readonly<Record<string, readonly ThreatScenario[]>> = {
  'shell-in-container': ['shell-access'],
  'package-manager-exec': ['unexpected-processes'],
  'sensitive-file-write': ['file-system-changes'],
  'unexpected-outbound': ['network-anomalies'],
  'privilege-change': ['privilege-escalation'],
  'ptrace': ['privilege-escalation'],
  'exec-from-temp-dir': ['unexpected-processes', 'file-system-changes'],
  'crypto-miner': ['unexpected-processes'],
};

function tagValue(tags: readonly string[] | undefined, prefix: string): string | undefined {
  return tags?.find((t) => t.startsWith(prefix))?.slice(prefix.length);
}

/** Pack rules by their own scenarios; any other rule by its pattern or what its condition watches. */
function scenariosOf(rule: RuleItem, ctx: PlacementContext, pack: PackRule | undefined): ThreatScenario[] {
  if (pack) return [...pack.scenarios];
  const pattern = tagValue(rule.tags, TAG_PREFIX.pattern);
  if (pattern && PATTERN_SCENARIOS[pattern]) return [...PATTERN_SCENARIOS[pattern]];
  return [...placeRule(rule, ctx).scenarios];
}

function ownerText(owner: unknown): string {
  if (typeof owner === 'string') return owner;
  if (owner && typeof owner === 'object' && 'unowned' in owner) return 'unowned';
  return 'unknown';
}

function falcoDetections(plan: StackPlan): ReportDetection[] {
  const falco = plan.falco;
  if (!falco) return [];
  const owners = new Map(falco.customRules.map((r) => [r.name, ownerText(r.owner)]));
  const packRules = new Map((plan.packs?.rules ?? []).map((r) => [r.name, r]));
  const hasK8sAuditSource = plan.audit?.kubernetes.falcoPlugin !== undefined;
  const placement = placementContext([...falco.rules.items, ...falco.auditRules.items]);
  // Items that change an earlier rule (the tuning of a default rule, an override or append) are not detections of their own.
  const changesEarlier = (r: RuleItem) => r.override !== undefined || r.append === true || (r.enabled !== undefined && r.condition === undefined);
  return [...falco.rules.items, ...falco.auditRules.items].filter((i): i is RuleItem => i.kind === 'rule' && !changesEarlier(i)).map((rule) => {
    const source = rule.source ?? 'syscall';
    const k8s = source === 'k8s_audit';
    const inactiveBecause = k8s && !hasK8sAuditSource
      ? (plan.profile.audit.k8sauditPlugin
        ? `no k8s_audit source: enable audit.kubernetes.falcoPlugin (${plan.profile.audit.k8sauditPlugin})`
        : `there is no Falco k8saudit plugin for ${plan.profile.displayName}: API-server events only reach ${auditSinkOf(plan)}`)
      : undefined;
    const pack = packRules.get(rule.name);
    return {
      name: rule.name,
      layer: k8s ? 'k8s-audit' : 'runtime-falco',
      owner: owners.get(rule.name) ?? tagValue(rule.tags, TAG_PREFIX.owner) ?? 'unknown',
      priority: rule.priority,
      confidence: pack?.confidence ?? tagValue(rule.tags, TAG_PREFIX.confidence),
      scenarios: scenariosOf(rule, placement, pack),
      runbook: pack?.id ?? tagValue(rule.tags, TAG_PREFIX.runbook),
      enabled: rule.enabled !== false,
      inactiveBecause,
    };
  });
}

function tetragonDetections(plan: StackPlan): ReportDetection[] {
  return (plan.tetragon?.detections ?? []).map((d) => ({
    name: `tetragon:${d.id}`,
    layer: 'runtime-tetragon',
    owner: d.owner,
    scenarios: [...(PATTERN_SCENARIOS[d.pattern] ?? [])],
    enabled: true,
  }));
}

/** `1 rule`, `2 rules`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The provider's audit sink with the cluster's real name in place of `<cluster>`. */
export function auditSinkOf(plan: StackPlan): string {
  return plan.profile.audit.controlPlaneAuditSink.replace('<cluster>', plan.cluster.name);
}

function layerStatuses(plan: StackPlan): LayerStatus[] {
  const audit = plan.audit;
  const plugin = audit?.kubernetes.falcoPlugin;
  const pulumiModule = `detection-stack/pulumi/${PULUMI_MODULES[plan.cluster.provider]}`;
  // OCI Audit records every API call of the tenancy, the OKE API server's included, with no switch to turn it off.
  const providerKeepsAudit = plan.cluster.provider === 'oke';
  const kubeLogs = !!audit?.kubernetes.controlPlaneLogs;
  const kubeFrom: LayerSource[] = [
    ...(kubeLogs ? [providerKeepsAudit ? 'provider' as const : 'pulumi' as const] : []),
    ...(plugin ? ['manifests' as const] : []),
  ];
  const cloud = !!audit?.cloud.enabled;
  return [
    {
      layer: 'runtime-falco',
      present: !!plan.falco,
      from: plan.falco ? ['manifests'] : ['none'],
      summary: plan.falco
        ? `Falco DaemonSet (${plan.falco.engine.kind}), ${plural(plan.falco.customRules.length, 'custom rule')}`
          + (plan.falco.rulesFiles.some((f) => f.endsWith('falco_rules.yaml')) ? ' plus Falco\'s default rules' : '')
        : 'not deployed',
    },
    {
      layer: 'runtime-tetragon',
      present: !!plan.tetragon,
      from: plan.tetragon ? ['manifests'] : ['none'],
      summary: plan.tetragon
        ? `Tetragon DaemonSet, ${plural(plan.tetragon.detections.length, 'detection')}`
          + (plan.tetragon.yieldedDetections.length > 0 ? ` (${plan.tetragon.yieldedDetections.join(', ')} yielded to Falco by sensors.ownership)` : '')
        : 'not deployed',
    },
    {
      layer: 'k8s-audit',
      present: kubeLogs || !!plugin,
      from: kubeFrom.length > 0 ? kubeFrom : ['none'],
      summary: !audit ? 'not planned' : [
        !kubeLogs ? 'control-plane audit logs off'
          : providerKeepsAudit ? `control-plane audit events recorded by ${auditSinkOf(plan)}; the copy to the durable bucket is created by ${pulumiModule}`
            : `control-plane audit logs kept ${audit.kubernetes.retentionDays} days (${auditSinkOf(plan)}), turned on by ${pulumiModule}: a cdk8s-only app must turn them on itself`,
        plugin ? `Falco ${plugin.name} plugin with the upstream k8saudit rules (in these manifests)` : 'no Falco k8saudit plugin',
      ].join('; '),
    },
    {
      layer: 'cloud-audit',
      present: cloud,
      from: !cloud ? ['none'] : providerKeepsAudit ? ['provider', 'pulumi'] : ['pulumi'],
      summary: !cloud ? 'not kept by this stack'
        : providerKeepsAudit ? `${audit!.cloud.trail} (always on); ${pulumiModule} sets its retention to ${audit!.cloud.retentionDays} days and copies it to the durable bucket`
          : `${audit!.cloud.trail} kept ${audit!.cloud.retentionDays} days, created by ${pulumiModule}: a cdk8s-only app does not create it`,
    },
  ];
}

/** The Pulumi component module of each provider (`detection-stack/pulumi/<module>`). */
const PULUMI_MODULES: Readonly<Record<StackPlan['cluster']['provider'], string>> = { eks: 'aws', oke: 'oci', aks: 'azure' };

/** Builds the coverage picture of a planned stack. Pure. */
export function coverageReport(plan: StackPlan): CoverageReport {
  const detections = [...falcoDetections(plan), ...tetragonDetections(plan)];
  const layers = layerStatuses(plan);
  const running = detections.filter((d) => d.enabled && !d.inactiveBecause);
  const plugin = plan.audit?.kubernetes.falcoPlugin;
  const k8sLogs = !!plan.audit?.kubernetes.controlPlaneLogs;
  const cloud = !!plan.audit?.cloud.enabled;
  const recordedBy = (what: string) => `${what} (${plan.cluster.provider === 'oke' ? 'always on' : 'Pulumi path only'})`;

  const matrix: CoverageRow[] = THREAT_SCENARIOS.map((scenario) => {
    const cells = {} as Record<CoverageLayer, CoverageCell>;
    for (const layer of COVERAGE_LAYERS) {
      const by = running.filter((d) => d.layer === layer && d.scenarios.includes(scenario)).map((d) => d.name);
      if (layer === 'k8s-audit' && plugin && scenario === 'kubernetes-activity') by.push(`upstream k8saudit rules (${plugin.name})`);
      if (by.length > 0) {cells[layer] = { level: 'detects', by };} else if (layer === 'k8s-audit' && k8sLogs && (scenario === 'kubernetes-activity' || scenario === 'shell-access')) {
        cells[layer] = { level: 'records', by: [recordedBy(auditSinkOf(plan))] };
      } else if (layer === 'cloud-audit' && cloud && scenario === 'cloud-identity-changes') {
        cells[layer] = { level: 'records', by: [recordedBy(plan.audit!.cloud.trail)] };
      } else {cells[layer] = { level: 'none', by: [] };}
    }
    return { scenario, cells };
  });

  const gaps: string[] = [];
  for (const row of matrix) {
    const levels = COVERAGE_LAYERS.map((l) => row.cells[l].level);
    if (!levels.includes('detects')) {
      const recorded = COVERAGE_LAYERS.filter((l) => row.cells[l].level === 'records').map((l) => LAYER_TITLES[l]);
      gaps.push(`${SCENARIO_TITLES[row.scenario]}: no layer alerts on it${recorded.length ? ` (only recorded by ${recorded.join(', ')}, for investigation)` : ''}.`);
    }
  }
  const falco = plan.falco;
  if (falco && falco.ruleMatching === 'first' && falco.rulesFiles.some((f) => f.endsWith('falco_rules.yaml'))
    && detections.some((d) => d.layer === 'runtime-falco' && d.runbook)) {
    gaps.push('Falco loads its default rules before the custom rules and stops at the first match (rule_matching: first): '
      + 'an event a default rule matches never reaches the pack rules, their owners or their runbooks. '
      + 'Set sensors.falco.loadDefaultRules: false, or ruleMatching: \'all\'.');
  }
  for (const d of detections.filter((x) => x.inactiveBecause)) gaps.push(`${d.name} is defined but does not run: ${d.inactiveBecause}.`);
  for (const d of detections.filter((x) => !x.enabled)) gaps.push(`${d.name} is disabled.`);
  for (const d of running.filter((x) => x.scenarios.length === 0)) {
    gaps.push(`${d.name} runs but is in no scenario of the matrix: its condition watches no event type, field or known macro `
      + 'the report maps to a scenario (process execution, file changes, network, privilege changes).');
  }
  for (const l of layers.filter((x) => !x.present)) gaps.push(`${LAYER_TITLES[l.layer]}: ${l.summary}.`);

  return {
    stack: {
      path: plan.path,
      cluster: plan.cluster.name,
      provider: plan.cluster.provider,
      providerName: plan.profile.displayName,
      namespace: plan.namespace,
    },
    layers,
    detections,
    matrix,
    gaps,
  };
}
