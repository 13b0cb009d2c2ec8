import type { SensorNeutralPattern } from './tetragon';
import type { Confidence, MitreMapping, PackName, PackSource, RunbookText, ThreatScenario } from './types';
import type { Expr } from '../falco/language/ast';
import type { Priority } from '../falco/rules/model';

/** The resolved parameters a rule template reads (defaults applied, validated). */
export interface PackContext {
  readonly namespaces: readonly string[];
  readonly allowedImages: readonly string[];
  readonly allowedBinaries: readonly string[];
  readonly networkSilentBinaries: readonly string[];
  readonly sensitivePaths: readonly string[];
  readonly trustedIdentities: readonly string[];
  readonly infraNamespaces: readonly string[];
}

/**
 * A rule of a pack before it is bound to a product: everything but the values that come from
 * the product (namespaces, images, identities), which `condition` reads from the context.
 */
export interface PackRuleTemplate {
  readonly id: string;
  readonly name: string;
  readonly pack: PackName;
  readonly source: PackSource;
  readonly description: string;
  readonly headline: string;
  readonly priority: Priority;
  readonly confidence: Confidence;
  readonly mitre: MitreMapping;
  readonly scenarios: readonly ThreatScenario[];
  /** Extra `label=%field` output pairs, before the investigation fields. */
  readonly outputFields?: readonly (readonly [string, string])[];
  readonly runbook: RunbookText;
  /**
   * The sensor-neutral detection pattern, when Tetragon can express the same behaviour: the rule
   * is tagged `pattern:<id>` (so both sensors' ownership is planned) and the Tetragon seed policy
   * of that pattern is part of the pack.
   * @default none (Falco only)
   */
  readonly pattern?: SensorNeutralPattern;
  /** The condition, made with the safe condition builder only. */
  condition(ctx: PackContext): Expr;
}
