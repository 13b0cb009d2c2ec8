import { Document, isMap, isSeq, YAMLMap, YAMLSeq } from 'yaml';
import {
  ExceptionValue, formatPriority, ListItem, MacroItem, RequiredPluginVersions, RuleException, RuleItem, RulesFileItem,
} from './model';

/**
 * Renders typed rules-file items as Falco rules YAML (one YAML sequence, items in order).
 * Loading the result gives back the same items. Conditions are written as given: build them
 * with the condition builder and `print()` so that user values are quoted.
 */
export function renderRulesYaml(items: readonly RulesFileItem[]): string {
  const doc = new Document(items.map(toPlain));
  flowShortSequences(doc.contents);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

type Plain = { [key: string]: unknown };

function toPlain(item: RulesFileItem): Plain {
  switch (item.kind) {
    case 'required_engine_version':
      return { required_engine_version: item.version };
    case 'required_plugin_versions':
      return { required_plugin_versions: pluginsToPlain(item) };
    case 'list':
      return listToPlain(item);
    case 'macro':
      return macroToPlain(item);
    case 'rule':
      return ruleToPlain(item);
  }
}

function pluginsToPlain(item: RequiredPluginVersions): Plain[] {
  return item.plugins.map((p) => compact({
    name: p.name,
    version: p.version,
    alternatives: p.alternatives?.map((a) => ({ name: a.name, version: a.version })),
  }));
}

function listToPlain(item: ListItem): Plain {
  return compact({ list: item.name, items: [...item.items], append: item.append, override: item.override && { ...item.override } });
}

function macroToPlain(item: MacroItem): Plain {
  return compact({ macro: item.name, condition: item.condition, append: item.append, override: item.override && { ...item.override } });
}

function ruleToPlain(item: RuleItem): Plain {
  return compact({
    'rule': item.name,
    'desc': item.desc,
    'condition': item.condition,
    'output': item.output,
    'priority': item.priority && formatPriority(item.priority),
    'source': item.source,
    'enabled': item.enabled,
    'tags': item.tags && [...item.tags],
    'exceptions': item.exceptions?.map(exceptionToPlain),
    'warn_evttypes': item.warnEvttypes,
    'skip-if-unknown-filter': item.skipIfUnknownFilter,
    'capture': item.capture,
    'capture_duration': item.captureDuration,
    'append': item.append,
    'override': item.override && { ...item.override },
  });
}

function exceptionToPlain(ex: RuleException): Plain {
  return compact({
    name: ex.name,
    fields: copy(ex.fields),
    comps: copy(ex.comps),
    values: ex.values?.map((v: ExceptionValue) => copy(v)),
  });
}

function copy<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

function compact(obj: Plain): Plain {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

/** Sequences of scalars are written in flow style (`[a, b]`), as the upstream rules files do. */
function flowShortSequences(node: unknown): void {
  if (isSeq(node)) {
    const seq = node as YAMLSeq;
    if (seq.items.length > 0 && seq.items.every((i) => !isMap(i) && !isSeq(i))) seq.flow = true;
    else if (seq.items.length > 0 && seq.items.every((i) => isSeq(i) && (i as YAMLSeq).items.every((j) => !isMap(j)))) seq.flow = true;
    seq.items.forEach(flowShortSequences);
  } else if (isMap(node)) {
    (node as YAMLMap).items.forEach((pair) => flowShortSequences(pair.value));
  }
}
