import { readFileSync } from 'fs';
import { join } from 'path';
import { BEGIN, END, renderErrorCodes, withErrorCodes } from '../../scripts/gen-error-codes';

describe('the README\'s error-code tables', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

  test('are the registry as scripts/gen-error-codes.ts renders it (run it when this fails)', () => {
    expect(withErrorCodes(readme)).toBe(readme);
  });

  test('list every code once, with its level, meaning and fix', () => {
    const rendered = renderErrorCodes();
    expect(rendered).toContain('| `DS-TETRA-052` | error | a product namespace is listed twice | list each namespace once |');
    expect(rendered).toContain('| `COND_TOO_LARGE` | error | `LOAD_ERR_COMPILE_CONDITION` |');
    expect(rendered).toContain('| `DS-ROUTE-102` | warning |');
    expect(rendered.match(/\| `DS-DURABLE-004` \|/g)).toHaveLength(1);
  });

  test('a stale README is detected, and one without markers is refused', () => {
    const stale = readme.replace('| `DS-TETRA-052` | error | a product namespace is listed twice |', '| `DS-TETRA-052` | error | old text |');
    expect(withErrorCodes(stale)).not.toBe(stale);
    expect(() => withErrorCodes(readme.replace(BEGIN, '').replace(END, ''))).toThrow(/no <!-- error-codes:begin -->/);
  });
});
