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

/** Fails with an install hint when a real tool the conformance tests need is not on PATH. */
export function requireTool(tool: string, debianPackage: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${tool} not found on PATH: install it with 'apt-get install ${debianPackage}' (.ci/run does)`);
  }
}
