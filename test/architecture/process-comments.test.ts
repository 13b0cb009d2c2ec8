import { existsSync, readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';

const ROOT = join(__dirname, '..', '..');
/** The folders of code we write (not node_modules, build/ or dist/). */
const CODE = ['lib', 'test', 'examples', 'bench', 'scripts', 'rules', 'projenrc'];
const PROCESS_COMMENT = /^\s*(\/\/|#|\*)\s*(layer:|Owned by\b)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === '__snapshots__' ? [] : sourceFiles(path);
    return /\.(ts|js|ya?ml)$/.test(path) ? [path] : [];
  });
}

function offending(files: { name: string; text: string }[]): string[] {
  return files.flatMap(({ name, text }) => text.split('\n')
    .map((line, i) => ({ line, at: `${name}:${i + 1}` }))
    .filter(({ line }) => PROCESS_COMMENT.test(line))
    .map(({ at }) => at));
}

describe('the code carries no process comments', () => {
  test('no `// layer:` markers and no `// Owned by ...` headers in lib/, test/, examples/, bench/, scripts/, rules/', () => {
    const files = CODE.filter((d) => existsSync(join(ROOT, d))).flatMap((d) => sourceFiles(join(ROOT, d)))
      .filter((f) => !f.endsWith('process-comments.test.ts'))
      .map((f) => ({ name: relative(ROOT, f), text: readFileSync(f, 'utf8') }));
    expect(files.length).toBeGreaterThan(300);
    expect(offending(files)).toEqual([]);
  });

  test('the check finds both forms, in code and in YAML comments', () => {
    expect(offending([{ name: 'a.ts', text: 'x\n// layer: routing\n * Owned by routing (issue: 3)\n' }, { name: 'b.yaml', text: '# Owned by the team\n' }]))
      .toEqual(['a.ts:2', 'a.ts:3', 'b.yaml:1']);
  });
});
