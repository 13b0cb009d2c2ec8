import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** Links this repository (its compiled build/) as node_modules/detection-stack. */
export const linkRepository = (target: string): void => fs.symlinkSync(ROOT, target, 'dir');

/**
 * A copy of an examples/*-pulumi project as it is after `npm install` in a user's checkout: the project's files
 * in a scratch folder whose node_modules has `detection-stack` (put there by `install`, by default a link to this
 * repository) and every other package the repository has installed, linked (no network). Plain Node then
 * resolves `detection-stack/pulumi/<provider>` through the package's `exports`, as for a user; the one
 * @pulumi/pulumi is shared by program and library. Returns the folder; remove it with `fs.rmSync(dir, { recursive: true })`.
 */
export function installedCopy(example: string, install: (target: string) => void = linkRepository): string {
  const source = path.join(ROOT, 'examples', example);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${example}-`));
  for (const file of fs.readdirSync(source)) {
    if (file !== 'node_modules') fs.cpSync(path.join(source, file), path.join(dir, file), { recursive: true });
  }
  linkModules(dir, install);
  return dir;
}

/**
 * Gives a project folder a node_modules as after `npm install`: `detection-stack` put there by `install` (by default
 * a link to this repository) and every other package the repository has installed, linked (no network).
 */
export function linkModules(dir: string, install: (target: string) => void = linkRepository): void {
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry !== 'detection-stack') fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(modules, entry), 'dir');
  }
  install(path.join(modules, 'detection-stack'));
}
