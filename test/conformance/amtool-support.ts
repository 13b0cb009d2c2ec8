import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { pinnedTool } from './corpora';
import { renderAlertmanagerConfig } from '../../lib/routing/alertmanager-config';
import type { AlertmanagerPlan } from '../../lib/routing/alertmanager-plan';

/** amtool 0.33.1 (../shared/tools/sid-0.41), the judge of Alertmanager configs and routes. */
export const AMTOOL = pinnedTool('amtool');

export type Config = { receivers: Record<string, unknown>[] } & Record<string, unknown>;

export const workDir = mkdtempSync(join(tmpdir(), 'amtool-'));

/** Writes the config with its `*_file` credentials pointing at placeholder files in a temp dir. */
export function writeConfig(name: string, plan: AlertmanagerPlan): { file: string; config: Config } {
  const dir = join(workDir, name);
  const secretsDir = join(dir, 'secrets');
  for (const mount of plan.secretMounts) {
    mkdirSync(join(secretsDir, mount.secret), { recursive: true });
    for (const key of mount.keys) writeFileSync(join(secretsDir, mount.secret, key), 'https://placeholder.invalid/credential\n');
  }
  const config = renderAlertmanagerConfig(plan, secretsDir) as Config;
  const file = join(dir, 'alertmanager.yml');
  writeFileSync(file, stringify(config, { lineWidth: 0 }));
  return { file, config };
}

export function checkConfig(file: string): { ok: boolean; output: string } {
  const r = spawnSync(AMTOOL, ['check-config', file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** Asserts amtool accepts the config as written. */
export function expectValidConfig(file: string): void {
  const result = checkConfig(file);
  expect(result.output).toContain('SUCCESS');
  expect(result.ok).toBe(true);
}

/**
 * The receivers amtool routes an alert with these labels to. Label values are written in the UTF-8 matcher
 * syntax (double-quoted) that amtool 0.33 parses without falling back to the classic parser.
 */
export function routesFor(file: string, labels: Record<string, string>): string[] {
  const r = spawnSync(AMTOOL, ['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`)],
    { encoding: 'utf8' });
  expect({ status: r.status, warnings: `${r.stdout}${r.stderr}`.split('\n').filter((l) => /level=(WARN|ERROR)/.test(l)) }).toEqual({ status: 0, warnings: [] });
  return r.stdout.trim().split(/,\s*|\n/).filter(Boolean).sort();
}

