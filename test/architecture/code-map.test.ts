/**
 * The README "Code map" lists the folders of lib/: each folder is listed (a folder whose parts are listed
 * one by one, as falco/language/ and falco/rules/, by every subfolder), and nothing is listed that is not a
 * folder of lib/.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const LIB = path.join(ROOT, 'lib');

/** The folder names (`falco/rules`) in the first code block after the "### Code map" heading. */
function codeMapFolders(readme: string): string[] {
  const section = readme.split(/^### Code map$/m)[1];
  if (section === undefined) throw new Error('README.md has no "### Code map" section');
  const block = /^```\n([\s\S]*?)^```$/m.exec(section);
  if (!block) throw new Error('the README Code map has no code block');
  const lines = block[1].split('\n');
  if (lines[0] !== 'lib/') throw new Error(`the README Code map starts with ${JSON.stringify(lines[0])}, not "lib/"`);
  return lines.flatMap((line) => /^ {2}([a-z0-9][a-z0-9/_-]*)\/\s/.exec(line)?.[1] ?? []);
}

function subfolders(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** What the map must list: each folder of lib/, or, when the map lists a folder's subfolders, each of those. */
function missingFrom(listed: string[]): string[] {
  return subfolders(LIB).flatMap((top) => {
    if (listed.includes(top)) return [];
    const parts = subfolders(path.join(LIB, top)).map((sub) => `${top}/${sub}`);
    const listedParts = parts.filter((p) => listed.includes(p));
    if (listedParts.length === 0) return [top];
    return parts.filter((p) => !listed.includes(p));
  });
}

describe('the README Code map', () => {
  const listed = codeMapFolders(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));

  test('lists every folder of lib/', () => {
    expect(listed.length).toBeGreaterThan(10);
    expect(missingFrom(listed)).toEqual([]);
  });

  test('lists nothing that is not a folder of lib/', () => {
    expect(listed.filter((f) => !fs.statSync(path.join(LIB, f), { throwIfNoEntry: false })?.isDirectory())).toEqual([]);
  });

  test('lists each folder once', () => {
    expect(listed.filter((f, i) => listed.indexOf(f) !== i)).toEqual([]);
  });

  test('the check fails on a folder, or a subfolder of one listed by parts, left out', () => {
    expect(missingFrom(listed.filter((f) => f !== 'helm'))).toEqual(['helm']);
    expect(missingFrom(listed.filter((f) => f !== 'falco/rules'))).toEqual(['falco/rules']);
    expect(missingFrom(listed.filter((f) => !f.startsWith('falco/')))).toEqual(['falco']);
  });
});
