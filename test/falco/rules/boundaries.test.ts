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
});
