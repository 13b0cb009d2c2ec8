import { DiagnosticSink, PredefinedNames, RuleCollector } from './collector';
import { CompiledRules, ResolvedRule, RuleCompiler } from './compiler';
import { Diagnostic } from './diagnostics';
import { PluginRequirement, RulesFileItem } from './model';
import { readRulesFile } from './reader';
import { Expr } from '../language/ast';

/**
 * Loads Falco rules files in order (like `falco -r a.yaml -r b.yaml`) with the semantics of
 * Falco 0.44's rule loader, in its three stages: each file read into items (`reader.ts`,
 * rule_loader_reader.cpp), the items collected into lists, macros and rules (`collector.ts`,
 * rule_loader_collector.cpp), and those compiled into rules ready for evaluation
 * (`compiler.ts`, rule_loader_compiler.cpp).
 */

export { ResolvedRule } from './compiler';
export { compareVersions } from './collector';
export type { PredefinedNames } from './collector';

/** The rule engine version this tool checks against: Falco 0.44's. */
export const SUPPORTED_ENGINE_VERSION = '0.62.0';

export interface RuleFileInput {
  /** The name used in diagnostics (a path). */
  readonly name: string;
  /** The YAML text. */
  readonly content: string;
}

export interface LoadOptions {
  /**
   * The rule engine version `required_engine_version` is checked against.
   * @default SUPPORTED_ENGINE_VERSION (Falco 0.44)
   */
  readonly engineVersion?: string;
  /** Names defined by a file loaded before these files that is not given (see {@link PredefinedNames}). */
  readonly predefined?: PredefinedNames;
}

/** The rule set after loading: what an engine would run. */
export interface Ruleset {
  /** Rules that compiled, in Falco's order (enabled and disabled). */
  readonly rules: readonly ResolvedRule[];
  /** The same rules grouped by source (`syscall`, `k8s_audit`, ...), each in Falco's order. */
  readonly bySource: ReadonlyMap<string, readonly ResolvedRule[]>;
  /** Lists with their items expanded. */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  /** Macros with their conditions resolved. */
  readonly macros: ReadonlyMap<string, Expr>;
  /** The highest `required_engine_version` of the files, if any. */
  readonly requiredEngineVersion?: string;
  readonly requiredPluginVersions: readonly (readonly PluginRequirement[])[];
}

export interface LoadResult {
  readonly ruleset: Ruleset;
  /** Errors and warnings, in file order. */
  readonly diagnostics: readonly Diagnostic[];
  /** True when there is no error (warnings allowed). */
  readonly ok: boolean;
  /** The items of each file, as read (what `renderRulesYaml` writes back). */
  readonly files: readonly { readonly name: string; readonly items: readonly RulesFileItem[] }[];
}

/** Loads and checks rules files in order. Never throws on bad input: see `diagnostics`. */
export function loadRuleFiles(files: readonly RuleFileInput[], options: LoadOptions = {}): LoadResult {
  return load(files, options.engineVersion ?? SUPPORTED_ENGINE_VERSION, options.predefined);
}

/** Reads the items of one rules file (no compilation): for round trips and tools. */
export function readRuleItems(file: RuleFileInput): { readonly items: readonly RulesFileItem[]; readonly diagnostics: readonly Diagnostic[] } {
  const read = readRulesFile(file.name, file.content);
  return { items: read.items.map((i) => i.item), diagnostics: read.diagnostics };
}

const NOTHING_COMPILED: CompiledRules = { rules: [], lists: new Map(), macros: new Map() };

function load(inputs: readonly RuleFileInput[], engineVersion: string, predefined?: PredefinedNames): LoadResult {
  const sink = new DiagnosticSink();
  const reads = inputs.map((input) => readRulesFile(input.name, input.content));
  for (const read of reads) sink.add(read.diagnostics);
  const files = reads.map((read) => ({ name: read.file.name, items: read.items.map((i) => i.item) }));
  const readFailed = sink.hasErrors;
  const collector = new RuleCollector(engineVersion, sink, predefined);
  for (const read of reads) {
    for (const item of read.items) collector.add(item);
  }
  // like Falco, nothing is compiled when a file could not be read
  const compiled = readFailed ? NOTHING_COMPILED : new RuleCompiler(collector, sink, reads.map((r) => r.file)).compile();
  const bySource = new Map<string, ResolvedRule[]>();
  for (const rule of compiled.rules) {
    const same = bySource.get(rule.source);
    if (same) same.push(rule);
    else bySource.set(rule.source, [rule]);
  }
  const ruleset: Ruleset = {
    rules: compiled.rules,
    bySource,
    lists: new Map([...collector.lists.keys()].map((n) => [n, compiled.lists.get(n) ?? []])),
    macros: compiled.macros,
    requiredEngineVersion: collector.requiredEngineVersion,
    requiredPluginVersions: collector.requiredPluginVersions,
  };
  return { ruleset, diagnostics: sink.diagnostics, ok: !sink.hasErrors, files };
}
