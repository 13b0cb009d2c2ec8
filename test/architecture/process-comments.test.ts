import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the code carries no process comments', () => {
  test('no `// layer:` markers and no `// Owned by ...` headers under lib/', () => {
    const offending = sourceFiles(join(ROOT, 'lib')).flatMap((file) => readFileSync(file, 'utf8').split('\n')
      .map((line, i) => ({ line, at: `${relative(ROOT, file)}:${i + 1}` }))
      .filter(({ line }) => /^\s*\/\/\s*(layer:|Owned by\b)/.test(line))
      .map(({ at }) => at));
    expect(offending).toEqual([]);
  });
});
