import { execFile } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pinnedTool } from './corpora';

/**
 * Real Falco 0.44.1 (../shared/tools/falco-0.44.1, through its `falco-compat` wrapper, which loads the
 * container plugin as the node does and maps `-e` to a capture replay).
 */

export function falcoBinary(): string {
  return pinnedTool('falco');
}

export interface FalcoMessage {
  readonly code: string;
  readonly message: string;
  /** The innermost item named in the context (rule, macro or list name). */
  readonly item?: string;
  readonly itemType?: string;
  /** Where that item is, 1-based (Falco prints 0-based lines and columns), with the file's name as given to Falco. */
  readonly at?: { readonly file: string; readonly line: number; readonly col: number };
  /** The innermost place of the context, named or not (e.g. Falco's `rule output` value), 1-based. */
  readonly innermost?: { readonly file: string; readonly line: number; readonly col: number };
}

export interface FalcoFileResult {
  readonly name: string;
  readonly successful: boolean;
  readonly errors: readonly FalcoMessage[];
  readonly warnings: readonly FalcoMessage[];
  readonly schemaWarnings: readonly string[];
}

interface RawMessage {
  readonly code: string;
  readonly message: string;
  readonly context?: {
    readonly locations?: readonly {
      readonly item_name: string;
      readonly item_type: string;
      readonly position?: { readonly name: string; readonly line: number; readonly column: number };
    }[];
  };
}

function message(raw: RawMessage): FalcoMessage {
  const named = (raw.context?.locations ?? []).filter((l) => l.item_name !== '');
  const last = named[named.length - 1];
  type Position = { readonly name: string; readonly line: number; readonly column: number };
  const place = (p: Position) => ({ file: p.name, line: p.line + 1, col: p.column + 1 });
  const at = last?.position ? { at: place(last.position) } : {};
  const placed = (raw.context?.locations ?? []).filter((l) => l.position);
  const inner = placed[placed.length - 1]?.position;
  return {
    code: raw.code,
    message: raw.message,
    ...(last ? { item: last.item_name, itemType: last.item_type, ...at } : {}),
    ...(inner ? { innermost: place(inner) } : {}),
  };
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(falcoBinary(), [...args], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
  });
}

/**
 * `falco -V a -V b ...`: the files are loaded in order, as a node loads its rules files, and Falco's
 * JSON load result is returned for each. A run that prints no load result (Falco failed before
 * loading) throws with Falco's output.
 */
export async function falcoValidate(paths: readonly string[]): Promise<FalcoFileResult[]> {
  const r = await run(paths.flatMap((p) => ['-V', p]));
  const line = r.stdout.split('\n').find((l) => l.startsWith('{"falco_load_results"'));
  if (!line) throw new Error(`falco -V ${paths.join(' -V ')} printed no load result (exit ${r.code}): ${r.stdout}${r.stderr}`);
  type RawFile = { name: string; successful: boolean; errors: RawMessage[]; warnings: RawMessage[]; schema_warnings?: string[] };
  const parsed = JSON.parse(line) as { falco_load_results: RawFile[] };
  return parsed.falco_load_results.map((f) => ({
    name: f.name,
    successful: f.successful,
    errors: f.errors.map(message),
    warnings: f.warnings.map(message),
    schemaWarnings: f.schema_warnings ?? [],
  }));
}

/** A list, macro or rule as `falco -L` describes it (`used`: whether a loaded rule refers to it; lists and macros only). */
export interface FalcoListedItem {
  readonly name: string;
  readonly used?: boolean;
  /** A list's items as Falco compiled them (`details.items_compiled`). */
  readonly itemsCompiled?: readonly string[];
}

export interface FalcoListing {
  readonly lists: readonly FalcoListedItem[];
  readonly macros: readonly FalcoListedItem[];
  readonly rules: readonly FalcoListedItem[];
}

/** `falco -r a -r b -L -o json_output=true`: the lists, macros and rules real Falco loaded from the files, in order. */
export async function falcoListing(paths: readonly string[]): Promise<FalcoListing> {
  const r = await run([...paths.flatMap((p) => ['-r', p]), '-L', '-o', 'json_output=true']);
  const line = r.stdout.split('\n').find((l) => l.startsWith('{"lists"'));
  if (r.code !== 0 || !line) {
    throw new Error(`falco -L -r ${paths.join(' -r ')} printed no listing (exit ${r.code}): ${r.stderr.split('\n').slice(-5).join('\n')}`);
  }
  type RawItem = { info: { name: string }; details?: { used?: boolean; items_compiled?: string[] } };
  const parsed = JSON.parse(line) as Record<'lists' | 'macros' | 'rules', RawItem[]>;
  const items = (raw: readonly RawItem[]) => raw.map((i) => {
    const used = i.details?.used;
    const compiled = i.details?.items_compiled;
    return { name: i.info.name, ...(used === undefined ? {} : { used }), ...(compiled === undefined ? {} : { itemsCompiled: compiled }) };
  });
  return { lists: items(parsed.lists), macros: items(parsed.macros), rules: items(parsed.rules) };
}

/** A rule as `falco -L -o json_output=true` describes it after loading: its effective keys and compiled condition. */
export interface FalcoRuleDetails {
  readonly name: string;
  readonly enabled: boolean;
  /** Falco's spelling: `Warning`, `Notice`, ... */
  readonly priority: string;
  readonly tags: readonly string[];
  readonly conditionCompiled: string;
  readonly exceptionNames: readonly string[];
}

/** The rules real Falco loaded from the files (`falco -r a -r b -L -o json_output=true`), with their effective keys. */
export async function falcoRuleDetails(paths: readonly string[]): Promise<FalcoRuleDetails[]> {
  const r = await run([...paths.flatMap((p) => ['-r', p]), '-L', '-o', 'json_output=true']);
  const line = r.stdout.split('\n').find((l) => l.startsWith('{"lists"'));
  if (r.code !== 0 || !line) {
    throw new Error(`falco -L -r ${paths.join(' -r ')} printed no listing (exit ${r.code}): ${r.stderr.split('\n').slice(-5).join('\n')}`);
  }
  type Raw = {
    info: { name: string; enabled: boolean; priority: string; tags: string[] };
    details: { condition_compiled: string; exception_names: string[] };
  };
  return (JSON.parse(line) as { rules: Raw[] }).rules.map((x) => ({
    name: x.info.name,
    enabled: x.info.enabled,
    priority: x.info.priority,
    tags: x.info.tags,
    conditionCompiled: x.details.condition_compiled,
    exceptionNames: x.details.exception_names,
  }));
}

export interface FalcoAlert {
  readonly rule: string;
  readonly priority: string;
  readonly output: string;
  readonly output_fields: Readonly<Record<string, unknown>>;
  readonly source?: string;
  readonly tags?: readonly string[];
}

/**
 * Replays a capture through rules files with real Falco (`falco-compat -e capture -r a -r b`); the alerts
 * it prints as JSON lines, in order. Falco's own error exit throws with its output.
 */
export async function falcoReplay(capture: string, rulesFiles: readonly string[], options: readonly string[] = []): Promise<FalcoAlert[]> {
  const r = await run(['-e', capture, ...rulesFiles.flatMap((f) => ['-r', f]), ...options]);
  if (r.code !== 0) throw new Error(`falco -e ${capture} failed (exit ${r.code}): ${r.stderr.split('\n').slice(-5).join('\n')}`);
  return r.stdout.split('\n').filter((l) => l.startsWith('{') && l.includes('"rule"')).map((l) => JSON.parse(l) as FalcoAlert);
}

/** A scratch folder for rules files Falco reads, removed by `dispose`. */
export function scratchDir(prefix: string): { readonly dir: string; write(name: string, content: string): string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name, content) {
      const file = join(dir, name);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
