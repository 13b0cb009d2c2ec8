/**
 * Generates lib/falco/language/fields-catalogue.generated.ts: the field names, types, list-ness
 * and argument rules per event source, from
 *   - the syscall fields printed by Falco 0.44.1 (`falco --list=syscall --format json`), i.e.
 *     ../shared/corpora/falco-fields-syscall-0.44.1.json;
 *   - the field tables of the plugins' READMEs in a checkout of falcosecurity/plugins
 *     (container and k8smeta for syscall; k8saudit and json for k8s_audit; cloudtrail and json
 *     for aws_cloudtrail).
 *
 * Usage: npx ts-node --transpile-only scripts/gen-field-catalogue.ts SYSCALL_JSON PLUGINS_DIR [PLUGINS_COMMIT]
 * The output is committed: the library never reads these inputs at run time.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { CatalogueField } from '../lib/falco/language/field-types';


interface SyscallJsonField {
  readonly name: string;
  readonly type: string;
  readonly is_list: boolean;
  readonly argument: { readonly required: boolean } | null;
}

/** Fields every source has (libsinsp's generic event fields, sinsp_filtercheck_gen_event.cpp). */
const GENERIC_EVENT_FIELDS = [
  'evt.num', 'evt.time', 'evt.time.s', 'evt.time.iso8601', 'evt.datetime', 'evt.datetime.s', 'evt.rawtime',
  'evt.rawtime.s', 'evt.rawtime.ns', 'evt.reltime', 'evt.reltime.s', 'evt.reltime.ns', 'evt.pluginname',
  'evt.plugininfo', 'evt.source', 'evt.is_async', 'evt.asynctype', 'evt.hostname',
];

/**
 * Deprecated syscall fields that Falco 0.44 still accepts (with a warning) but no longer lists
 * (EPF_DEPRECATED in libs 0.25.4 userspace/libsinsp/sinsp_filtercheck_event.cpp).
 */
const DEPRECATED_SYSCALL_FIELDS: CatalogueField[] = [
  { name: 'evt.dir', type: 'CHARBUF', isList: false, arg: 'none', deprecated: true },
  { name: 'evt.latency', type: 'RELTIME', isList: false, arg: 'none', deprecated: true },
  { name: 'evt.latency.s', type: 'RELTIME', isList: false, arg: 'none', deprecated: true },
  { name: 'evt.latency.ns', type: 'RELTIME', isList: false, arg: 'none', deprecated: true },
  { name: 'evt.latency.human', type: 'CHARBUF', isList: false, arg: 'none', deprecated: true },
  { name: 'evt.wait_latency', type: 'RELTIME', isList: false, arg: 'none', deprecated: true },
];

const README_TYPES: Record<string, string> = {
  string: 'CHARBUF', uint64: 'UINT64', bool: 'BOOL', abstime: 'ABSTIME', reltime: 'RELTIME', ipaddr: 'IPADDR', ipnet: 'IPNET',
};

function fromSyscallJson(path: string): CatalogueField[] {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { fields: SyscallJsonField[] };
  return doc.fields.map((f) => ({
    name: f.name,
    type: f.type,
    isList: f.is_list,
    arg: f.argument === null ? 'none' : f.argument.required ? 'required' : 'optional',
  }));
}

/** Reads the `| `name` | `type` | Arg | Description |` table of a plugin README. */
function fromPluginReadme(path: string): CatalogueField[] {
  const fields: CatalogueField[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|\s*([^|]*?)\s*\|/.exec(line);
    if (!m) continue;
    const [, name, typeText, argText] = m;
    const isList = typeText.endsWith('(list)');
    const baseType = typeText.replace('(list)', '').trim();
    const type = README_TYPES[baseType];
    if (!type) throw new Error(`${path}: unknown field type '${typeText}' for ${name}`);
    const argWords = argText.split(',').map((w) => w.trim().toLowerCase()).filter((w) => w && w !== 'none');
    const argForms = argWords.filter((w): w is 'index' | 'key' => w === 'index' || w === 'key');
    const arg = argWords.includes('required') ? 'required' : argForms.length > 0 ? 'optional' : 'none';
    fields.push(argForms.length > 0 ? { name, type, isList, arg, argForms } : { name, type, isList, arg });
  }
  if (fields.length === 0) throw new Error(`${path}: no field table found`);
  return fields;
}

function merge(...groups: CatalogueField[][]): CatalogueField[] {
  const byName = new Map<string, CatalogueField>();
  for (const group of groups) for (const f of group) if (!byName.has(f.name)) byName.set(f.name, f);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function main(): void {
  const [syscallJson, pluginsDir, pluginsCommit = 'unknown'] = process.argv.slice(2);
  if (!syscallJson || !pluginsDir) {
    process.stderr.write('usage: gen-field-catalogue.ts SYSCALL_JSON PLUGINS_DIR [PLUGINS_COMMIT]\n');
    process.exit(2);
  }
  const readme = (plugin: string) => fromPluginReadme(join(pluginsDir, 'plugins', plugin, 'README.md'));
  const syscall = fromSyscallJson(syscallJson);
  const generic = syscall.filter((f) => GENERIC_EVENT_FIELDS.includes(f.name));
  const json = readme('json');
  const catalogue = {
    syscall: merge(syscall, DEPRECATED_SYSCALL_FIELDS, readme('container'), readme('k8smeta')),
    k8s_audit: merge(generic, readme('k8saudit'), json),
    aws_cloudtrail: merge(generic, readme('cloudtrail'), json),
  };
  const lines = [
    '// Generated by scripts/gen-field-catalogue.ts: do not edit.',
    '// Inputs: Falco 0.44.1 `--list=syscall --format json`; falcosecurity/plugins READMEs at ' + pluginsCommit + '.',
    "import type { CatalogueField } from './field-types';",
    '',
    'export const GENERATED_FIELD_CATALOGUE: { readonly [source: string]: readonly CatalogueField[] } = {',
    ...Object.entries(catalogue).flatMap(([source, fields]) => [
      `  ${source}: [`,
      ...fields.map((f) => `    ${JSON.stringify(f)},`),
      '  ],',
    ]),
    '};',
    '',
  ];
  const out = join(__dirname, '..', 'lib', 'falco', 'language', 'fields-catalogue.generated.ts');
  writeFileSync(out, lines.join('\n'));
  process.stdout.write(`wrote ${out}: ${Object.entries(catalogue).map(([s, f]) => `${s} ${f.length}`).join(', ')}\n`);
}

main();
