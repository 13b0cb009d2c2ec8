import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderRunbook, runbookPath, writeRunbooks } from '../../lib/investigation/runbook';
import { productDetectionPacks } from '../../lib/packs/build';

const packs = productDetectionPacks({
  namespaces: ['billing', 'checkout', 'identity'],
  owners: { 'runtime': 'platform-security', 'ds-secret-read-unexpected-identity': 'identity-team' },
  responseHooks: { 'ds-crypto-miner-execution': 'kubernetes:terminate' },
});
const rule = (id: string) => packs.rules.find((r) => r.id === id)!;
const settings = { provider: 'eks', cluster: 'prod-1', namespaces: ['billing', 'checkout', 'identity'] } as const;

describe('runbooks', () => {
  test('a syscall rule runbook: meaning, first questions, provider queries, tuning and response', () => {
    const md = renderRunbook(rule('ds-crypto-miner-execution'), settings);
    expect(md.split('\n')[0]).toBe('# DS Crypto Miner Execution');
    expect(md).toContain('| Owner | platform-security |');
    expect(md).toContain('| Confidence | high |');
    expect(md).toContain('| MITRE ATT&CK | mitre_impact, T1496 |');
    expect(md).toContain('3. Was the pod recently redeployed (workload objects created, updated or deleted)?');
    expect(md).toContain('4. Did the image (and so its digest) change in the workload spec?');
    expect(md).toContain('log group /aws/eks/prod-1/cluster');
    expect(md).toContain('Automated response `kubernetes:terminate` is enabled for this rule by name');
    expect(md).toMatchSnapshot();
  });

  test('a k8s audit rule runbook asks first what else the identity did', () => {
    const md = renderRunbook(rule('ds-secret-read-unexpected-identity'), { ...settings, provider: 'aks' });
    const questions = md.split('## First questions')[1].split('##')[0];
    expect(questions).toContain('3. What else did the identity in the alert do?');
    expect(md).toContain('| Owner | identity-team |');
    expect(md).toContain('No automated response');
    expect(md).toContain('```kql\nAKSAudit\n');
  });

  test('writeRunbooks writes one file per rule under runbooks/, named by the runbook ID alerts carry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbooks-'));
    const files = writeRunbooks(dir, packs.rules, { ...settings, provider: 'oke' });
    expect(files).toHaveLength(packs.rules.length);
    expect(readdirSync(join(dir, 'runbooks')).sort()).toEqual(packs.rules.map((r) => `${r.id}.md`).sort());
    expect(runbookPath('ds-write-to-sudoers')).toBe('runbooks/ds-write-to-sudoers.md');
    const oke = readFileSync(join(dir, 'runbooks', 'ds-write-to-sudoers.md'), 'utf8');
    expect(oke).toContain('search "<compartment-ocid>/_Audit"');
    expect(oke).toContain('they were not verified against a live one');
    for (const r of packs.rules) expect(r.output.endsWith(` runbook=${r.id}`)).toBe(true);
  });
});
