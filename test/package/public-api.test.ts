/**
 * The public face of the package root (`detection-stack`, lib/index.ts): the exact list of what it exports,
 * so an accidental new export (or a lost one) fails here, and every name the README imports from the package
 * (root and subpaths) exists. Values are read from the loaded module, and values and types from the sources,
 * each file parsed on its own (no program over the Pulumi typings: that took 90-175 s of CI).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');

const PUBLIC_VALUES = [
  'ALL_PACKS', 'ARTIFACT_PINS', 'Alertmanager', 'ConditionBuildError', 'ConditionSyntaxError', 'DIAGNOSTIC_CODES',
  'DetectionFleet', 'DetectionStack', 'DetectionStackError', 'ERROR_CODES', 'EvaluatorError',
  'EventsFileError', 'FALCO_DEFAULT_RULES_NAMES', 'FalcoSensor', 'IMAGE_PINS', 'K8SAUDIT_RULES_NAMES',
  'Monitoring', 'PROVIDER_PROFILES', 'RuleEvaluator', 'STACK_CHECKS', 'SUPPORTED_ENGINE_VERSION', 'Shipper',
  'Sidekick', 'TetragonSensor', 'TetragonTracingPolicy', 'Workload', 'and', 'anyOf', 'auditPolicyYaml',
  'bcontains', 'bstartsWith', 'check', 'codeInfo', 'contains', 'detectionAuditPolicy',
  'emitTracingPolicies', 'emitTracingPolicy', 'endsWith', 'eq', 'evaluatorForRuleset', 'exists',
  'extractK8sAuditField', 'field', 'fleetClusterPlan', 'formatDiagnostic', 'formatFinding',
  'formatPolicyIssue', 'ge', 'glob', 'gt', 'helmDelivery', 'icontains', 'iglob', 'inList', 'intersects',
  'isRegisteredCode', 'le', 'list', 'listItem', 'listRef', 'loadRuleFiles', 'loadRulesForEvaluation',
  'loadTracingPolicies', 'lt', 'macro', 'neq', 'not', 'num', 'operatorDelivery', 'or', 'parseCondition',
  'parseEventsText', 'parsePriority', 'planFleet', 'planStack', 'pmatch', 'print', 'printCondition',
  'productDetectionPacks', 'readRuleItems', 'regex', 'renderHelmFiles', 'renderOperatorFiles',
  'renderPackRulesFile', 'renderReports', 'renderRulesYaml', 'renderRunbook', 'requiredSecrets',
  'runChecks', 'splitK8sAuditEvents', 'startsWith', 'str', 'synthApp', 'synthFleet', 'transform', 'val',
  'validateTracingPolicy', 'valuesProblems', 'writeAuditPolicyFile', 'writeRunbooks', 'writeStackReports',
];

const PUBLIC_TYPES = [
  'Action', 'ActionSelector', 'AksAuditCategory', 'AlertRulePlan', 'AlertRunbook', 'AlertSettings',
  'AlertSeverity', 'AlertmanagerConstructProps', 'AlertmanagerOutputProps', 'AlertmanagerPlan',
  'AlertmanagerProps', 'AlertmanagerTarget', 'AndExpr', 'AnyHook', 'ArgOperator', 'ArgSelector', 'ArgType', 'ArtifactPin',
  'AuditGroupResources', 'AuditLevel', 'AuditPlan', 'AuditPolicy', 'AuditPolicyRule', 'AuditProps',
  'AuditStage', 'AwsBucketAccess', 'AwsCloudWatchLogsOutputProps', 'AwsS3OutputProps', 'AzureBlobAccess',
  'AzureDataCollectionProps', 'AzureEventHubsOutputProps', 'AzureLogsIngestionProps', 'BinaryCheck',
  'BinaryOperator', 'BinarySelector', 'BinarySelectorOperator', 'BuilderCode', 'CapabilitiesSelector',
  'Capability', 'CapabilitySet', 'CatalogueField', 'ChatDestinationOptions', 'ChatDestinationPlan', 'Check',
  'CheckCode', 'CheckExpr', 'CheckIssue', 'CheckOutcome', 'CheckReport', 'CloudAuditProps', 'CloudProvider',
  'CloudWatchLogsProps', 'ClusterProps', 'ClusterReleases', 'CodeEntry', 'CodeLevel', 'ComparisonOperator',
  'ConditionSyntaxCode', 'Confidence', 'ConfigObjectPlan', 'ContainerPlan', 'ContainerPortPlan',
  'ContainerRuntimeProfile', 'ContainerSecurityPlan', 'CoverageCell', 'CoverageLayer', 'CoverageReport',
  'CoverageRow', 'CpuMemory', 'DashboardPlan', 'DashboardsProps', 'Detection',
  'DetectionAuditPolicyOptions', 'DetectionFleetProps', 'DetectionOwnershipProps', 'DetectionPackProps',
  'DetectionStackChartProps', 'DetectionStackProps', 'Diagnostic', 'DiagnosticCode',
  'DurableAnalyticsProps', 'DurableBucketProps', 'DurableBufferProps', 'DurableDestinationPlan',
  'DurablePlan', 'DurableSourcePlan', 'DurableSourceProps', 'DurableStorageProps', 'EksControlPlaneLogType',
  'ElasticsearchOutputProps', 'EmailReceiverProps', 'EnforcerSpec', 'EnvVarPlan', 'ErrorCode',
  'EvaluatorRule', 'EventTypeSet', 'ExceptionValue', 'ExportedMetric', 'Expr', 'FEntrySpec',
  'FalcoCustomRule', 'FalcoCustomRulePlan', 'FalcoDefaultRulesFile', 'FalcoFiles', 'FalcoHostMount',
  'FalcoImageProps', 'FalcoKubernetesMetadataProps', 'FalcoPlan', 'FalcoPlanExtras', 'FalcoPluginPlan',
  'FalcoPriority', 'FalcoResourcesProps', 'FalcoRuleTuning', 'FalcoRulesFile', 'FalcoSensorConstructProps',
  'FalcoSensorProps', 'FalcoToleration', 'FalcoTuningPlan', 'FieldInput', 'FieldLookup', 'FieldOperand',
  'FieldRef', 'FieldType', 'FieldTypeInfo', 'FieldTypeLookup', 'Finding', 'FindingLevel',
  'FleetClusterDeliveryProps', 'FleetClusterPlan', 'FleetClusterProps', 'FleetClusterReport',
  'FleetDeliveryPlan', 'FleetDeliveryProps', 'FleetGitProps', 'FleetPlan', 'FleetSharedProps',
  'GroupingProps', 'HelmChartPin', 'HelmDelivery', 'HelmFile', 'HelmReleasePlan', 'HookKind',
  'HostPathType', 'HttpDestinationOptions', 'ImagePin', 'IntegrationPlan', 'InvestigationQuery',
  'InvestigationQuestion', 'InvestigationSettings', 'K8sAuditExtractor', 'K8sAuditFalcoPlan',
  'K8sAuditPluginPlan', 'K8sAuditPluginProps', 'K8sAuditValue', 'KProbeArg', 'KProbeSpec',
  'KafkaOutputProps', 'KubernetesAuditProps', 'KubernetesMetadataCollectorProps', 'KubernetesMetadataTls',
  'LabelSelector', 'LabelSelectorOperator', 'LabelSelectorRequirement', 'LayerSource', 'LayerStatus',
  'ListItem', 'ListLiteral', 'ListOperator', 'ListRef', 'ListSpec', 'ListType', 'LoadOptions', 'LoadResult',
  'LoadedPolicies', 'LocatedEvent', 'LocatedPolicyIssue', 'LokiOutputProps', 'LsmHookSpec', 'MacroItem',
  'MacroRef', 'Manifest', 'MetricKey', 'MetricProgram', 'MitreMapping', 'MitreTactic', 'MonitoredStack',
  'MonitoringConstructProps', 'MonitoringPlan', 'MonitoringProps', 'MsTeamsReceiverProps', 'NamedOptOut',
  'NamespaceChangesSelector', 'NamespaceObjectPlan', 'NamespaceSelector', 'NamespaceType',
  'NetworkPeerPlan', 'NetworkRulePlan', 'Node', 'NoisyRuleProps', 'NotExpr', 'NotExpressed', 'ObjectMeta',
  'OciApiKeyProps', 'OciBucketAccess', 'OciLoggingAnalyticsProps', 'OciStreamingProps', 'Operand',
  'OperatorDelivery', 'OperatorModifier', 'OperatorObject', 'OpsgenieOutputProps', 'OpsgenieReceiverProps',
  'OptionSpec', 'OrExpr', 'OutageBudget', 'OutputFieldRef', 'OutputIssue', 'OverrideMode', 'OwnershipPlan',
  'PIDSelector', 'PackContext', 'PackName', 'PackRule', 'PackRuleTemplate', 'PackSource',
  'PackTetragonPattern', 'PacksPlan', 'PagerDutyOutputProps', 'PagerDutyReceiverProps', 'PanelPlan',
  'PanelTarget', 'ParseOptions', 'PerfEventAccess', 'PlanContext', 'PlanFleetOptions', 'PluginRequirement',
  'PluginSecretEnv', 'PodPeerPlan', 'PodPlan', 'PodSecurityPlan', 'PolicyIssue', 'PolicyMode',
  'PolicyRulePlan', 'PolicyValidationOptions', 'PredefinedNames', 'Priority', 'ProbePlan',
  'ProductDetectionPacks', 'PrometheusProps', 'ProviderProfile', 'QueryLanguage', 'ReceiverPlan',
  'RenderedCluster', 'ReportDetection', 'RequiredEngineVersion', 'RequiredPluginVersions',
  'ResolvedResources', 'ResolvedRule', 'ResourceKind', 'ResourceProps', 'ResourcesPlan', 'RouteNode',
  'RoutingPlan', 'RoutingProps', 'RuleEvaluatorOptions', 'RuleException', 'RuleFileInput', 'RuleGroupPlan',
  'RuleItem', 'RuleMatching', 'RuleOverridableKey', 'RuleOwner', 'RulesFileItem', 'RulesForEvaluation',
  'Ruleset', 'RunbookText', 'ScrapeComponent', 'ScrapeTargetPlan', 'SecretKeyRef', 'SecretVolumePlan',
  'SeedOptions', 'SeedPattern', 'Selector', 'SensorName', 'SensorNeutralPattern', 'SensorOverlap',
  'SensorOwnershipProps', 'SensorSource', 'SensorsProps', 'ServicePlan', 'SetOperator', 'Severity',
  'ShipperConstructProps', 'ShipperPlan', 'ShipperProps', 'SidekickAwsPlan', 'SidekickConstructProps',
  'SidekickOutputCommon', 'SidekickOutputsProps', 'SidekickPlan', 'SidekickProps', 'SlackOutputProps',
  'SlackReceiverProps', 'SmtpOutputProps', 'SourcePosition', 'StackAlertName', 'StackAlertsProps',
  'StackCode', 'StackDelivery', 'StackPlan', 'StringLiteral', 'Suppression', 'SyncStage',
  'SyslogOutputProps', 'TeamPlan', 'TeamProps', 'TeamReceiversProps', 'TeamsOutputProps',
  'TetragonDetection', 'TetragonEnforcementProps', 'TetragonExportProps', 'TetragonImagesProps',
  'TetragonPlan', 'TetragonResourcesProps', 'TetragonSensorConstructProps', 'TetragonSensorProps',
  'TetragonTracingPolicyProps', 'ThreatScenario', 'TolerationPlan', 'TracepointSpec', 'TracingPolicy',
  'TracingPolicyKind', 'TracingPolicySpec', 'TransformerArg', 'TransformerCall', 'TransformerList',
  'TransformerName', 'UProbeSpec', 'UnaryCheck', 'UnaryOperator', 'UsdtSpec', 'ValueInput',
  'VolumeMountPlan', 'VolumePlan', 'WebhookOutputProps', 'WebhookReceiverProps', 'WorkloadPlan',
  'WorkloadProps', 'WorkloadSelector', 'WorkloadServiceAccount',
];

type Kind = 'value' | 'type';
type Exports = Map<string, Kind>;
/** Parsed files, shared by every call (a file is parsed once per run). */
const PARSED = new Map<string, ts.SourceFile>();

/**
 * What a module exports, split into values and type-only names, read from the source alone: each file is parsed
 * on its own (ts.createSourceFile, no program, no type check, no typings of dependencies) and `export * from`,
 * `export { a } from` and local re-exports of imports are followed by hand to the declaration. A name with a
 * value declaration (const, let, function, class, enum, instantiated namespace) is a value, as the checker's
 * SymbolFlags.Value says; interfaces and type aliases are types; `export type` and `type` elements are types.
 * `overrides` replaces a file's text (the test below uses it to show a removed export is noticed).
 */
function moduleExports(file: string, overrides: Record<string, string> = {}): Exports {
  const cache = new Map<string, Exports>();
  const sourceOfFile = (f: string): ts.SourceFile => {
    if (f in overrides) return ts.createSourceFile(f, overrides[f], ts.ScriptTarget.ES2022, false);
    let s = PARSED.get(f);
    if (!s) {
      s = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022, false);
      PARSED.set(f, s);
    }
    return s;
  };
  const resolve = (from: string, spec: ts.Expression): string => {
    const text = (spec as ts.StringLiteral).text;
    if (!text.startsWith('.')) throw new Error(`${from} re-exports from the package ${text}, which this test does not follow`);
    const base = path.resolve(path.dirname(from), text);
    const found = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => f in overrides || fs.existsSync(f));
    if (!found) throw new Error(`${from}: cannot find the module ${text}`);
    return found;
  };
  const isExported = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  /** The kind of a declaration statement, or undefined when it declares nothing named. */
  const declared = (statement: ts.Statement): [string, Kind][] => {
    if (ts.isVariableStatement(statement)) {
      return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [[d.name.text, 'value'] as [string, Kind]] : []));
    }
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      return [[statement.name.text, 'value']];
    }
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) return [[statement.name.text, 'type']];
    if (ts.isModuleDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) {
      throw new Error(`${statement.getSourceFile().fileName}: a namespace or import = declaration, which this test does not follow`);
    }
    return [];
  };
  const merge = (into: Exports, name: string, kind: Kind): void => {
    if (into.get(name) !== 'value') into.set(name, kind);
  };
  /** The kind of a name declared or imported in `f` (not necessarily exported). */
  const localKind = (f: string, name: string): Kind => {
    let kind: Kind | undefined;
    for (const statement of sourceOfFile(f).statements) {
      for (const [n, k] of declared(statement)) if (n === name && kind !== 'value') kind = k;
      if (ts.isImportDeclaration(statement) && statement.importClause) {
        const clause = statement.importClause;
        for (const el of clause.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : []) {
          if (el.name.text !== name) continue;
          if (clause.isTypeOnly || el.isTypeOnly) return 'type';
          return exportsOfFile(resolve(f, statement.moduleSpecifier)).get((el.propertyName ?? el.name).text) ?? fail(f, name);
        }
      }
    }
    return kind ?? fail(f, name);
  };
  const fail = (f: string, name: string): never => {
    throw new Error(`${path.relative(ROOT, f)} exports ${name}, which it neither declares nor imports`);
  };
  const exportsOfFile = (f: string): Exports => {
    const cached = cache.get(f);
    if (cached) return cached;
    const result: Exports = new Map();
    cache.set(f, result);
    const starred: Exports[] = [];
    for (const statement of sourceOfFile(f).statements) {
      if (ts.isExportDeclaration(statement)) {
        const target = statement.moduleSpecifier ? resolve(f, statement.moduleSpecifier) : undefined;
        const clause = statement.exportClause;
        if (!clause) {
          const inner = exportsOfFile(target!);
          starred.push(statement.isTypeOnly ? new Map([...inner.keys()].map((k) => [k, 'type' as Kind])) : inner);
        } else if (ts.isNamespaceExport(clause)) {
          result.set(clause.name.text, statement.isTypeOnly ? 'type' : 'value');
        } else {
          for (const el of clause.elements) {
            const original = (el.propertyName ?? el.name).text;
            const resolved = target ? exportsOfFile(target).get(original) ?? fail(target, original) : localKind(f, original);
            merge(result, el.name.text, statement.isTypeOnly || el.isTypeOnly ? 'type' : resolved);
          }
        }
      } else if (ts.isExportAssignment(statement)) {
        result.set('default', 'value');
      } else if (isExported(statement)) {
        for (const [name, kind] of declared(statement)) merge(result, name, kind);
      }
    }
    // `export *` adds what the module does not export itself, and never `default` (ECMAScript's rule).
    const local = new Set(result.keys());
    for (const inner of starred) {
      for (const [name, kind] of inner) if (name !== 'default' && !local.has(name)) merge(result, name, kind);
    }
    return result;
  };
  return exportsOfFile(file);
}

function split(exports: Exports): { values: string[]; types: string[] } {
  const names = [...exports.keys()].sort();
  return { values: names.filter((n) => exports.get(n) === 'value'), types: names.filter((n) => exports.get(n) === 'type') };
}

/** `import { a, type B, c as d } from 'detection-stack...'` in the README's TypeScript code blocks. */
function readmeImports(): { specifier: string; names: string[] }[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const found: { specifier: string; names: string[] }[] = [];
  for (const block of readme.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)) {
    for (const m of block[1].matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(detection-stack(?:\/[^']+)?)'/g)) {
      const names = m[1].split(',').map((s) => s.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]).filter(Boolean);
      found.push({ specifier: m[2], names });
    }
  }
  return found;
}

/** A package specifier to the source file its `exports` entry is built from (build/x.js -> lib/x.ts). */
function sourceOf(specifier: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> };
  const entry = pkg.exports[specifier === 'detection-stack' ? '.' : './' + specifier.slice('detection-stack/'.length)];
  if (!entry) throw new Error(`README imports ${specifier}, which package.json exports does not list`);
  return path.join(ROOT, entry.default.replace(/^\.\/build\//, 'lib/').replace(/\.js$/, '.ts'));
}

describe('the public API of the package root', () => {
  const index = path.join(ROOT, 'lib', 'index.ts');
  const imports = readmeImports();

  test('the loaded module exports exactly the public values', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(index) as Record<string, unknown>;
    expect(Object.keys(loaded).filter((k) => k !== '__esModule').sort()).toEqual(PUBLIC_VALUES);
  });

  test('the sources export exactly the public values and types', () => {
    const found = split(moduleExports(index));
    expect(found.values).toEqual(PUBLIC_VALUES);
    expect(found.types).toEqual(PUBLIC_TYPES);
  });

  test('every name the README imports from the package exists', () => {
    expect(imports.some((i) => i.specifier === 'detection-stack')).toBe(true);
    expect(imports.some((i) => i.specifier.startsWith('detection-stack/pulumi/'))).toBe(true);
    const missing = imports.flatMap((i) => {
      const e = moduleExports(sourceOf(i.specifier));
      return i.names.filter((n) => !e.has(n)).map((n) => `${n} from ${i.specifier}`);
    });
    expect(missing).toEqual([]);
  });

  test('the reading of the sources notices a removed export, a removed `export *` and a type exported as a value', () => {
    const text = fs.readFileSync(index, 'utf8');
    const line = "export { RuleEvaluator } from './falco/evaluator/evaluator';\n";
    expect(text).toContain(line);
    const without = split(moduleExports(index, { [index]: text.replace(line, '') }));
    expect(PUBLIC_VALUES.filter((n) => !without.values.includes(n))).toEqual(['RuleEvaluator']);
    expect(without.types).toEqual(PUBLIC_TYPES);

    const falco = path.join(ROOT, 'lib', 'falco', 'index.ts');
    const falcoText = fs.readFileSync(falco, 'utf8');
    const full = moduleExports(falco);
    const noEvaluator = moduleExports(falco, { [falco]: falcoText.replace("export * from './evaluator';\n", '') });
    expect(full.get('RuleEvaluator')).toBe('value');
    expect(full.get('Detection')).toBe('type');
    expect(noEvaluator.has('RuleEvaluator')).toBe(false);
    expect(noEvaluator.has('Detection')).toBe(false);
    // `RuleFileInput` is re-exported by a plain `export { ... }` from the loader: its kind comes from its declaration.
    expect(full.get('RuleFileInput')).toBe('type');
    expect(full.get('loadRuleFiles')).toBe('value');
  });
});
