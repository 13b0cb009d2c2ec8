import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { credentialInUrl } from '../../lib/core/urls';

// #14 "no error message, report or snapshot ever prints a URL's query or userinfo": every URL in the committed
// snapshots (the synthesized manifests, REPORT.md and Helm values of the examples, as `npm run synth` writes
// them to dist/) and in the examples' sources is one credentialInUrl finds nothing in.

const ROOT = join(__dirname, '..', '..');

function files(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return files(path, keep);
    return keep(name) ? [path] : [];
  });
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`\\<>)\],]+/gi;

describe('no committed output carries a URL credential', () => {
  const snapshots = files(join(ROOT, 'test'), (n) => n.endsWith('.snap'));
  const examples = files(join(ROOT, 'examples'), (n) => /\.(ts|js|ya?ml|json)$/.test(n));

  test('the scan reads the example snapshots and sources, and finds a planted Slack webhook', () => {
    expect(snapshots.length).toBeGreaterThanOrEqual(5);
    expect(examples.length).toBeGreaterThanOrEqual(5);
    const planted = 'url: https://hooks.slack.com/services/T000/B000/Zx9Kq2Lm7Np4Rs8Tv1Wy5Ab3 and https://u:p@h.example.com/x';
    expect([...planted.matchAll(URL_IN_TEXT)].map((m) => m[0]).filter((u) => credentialInUrl(u) !== undefined)).toHaveLength(2);
  });

  test('every URL in them is free of tokens, userinfo and secret paths', () => {
    const found = [...snapshots, ...examples].flatMap((file) => [...readFileSync(file, 'utf8').matchAll(URL_IN_TEXT)]
      .map((m) => m[0]).filter((url) => credentialInUrl(url) !== undefined).map((url) => `${file.slice(ROOT.length + 1)}: ${url}`));
    expect(found).toEqual([]);
  });
});
