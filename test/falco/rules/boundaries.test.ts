import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('module boundaries', () => {
  test('the rule language (lib/falco) imports neither cdk8s nor Pulumi', () => {
    const files = sources(join(__dirname, '..', '..', '..', 'lib', 'falco'));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => /(from|require\()\s*['"](cdk8s|cdk8s-plus-28|constructs|@pulumi\/[^'"]+)['"]/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('the rule language and the planners read no file: lib/falco, lib/core and lib/stack import no fs (file reading is the CLI\'s)', () => {
    const lib = join(__dirname, '..', '..', '..', 'lib');
    const files = ['falco', 'core', 'stack'].flatMap((d) => sources(join(lib, d)));
    const fsImport = /(from|require\()\s*['"](node:)?fs(\/promises)?['"]/;
    expect(fsImport.test("import { readFileSync } from 'node:fs';")).toBe(true);
    expect(files.filter((f) => fsImport.test(readFileSync(f, 'utf8'))).map((f) => f.slice(lib.length + 1))).toEqual([]);
    expect(sources(join(lib, 'cli')).some((f) => fsImport.test(readFileSync(f, 'utf8')))).toBe(true);
  });
});
