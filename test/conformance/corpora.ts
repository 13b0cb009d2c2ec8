import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { join, resolve } from 'path';

/**
 * The public corpora live outside the repository (`../shared/corpora`, or `CORPORA_DIR`).
 * A conformance run without them must fail loudly, never skip.
 */
export function corporaDir(): string {
  const dir = resolve(process.env.CORPORA_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'corpora'));
  if (!existsSync(dir)) {
    throw new Error(`conformance corpora not found at ${dir}: set CORPORA_DIR or place the corpora in ../shared/corpora`);
  }
  return dir;
}

export function corpusPath(...parts: string[]): string {
  const p = join(corporaDir(), ...parts);
  if (!existsSync(p)) throw new Error(`corpus file missing: ${p}`);
  return p;
}

/**
 * The real programs at the versions the stack pins live outside the repository too
 * (`../shared/tools`, or `TOOLS_DIR`; see its README). A conformance run without them fails loudly.
 */
export function toolsDir(): string {
  const dir = resolve(process.env.TOOLS_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'tools'));
  if (!existsSync(dir)) {
    throw new Error(`real tools not found at ${dir}: set TOOLS_DIR or place the tools in ../shared/tools, then run 'bash ../shared/tools/install.sh' (.ci/run does)`);
  }
  return dir;
}

interface PinnedTool {
  /** Path inside the tools folder. */
  readonly path: readonly string[];
  readonly versionArgs: readonly string[];
  /** The version line the pinned build prints. */
  readonly version: RegExp;
}

export const PINNED_TOOLS = {
  sysdig: { path: ['sid-0.41', 'bin', 'sysdig'], versionArgs: ['--version'], version: /^sysdig version 0\.41\.4\b/m },
  amtool: { path: ['sid-0.41', 'bin', 'amtool'], versionArgs: ['--version'], version: /^amtool, version 0\.33\.1\b/m },
  falco: { path: ['falco-0.44.1', 'falco-compat'], versionArgs: ['--version'], version: /"falco_version":"0\.44\.1"/ },
} as const satisfies Record<string, PinnedTool>;

const checked = new Map<string, string>();

/**
 * The pinned build of a real tool (sysdig 0.41.4 and amtool 0.33.1 from `sid-0.41/bin`, Falco 0.44.1
 * through its `falco-compat` wrapper). Fails with the fix when it is missing, cannot run (libraries not
 * installed) or is another version: conformance is judged by the pinned program only.
 */
export function pinnedTool(name: keyof typeof PINNED_TOOLS): string {
  const known = checked.get(name);
  if (known) return known;
  const tool: PinnedTool = PINNED_TOOLS[name];
  const file = join(toolsDir(), ...tool.path);
  if (!existsSync(file)) throw new Error(`${name} not found at ${file}: the tools folder is incomplete (see ../shared/tools/README.md)`);
  let printed: string;
  try {
    printed = execFileSync(file, [...tool.versionArgs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`${file} cannot run (${(e as Error).message.split('\n')[0]}): install its libraries with 'bash ../shared/tools/install.sh' (.ci/run does)`);
  }
  if (!tool.version.test(printed)) {
    throw new Error(`${file} is not the pinned version (${tool.version.source}): it prints ${JSON.stringify(printed.split('\n')[0])}`);
  }
  checked.set(name, file);
  return file;
}
