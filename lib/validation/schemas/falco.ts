// Schemas of the Falco sensor props and of the rules-file items they carry (FalcoSensorProps, RuleItem, ...).
import { z } from 'zod';
import type { ListItem, MacroItem, RuleItem } from '../../falco/rules/model';
import { PRIORITIES } from '../../falco/rules/model';
import type { FalcoCustomRule, FalcoSensorProps } from '../../falco/sensor/props';
import type { FalcoRuleTuning } from '../../falco/tuning';
import { props } from '../build';
import { labelKey, labels, labelValue } from '../kubernetes';
import { assertSameType, SameType } from '../same-type';

const overrideMode = z.enum(['append', 'replace']);
const strings = z.array(z.string());

export const ListItemSchema = props('ListItem', {
  kind: z.literal('list'),
  name: z.string(),
  items: strings,
  append: z.boolean().optional(),
  override: props('ListItem.override', { items: overrideMode.optional() }).optional(),
});

export const MacroItemSchema = props('MacroItem', {
  kind: z.literal('macro'),
  name: z.string(),
  condition: z.string(),
  append: z.boolean().optional(),
  override: props('MacroItem.override', { condition: overrideMode.optional() }).optional(),
});

const exceptionValue = z.union([z.string(), z.array(z.union([z.string(), strings]))]);

export const RuleExceptionSchema = props('RuleException', {
  name: z.string(),
  fields: z.union([z.string(), strings]).optional(),
  comps: z.union([z.string(), strings]).optional(),
  values: z.array(exceptionValue).optional(),
});

export const RuleItemSchema = props('RuleItem', {
  kind: z.literal('rule'),
  name: z.string(),
  desc: z.string().optional(),
  condition: z.string().optional(),
  output: z.string().optional(),
  priority: z.enum(PRIORITIES).optional(),
  source: z.string().optional(),
  enabled: z.boolean().optional(),
  tags: strings.optional(),
  exceptions: z.array(RuleExceptionSchema).optional(),
  warnEvttypes: z.boolean().optional(),
  skipIfUnknownFilter: z.boolean().optional(),
  capture: z.boolean().optional(),
  captureDuration: z.number().optional(),
  append: z.boolean().optional(),
  override: props('RuleItem.override', {
    'desc': overrideMode.optional(),
    'condition': overrideMode.optional(),
    'output': overrideMode.optional(),
    'priority': overrideMode.optional(),
    'tags': overrideMode.optional(),
    'exceptions': overrideMode.optional(),
    'enabled': overrideMode.optional(),
    'warn_evttypes': overrideMode.optional(),
    'skip-if-unknown-filter': overrideMode.optional(),
    'capture': overrideMode.optional(),
    'capture_duration': overrideMode.optional(),
  }).optional(),
});

export const FalcoCustomRuleSchema = props('FalcoCustomRule', {
  rule: RuleItemSchema,
  owner: z.union([z.string(), props('RuleOwner', { unowned: z.string() })]),
});

export const FalcoRuleTuningSchema = props('FalcoRuleTuning', {
  rule: z.string(),
  owner: z.string(),
  reason: z.string(),
  disable: z.boolean().optional(),
  priority: z.enum(PRIORITIES).optional(),
  exceptions: z.array(RuleExceptionSchema).optional(),
  appendCondition: z.string().optional(),
  onlyNamespaces: strings.optional(),
  exceptNamespaces: strings.optional(),
});

const quantities = (name: string) => props(name, { cpu: z.string().optional(), memory: z.string().optional() });

export const FalcoSensorPropsSchema = props('FalcoSensorProps', {
  image: props('FalcoImageProps', { repository: z.string().optional(), tag: z.string().optional(), digest: z.string().optional() }).optional(),
  minimumPriority: z.enum(PRIORITIES).optional(),
  ruleMatching: z.enum(['first', 'all']).optional(),
  loadDefaultRules: z.boolean().optional(),
  defaultRules: props('FalcoDefaultRulesFile', { file: z.string() }).optional(),
  customRules: z.array(FalcoCustomRuleSchema).optional(),
  tuning: z.array(FalcoRuleTuningSchema).optional(),
  k8sauditTuning: z.array(FalcoRuleTuningSchema).optional(),
  customLists: z.array(ListItemSchema).optional(),
  customMacros: z.array(MacroItemSchema).optional(),
  privileged: z.boolean().optional(),
  perfEventAccess: z.enum(['auto', 'perfmon', 'sys-admin']).optional(),
  legacyAppArmorAnnotation: z.boolean().optional(),
  containerRuntimeSocket: z.string().optional(),
  resources: props('FalcoResourcesProps', {
    requests: quantities('FalcoResourcesProps.requests').optional(),
    limits: quantities('FalcoResourcesProps.limits').optional(),
  }).optional(),
  tolerations: z.array(props('FalcoToleration', {
    key: labelKey().optional(),
    operator: z.enum(['Exists', 'Equal']).optional(),
    value: labelValue().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
    tolerationSeconds: z.number().int().optional(),
  })).optional(),
  priorityClassName: z.string().optional(),
  nodeSelector: labels().optional(),
  webserverPort: z.number().int().optional(),
  kubernetesMetadata: props('FalcoKubernetesMetadataProps', {
    tls: z.union([
      props('KubernetesMetadataTls', { serverSecret: z.string(), caConfigMap: z.string() }),
      props('KubernetesMetadataTls.insecure', { insecure: props('KubernetesMetadataTls.insecure.insecure', { reason: z.string() }) }),
    ]),
    collector: props('KubernetesMetadataCollectorProps', {
      image: props('KubernetesMetadataCollectorProps.image', { repository: z.string().optional(), tag: z.string().optional(), digest: z.string().optional() }).optional(),
      resources: props('KubernetesMetadataCollectorProps.resources', {
        requests: quantities('KubernetesMetadataCollectorProps.resources.requests').optional(),
        limits: quantities('KubernetesMetadataCollectorProps.resources.limits').optional(),
      }).optional(),
    }).optional(),
    verbosity: z.enum(['trace', 'debug', 'info', 'warning', 'error', 'critical']).optional(),
  }).optional(),
});

assertSameType<SameType<z.output<typeof ListItemSchema>, ListItem>>();
assertSameType<SameType<z.output<typeof MacroItemSchema>, MacroItem>>();
assertSameType<SameType<z.output<typeof RuleItemSchema>, RuleItem>>();
assertSameType<SameType<z.output<typeof FalcoCustomRuleSchema>, FalcoCustomRule>>();
assertSameType<SameType<z.output<typeof FalcoRuleTuningSchema>, FalcoRuleTuning>>();
assertSameType<SameType<z.output<typeof FalcoSensorPropsSchema>, FalcoSensorProps>>();
