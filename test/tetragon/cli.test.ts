import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { main } from '../../lib/cli/main';
import { fileValidators } from '../../lib/cli/validate';
import { TETRAGON_FILE_VALIDATOR } from '../../lib/cli/validate-tetragon';

const dir = mkdtempSync(join(tmpdir(), 'tetragon-cli-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
async function validate(...args: string[]) {
  let stdout = '';
  const code = await main(['validate', ...args], { stdout: (t) => { stdout += t; }, stderr: (t) => { stdout += t; } });
  return { code, stdout };
}

const GOOD = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: ptrace
spec:
  kprobes:
  - call: sys_ptrace
    args:
    - index: 0
      type: int
    selectors:
    - matchArgs:
      - index: 0
        operator: Equal
        values: ["16"]
`;

describe('detection-stack validate with TracingPolicies', () => {
  test('the Tetragon validator is registered through the validate hook', () => {
    expect(fileValidators()).toContain(TETRAGON_FILE_VALIDATOR);
    expect(TETRAGON_FILE_VALIDATOR.accepts({ name: 'x', content: GOOD })).toBe(true);
    expect(TETRAGON_FILE_VALIDATOR.accepts({ name: 'x', content: '- rule: x\n  condition: evt.type=open\n' })).toBe(false);
  });

  test('GIVEN a valid policy THEN exit 0', async () => {
    const r = await validate(write('good.yaml', GOOD));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^valid: 1 file, 0 errors, 0 warnings$/m);
  });

  test('GIVEN a filter on an undeclared argument THEN exit 1 with file:line:col: error CODE and the policy path', async () => {
    const file = write('bad.yaml', GOOD.replace('      - index: 0\n        operator', '      - index: 3\n        operator'));
    const r = await validate(file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}:13:16: error DS-TETRA-032 spec.kprobes[0].selectors[0].matchArgs[0].index: matchArgs index 3 refers to no declared argument`);
  });

  test('GIVEN --format json THEN the file kind is TracingPolicy', async () => {
    const r = await validate('--format', 'json', write('good2.yaml', GOOD));
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, files: [{ kind: 'TracingPolicy' }], errors: 0 });
  });
});
