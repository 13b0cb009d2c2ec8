import type { PackContext, PackRuleTemplate } from './definition';
import { outputFormat } from './fields';
import { K8S_AUDIT_PACK } from './k8s-audit';
import { DEFAULT_NETWORK_SILENT_BINARIES, DEFAULT_SENSITIVE_PATHS, DetectionPackProps } from './props';
import { RUNTIME_PACK } from './runtime';
import { SensorNeutralPattern, tetragonDetectionFor } from './tetragon';
import type { PackName, PackRule } from './types';
import type { StackCode } from '../core/error-codes';
import { DetectionStackError } from '../core/errors';
import { TAG_PREFIX } from '../core/tags';
import { printCondition } from '../falco/language/printer';
import { renderRulesYaml } from '../falco/rules/emit';
import type { RequiredPluginVersions, RuleException, RuleItem } from '../falco/rules/model';
import type { FalcoCustomRule } from '../falco/sensor/props';
import type { TetragonDetection } from '../tetragon/props';

/** Every pack rule template, runtime first, in load order. */
export const PACK_TEMPLATES: Readonly<Record<PackName, readonly PackRuleTemplate[]>> = {
  'runtime': RUNTIME_PACK,
  'k8s-audit': K8S_AUDIT_PACK,
};

export const ALL_PACKS: readonly PackName[] = ['runtime', 'k8s-audit'];

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const TEAM_NAME = /^[a-z0-9]([-a-z0-9_]{0,61}[a-z0-9])?$/;
const RESPONSE_ACTION = /^[a-z0-9][a-z0-9_-]*(:[a-z0-9][a-z0-9_-]*)?$/;

function fail(code: StackCode, where: string, problem: string, fix: string): never {
  throw new DetectionStackError(code, where, problem, fix);
}

function knownRuleIds(packs: readonly PackName[]): Set<string> {
  return new Set(packs.flatMap((p) => PACK_TEMPLATES[p].map((t) => t.id)));
}

function requireKnownKeys(where: string, keys: readonly string[], allowed: Set<string>, what: string): void {
  for (const key of keys) {
    if (!allowed.has(key)) {
      fail('DS-PACK-003', `${where}.${key}`, `unknown ${what} '${key}'`,
        `use one of: ${[...allowed].sort().join(', ')}`);
    }
  }
}

function requireNonEmptyStrings(where: string, values: readonly string[] | undefined): void {
  (values ?? []).forEach((v, i) => {
    if (typeof v !== 'string' || v.length === 0 || v.includes('\0')) {
      fail('DS-PACK-004', `${where}[${i}]`, `${JSON.stringify(v)} is not a usable value`,
        'give a non-empty string without NUL characters');
    }
  });
}

/** Validates the props and resolves the defaults. `where` prefixes every error location. */
export function resolvePackContext(props: DetectionPackProps, where: string, stackNamespace?: string): PackContext {
  if (!props || !Array.isArray(props.namespaces) || props.namespaces.length === 0) {
    fail('DS-PACK-001', `${where}.namespaces`, 'no product namespace is given',
      'list the namespaces the product runs in, e.g. namespaces: [\'billing\', \'checkout\']');
  }
  props.namespaces.forEach((ns, i) => {
    if (!DNS_LABEL.test(ns)) {
      fail('DS-PACK-002', `${where}.namespaces[${i}]`, `'${ns}' is not a valid namespace name`,
        'use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit');
    }
  });
  for (const key of ['allowedImages', 'allowedBinaries', 'networkSilentBinaries', 'sensitivePaths', 'trustedIdentities', 'infraNamespaces'] as const) {
    requireNonEmptyStrings(`${where}.${key}`, props[key]);
  }
  if (props.networkSilentBinaries !== undefined && props.networkSilentBinaries.length === 0) {
    fail('DS-PACK-005', `${where}.networkSilentBinaries`, 'the list is empty, which leaves the outbound-connection rule with nothing to watch',
      'omit it for the defaults, or disable the rule with disabledRules: [\'ds-outbound-connection-from-silent-binary\']');
  }
  if (props.sensitivePaths !== undefined && props.sensitivePaths.length === 0) {
    fail('DS-PACK-005', `${where}.sensitivePaths`, 'the list is empty, which leaves the sensitive-path rule with nothing to watch',
      'omit it for the defaults, or disable the rule with disabledRules: [\'ds-write-below-sensitive-path\']');
  }
  const infra = props.infraNamespaces ?? ['kube-system', ...(stackNamespace ? [stackNamespace] : [])];
  const overlap = props.namespaces.filter((ns) => infra.includes(ns));
  if (overlap.length > 0) {
    fail('DS-PACK-006', `${where}.infraNamespaces`, `'${overlap[0]}' is both a product and an infrastructure namespace`,
      'a namespace where privileged pods are expected cannot be a product namespace: remove it from one of the two lists');
  }
  return {
    namespaces: [...props.namespaces],
    allowedImages: [...(props.allowedImages ?? [])],
    allowedBinaries: [...(props.allowedBinaries ?? [])],
    networkSilentBinaries: [...(props.networkSilentBinaries ?? DEFAULT_NETWORK_SILENT_BINARIES)],
    sensitivePaths: [...(props.sensitivePaths ?? DEFAULT_SENSITIVE_PATHS)],
    trustedIdentities: [...(props.trustedIdentities ?? [])],
    infraNamespaces: [...infra],
  };
}

/**
 * Binds the packs to a product: every rule rendered with the product's parameters, its owner,
 * tags and runbook ID. Pure; throws a `DS-PACK-*` error naming the prop for bad input.
 * @param where prefix of error locations, e.g. `oke-falco/packs`
 * @param stackNamespace the stack's own namespace, an infrastructure namespace by default
 */
export function buildPackRules(props: DetectionPackProps, where = 'packs', stackNamespace?: string): PackRule[] {
  const ctx = resolvePackContext(props, where, stackNamespace);
  const packs = props.packs ?? ALL_PACKS;
  packs.forEach((p, i) => {
    if (!ALL_PACKS.includes(p)) {
      fail('DS-PACK-003', `${where}.packs[${i}]`, `unknown pack '${String(p)}'`, `use one of: ${ALL_PACKS.join(', ')}`);
    }
  });
  const ids = knownRuleIds(packs);
  const owners = props.owners ?? {};
  requireKnownKeys(`${where}.owners`, Object.keys(owners), new Set([...ids, ...packs]), 'rule ID or pack');
  requireKnownKeys(`${where}.exceptions`, Object.keys(props.exceptions ?? {}), ids, 'rule ID');
  requireKnownKeys(`${where}.responseHooks`, Object.keys(props.responseHooks ?? {}), ids, 'rule ID');
  (props.disabledRules ?? []).forEach((id, i) => requireKnownKeys(`${where}.disabledRules[${i}]`, [id], ids, 'rule ID'));
  const defaultOwner = props.defaultOwner ?? 'security';
  for (const [key, team] of [['defaultOwner', defaultOwner], ...Object.entries(owners).map(([k, v]) => [`owners.${k}`, v])]) {
    if (typeof team !== 'string' || !TEAM_NAME.test(team)) {
      fail('DS-PACK-007', `${where}.${key}`, `'${String(team)}' is not a valid team name`,
        'use lowercase letters, digits, \'-\' or \'_\' (the name routing knows the team by)');
    }
  }
  if (props.runbookBaseUrl !== undefined && !/^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~\/-]*)?$/.test(props.runbookBaseUrl)) {
    fail('DS-PACK-010', `${where}.runbookBaseUrl`, `'${props.runbookBaseUrl}' is not a usable runbook URL`,
      'give an https:// URL of letters, digits and . _ ~ / - only (no query, no %, which Falco outputs read as a field)');
  }
  for (const [id, action] of Object.entries(props.responseHooks ?? {})) {
    if (typeof action !== 'string' || !RESPONSE_ACTION.test(action)) {
      fail('DS-PACK-008', `${where}.responseHooks.${id}`, `'${String(action)}' is not a response action name`,
        'name the action explicitly, e.g. \'kubernetes:terminate\' (lowercase words, one optional \':\')');
    }
  }

  const excluded = props.excludeOwners ?? [];
  const owned = new Set(packs.flatMap((pack) => PACK_TEMPLATES[pack].map((t) => ownerOf(t, props, defaultOwner))));
  excluded.forEach((team, i) => {
    if (typeof team !== 'string' || !owned.has(team)) {
      fail('DS-PACK-011', `${where}.excludeOwners[${i}]`, `'${String(team)}' owns no rule of the packs, so excluding it leaves nothing out`,
        `name a team that owns pack rules (${[...owned].sort().join(', ')}), or remove it`);
    }
  });
  return packs.flatMap((pack) => PACK_TEMPLATES[pack]
    .filter((t) => !excluded.includes(ownerOf(t, props, defaultOwner)))
    .map((t) => bindTemplate(t, ctx, props, defaultOwner)));
}

/** The team that owns a template's rule: by rule ID, then by pack, then the default owner. */
function ownerOf(t: PackRuleTemplate, props: DetectionPackProps, defaultOwner: string): string {
  return props.owners?.[t.id] ?? props.owners?.[t.pack] ?? defaultOwner;
}

/**
 * The Falco rule names of the packs' rules owned by each team, without binding them to a product (nothing is
 * checked): what a fleet leaves out with a team it does not route.
 */
export function packRuleNamesByOwner(props: DetectionPackProps): Map<string, string[]> {
  const byOwner = new Map<string, string[]>();
  for (const pack of props.packs ?? ALL_PACKS) {
    for (const t of PACK_TEMPLATES[pack] ?? []) {
      const owner = ownerOf(t, props, props.defaultOwner ?? 'security');
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), t.name]);
    }
  }
  return byOwner;
}

function bindTemplate(t: PackRuleTemplate, ctx: PackContext, props: DetectionPackProps, defaultOwner: string): PackRule {
  // Every parameter value reaching the builder was checked in resolvePackContext (DS-PACK-002/004), so the
  // builder cannot refuse one: an error here is a bug of the template, and is thrown as it is.
  const condition = printCondition(t.condition(ctx));
  const owner = ownerOf(t, props, defaultOwner);
  const responseHook = props.responseHooks?.[t.id];
  const tags = [
    ...t.mitre.tactics, ...t.mitre.techniques,
    `${TAG_PREFIX.pack}${t.pack}`, `${TAG_PREFIX.confidence}${t.confidence}`,
    `${TAG_PREFIX.owner}${owner}`, `${TAG_PREFIX.runbook}${t.id}`,
    ...(t.pattern ? [`${TAG_PREFIX.pattern}${t.pattern}`] : []),
    ...(responseHook ? [`${TAG_PREFIX.response}${responseHook}`] : []),
  ];
  return {
    id: t.id,
    name: t.name,
    pack: t.pack,
    source: t.source,
    description: t.description,
    condition,
    output: outputFormat(t.headline, t.source, props.runbookBaseUrl ? `${props.runbookBaseUrl.replace(/\/$/, '')}/${t.id}.md` : t.id, t.outputFields),
    priority: t.priority,
    confidence: t.confidence,
    mitre: t.mitre,
    scenarios: t.scenarios,
    owner,
    tags,
    enabled: !(props.disabledRules ?? []).includes(t.id),
    pattern: t.pattern,
    responseHook,
    runbook: t.runbook,
  };
}

/** A pack rule as a Falco rules-file item (H1's model). */
export function toRuleItem(rule: PackRule, exceptions: readonly RuleException[] = []): RuleItem {
  return {
    kind: 'rule',
    name: rule.name,
    desc: rule.description,
    condition: rule.condition,
    output: rule.output,
    priority: rule.priority,
    source: rule.source,
    tags: rule.tags,
    ...(rule.enabled ? {} : { enabled: false }),
    ...(exceptions.length > 0 ? { exceptions } : {}),
  };
}

/** The result of {@link productDetectionPacks}. */
export interface ProductDetectionPacks {
  /** The resolved rules with their metadata (owners, confidence, MITRE, runbooks), syscall and k8s_audit. */
  readonly rules: readonly PackRule[];
  /** The syscall rules with their owners, for `sensors.falco.customRules` (the node DaemonSet). */
  readonly falcoCustomRules: readonly FalcoCustomRule[];
  /**
   * The k8s_audit rules with their owners. They need a Falco with the k8saudit and json plugins
   * (EKS, AKS: the audit layer's single-replica Falco); the node DaemonSet has no k8s_audit source.
   */
  readonly k8sAuditCustomRules: readonly FalcoCustomRule[];
  /**
   * The same runtime patterns as Tetragon detections (the Tetragon layer's seed policies and the
   * packs' own exec patterns), one per pattern, owned like the Falco rule of that pattern. For `sensors.tetragon.detections` with
   * `seedPatterns: []`; when both sensors run, declare which one owns each pattern in `sensors.ownership`.
   */
  readonly tetragonDetections: readonly TetragonDetection[];
  /**
   * The patterns the enabled Falco pack rules detect, for `sensors.ownership.falcoPatterns` when both
   * sensors run (the rules also carry them as `pattern:<id>` tags).
   */
  readonly falcoPatterns: readonly string[];
}

/** Binary names as the paths Tetragon matches (`/bin/sh`, `/usr/bin/sh`, ...). */
function binaryPaths(names: readonly string[]): string[] {
  return names.flatMap((n) => ['/bin/', '/usr/bin/', '/usr/local/bin/'].map((dir) => `${dir}${n}`));
}

/**
 * The project's detection packs bound to a product, ready to wire into a stack:
 *
 * ```ts
 * const packs = productDetectionPacks({
 *   namespaces: ['billing', 'checkout', 'identity'],
 *   owners: { 'runtime': 'platform-security', 'k8s-audit': 'platform-security' },
 * });
 * new DetectionStack(app, 'oke-falco', { ..., sensors: { falco: { customRules: packs.falcoCustomRules } } });
 * ```
 * @param where prefix of error locations
 * @param stackNamespace the stack's namespace, an infrastructure namespace by default
 */
export function productDetectionPacks(props: DetectionPackProps, where = 'packs', stackNamespace?: string): ProductDetectionPacks {
  const rules = buildPackRules(props, where, stackNamespace);
  const custom = (r: PackRule): FalcoCustomRule => ({ rule: toRuleItem(r, props.exceptions?.[r.id] ?? []), owner: r.owner });
  const ctx = resolvePackContext(props, where, stackNamespace);
  const patterns = new Map<SensorNeutralPattern, PackRule>();
  for (const r of rules) {
    if (r.pattern && r.enabled && !patterns.has(r.pattern as SensorNeutralPattern)) patterns.set(r.pattern as SensorNeutralPattern, r);
  }
  return {
    rules,
    falcoCustomRules: rules.filter((r) => r.source === 'syscall').map(custom),
    k8sAuditCustomRules: rules.filter((r) => r.source === 'k8s_audit').map(custom),
    falcoPatterns: [...patterns.keys()],
    tetragonDetections: [...patterns].map(([pattern, rule]) => tetragonDetectionFor(pattern, {
      namespaces: ctx.namespaces, owner: rule.owner, noNetworkBinaries: binaryPaths(ctx.networkSilentBinaries),
    })),
  };
}

/**
 * The k8s_audit pack needs the k8saudit plugin (or its EKS/AKS variant) and the json plugin; the
 * minimum versions are the ones upstream's k8s_audit_rules.yaml declares.
 */
export const K8S_AUDIT_PLUGIN_REQUIREMENTS: RequiredPluginVersions = {
  kind: 'required_plugin_versions',
  plugins: [
    { name: 'k8saudit', version: '0.18.0', alternatives: [{ name: 'k8saudit-eks', version: '0.12.0' }, { name: 'k8saudit-aks', version: '0.6.0' }] },
    { name: 'json', version: '0.7.0' },
  ],
};

/**
 * One pack's rules as a Falco rules file (YAML), self-contained: for `falco -r`, for
 * `detection-stack validate`/`test`, and for reviewing what a stack deploys.
 */
export function renderPackRulesFile(rules: readonly PackRule[], exceptions: DetectionPackProps['exceptions'] = {}): string {
  const needsPlugins = rules.some((r) => r.source === 'k8s_audit');
  return renderRulesYaml([
    ...(needsPlugins ? [K8S_AUDIT_PLUGIN_REQUIREMENTS] : []),
    ...rules.map((r) => toRuleItem(r, exceptions?.[r.id] ?? [])),
  ]);
}
