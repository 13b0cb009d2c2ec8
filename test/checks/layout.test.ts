import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { STACK_CHECKS } from '../../lib/checks';

// Guardrails live one per file named after their ID (lib/checks/ds-route-100.ts holds DS-ROUTE-100), with their
// compliant and non-compliant tests beside each other in test/checks/ds-route-100.test.ts (as cdk-nag's
// src/rules/... and test/rules/...).
const LIB = join(__dirname, '..', '..', 'lib', 'checks');
const fileOf = (id: string) => id.toLowerCase();
const checkFiles = readdirSync(LIB).filter((f) => /^ds-[a-z]+-\d{3}\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, '')).sort();

describe('guardrails, one per file', () => {
  test('every check of STACK_CHECKS has its own file, named after its ID, and no other check file exists', () => {
    expect(STACK_CHECKS.map((c) => fileOf(c.id)).sort()).toEqual(checkFiles);
  });

  test.each(STACK_CHECKS.map((c) => [c.id]))('%s: its file defines it, and only it', (id) => {
    const text = readFileSync(join(LIB, `${fileOf(id)}.ts`), 'utf8');
    expect([...text.matchAll(/registeredCheck\('([^']+)'\)/g)].map((m) => m[1])).toEqual([id]);
  });

  test.each(STACK_CHECKS.map((c) => [c.id]))('%s: its test file has a compliant and a non-compliant test', (id) => {
    const text = readFileSync(join(__dirname, `${fileOf(id)}.test.ts`), 'utf8');
    expect(text).toContain(`describe('${id} `);
    const names = [...text.matchAll(/\btest(?:\.each\([^)]*\))?\('([^']+)'/g)].map((m) => m[1]);
    expect(names.some((n) => n.startsWith('compliant'))).toBe(true);
    expect(names.some((n) => n.startsWith('non-compliant'))).toBe(true);
  });
});
