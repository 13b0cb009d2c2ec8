/**
 * test/ mirrors lib/: the tests of a lib/ folder sit in the test/ folder of the same path, so each folder of
 * the README Code map (a folder of lib/, or falco/<part>) has one, and every test/ folder but the few that are
 * not about one folder of lib/ is a folder of lib/.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** test/ folders that are not the tests of one lib/ folder, and why. */
const NOT_MIRRORS: Record<string, string> = {
  architecture: 'the layout itself (import graph, Code map, this file)',
  docs: 'statements of the README',
  conformance: 'tests against the real tools and corpora (npm run test:conformance)',
  examples: 'the examples/ folder',
  helpers: 'shared test helpers',
  package: 'the packed package and its public face',
};

function folders(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== '__snapshots__' && e.name !== 'fixtures')
    .flatMap((e) => [`${prefix}${e.name}`, ...folders(dir, `${prefix}${e.name}/`)]);
}

/** The folders whose tests must have a folder: each folder of lib/, falco/ by its parts. */
function mirrored(): string[] {
  return folders(path.join(ROOT, 'lib')).filter((f) => !f.includes('/') ? f !== 'falco' : f.startsWith('falco/') && f.split('/').length === 2);
}

function hasTests(folder: string): boolean {
  const dir = path.join(ROOT, 'test', folder);
  return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.test.ts'));
}

describe('test/ mirrors lib/', () => {
  const testFolders = folders(path.join(ROOT, 'test'));

  test('every folder of lib/ (falco/ by its parts) has its tests in the test/ folder of the same path', () => {
    expect(mirrored().length).toBeGreaterThan(15);
    expect(mirrored().filter((f) => !hasTests(f))).toEqual([]);
  });

  test('every test/ folder is a folder of lib/, but for the few that test something else', () => {
    const strays = testFolders.filter((f) => !(f.split('/')[0] in NOT_MIRRORS) && !fs.existsSync(path.join(ROOT, 'lib', f)));
    expect(strays).toEqual([]);
  });

  test('every exception names a folder that exists', () => {
    expect(Object.keys(NOT_MIRRORS).filter((f) => !testFolders.includes(f))).toEqual([]);
  });
});
