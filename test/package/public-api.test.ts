/**
 * The public face of the package root (`detection-stack`, lib/index.ts): the exact list of what it exports,
 * so an accidental new export (or a lost one) fails here, and every name the README imports from the package
 * (root and subpaths) exists. Values are read from the loaded module, types from the compiler.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');

const PUBLIC_VALUES = [
  'ALL_PACKS', 'Alertmanager', 'ConditionBuildError', 'ConditionSyntaxError', 'DIAGNOSTIC_CODES',
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
  'AlertmanagerProps', 'AlertmanagerTarget', 'AndExpr', 'AnyHook', 'ArgOperator', 'ArgSelector', 'ArgType',
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
  'MacroRef', 'Manifest', 'MetricKey', 'MetricProgram', 'MitreMapping', 'MitreTactic', 'MonitoredLayers',
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

/** Every name a module exports, split into values and type-only names, by the type checker. */
function exportsOf(files: string[]): Map<string, { values: string[]; types: string[] }> {
  const program = ts.createProgram(files, {
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    experimentalDecorators: true,
    resolveJsonModule: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const result = new Map<string, { values: string[]; types: string[] }>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${file} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${file} is not a module`);
    const values: string[] = [];
    const types: string[] = [];
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
      // eslint-disable-next-line no-bitwise
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      // eslint-disable-next-line no-bitwise
      (target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.name);
    }
    result.set(file, { values: values.sort(), types: types.sort() });
  }
  return result;
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
  let exported: Map<string, { values: string[]; types: string[] }>;
  // One program for the root and every subpath the README imports from (building one is slow).
  beforeAll(() => {
    exported = exportsOf([...new Set([index, ...imports.map((i) => sourceOf(i.specifier))])]);
  });

  test('the loaded module exports exactly the public values', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(index) as Record<string, unknown>;
    expect(Object.keys(loaded).filter((k) => k !== '__esModule').sort()).toEqual(PUBLIC_VALUES);
  });

  test('the compiler sees exactly the public values and types', () => {
    const found = exported.get(index)!;
    expect(found.values).toEqual(PUBLIC_VALUES);
    expect(found.types).toEqual(PUBLIC_TYPES);
  });

  test('every name the README imports from the package exists', () => {
    expect(imports.some((i) => i.specifier === 'detection-stack')).toBe(true);
    const missing = imports.flatMap((i) => {
      const e = exported.get(sourceOf(i.specifier))!;
      return i.names.filter((n) => !e.values.includes(n) && !e.types.includes(n)).map((n) => `${n} from ${i.specifier}`);
    });
    expect(missing).toEqual([]);
  });
});
