/**
 * `.ci/run` installs the real tools it uses from `../shared/tools` first and stops loudly, with its closing
 * line, when they are missing or cannot be installed: it is copied into a scratch checkout whose `../shared/tools`
 * is absent or holds install scripts that fail, and run there (it stops before installing anything else).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const CI_RUN = path.resolve(__dirname, '..', '..', '.ci', 'run');

/** A scratch `<root>/repo/.ci/run` beside `<root>/shared/tools` holding the given scripts (none: no tools folder). */
function scratchCheckout(tools?: Readonly<Record<string, string>>): { root: string; run: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-run-'));
  fs.mkdirSync(path.join(root, 'repo', '.ci'), { recursive: true });
  const run = path.join(root, 'repo', '.ci', 'run');
  fs.copyFileSync(CI_RUN, run);
  if (tools) {
    fs.mkdirSync(path.join(root, 'shared', 'tools'), { recursive: true });
    for (const [name, body] of Object.entries(tools)) fs.writeFileSync(path.join(root, 'shared', 'tools', name), `#!/usr/bin/env bash\n${body}\n`);
  }
  return { root, run };
}

function ciRun(tools?: Readonly<Record<string, string>>): { status: number | null; stdout: string } {
  const { root, run } = scratchCheckout(tools);
  try {
    const r = spawnSync('bash', [run], { encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, stdout: r.stdout };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe('.ci/run needs the real tools of ../shared/tools and fails loudly without them', () => {
  test('no ../shared/tools: FATAL naming the folder, the closing line, exit 1', () => {
    const r = ciRun();
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FATAL: ../shared/tools not found: the conformance tests need the real tools');
    expect(r.stdout.trim().split('\n').slice(-1)).toEqual(['0 passed, 1 failed']);
    expect(r.stdout).not.toContain('=== npm ci');
  });

  test('install.sh fails: FATAL naming it, nothing else is run', () => {
    const r = ciRun({ 'install.sh': 'exit 3', 'sid-tools.sh': 'echo SID-TOOLS-RAN; exit 0' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FATAL: bash ../shared/tools/install.sh failed: a real tool cannot run');
    expect(r.stdout).not.toContain('SID-TOOLS-RAN');
    expect(r.stdout.trim().split('\n').slice(-1)).toEqual(['0 passed, 1 failed']);
  });

  test('the Alertmanager install fails: FATAL naming sid-tools.sh after install.sh ran', () => {
    const r = ciRun({ 'install.sh': 'echo INSTALL-RAN', 'sid-tools.sh': 'exit 2' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('INSTALL-RAN');
    expect(r.stdout).toContain('FATAL: bash ../shared/tools/sid-tools.sh /opt/sid-tools failed: alertmanager 0.33.1 cannot run');
    expect(r.stdout).not.toContain('=== npm ci');
  });
});
