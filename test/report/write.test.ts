import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { productDetectionPacks } from '../../lib/packs/build';
import type { DetectionPackProps } from '../../lib/packs/props';
import { runbooksOf, writeStackReports } from '../../lib/report/write';
import { planStack } from '../../lib/stack/plan';
import type { DetectionStackProps } from '../../lib/stack/props';

// Runbooks for the pack detections of both sensors: the stack plan gives each enabled one to one sensor
// (plan.packs.sensors), and REPORT.md's runbooks/ follow it.
const PRODUCT: DetectionPackProps = { namespaces: ['checkout', 'billing'], defaultOwner: 'payments', owners: { 'k8s-audit': 'identity' } };
const bound = productDetectionPacks(PRODUCT, 's/packs', 'falco');
const withForm = bound.rules.filter((r) => r.enabled && r.pattern !== undefined);
const withoutForm = bound.rules.filter((r) => r.enabled && r.pattern === undefined).map((r) => r.id);
const bucket: DetectionStackProps['durable'] = { bucket: { name: 'detections-prod', aws: { podIdentity: true } } };

const tetragonOnly = () => planStack({
  cluster: { name: 'prod', provider: 'eks', region: 'us-east-1' },
  sensors: { tetragon: {} },
  packs: { ...PRODUCT, disabledRules: withoutForm },
  durable: bucket,
}, 's');
const bothSensors = () => planStack({
  cluster: { name: 'prod', provider: 'eks', region: 'us-east-1' },
  sensors: {
    falco: {},
    tetragon: { seedPatterns: [] },
    ownership: { detections: [{ pattern: 'crypto-miner', sensor: 'tetragon', alertsTo: ['payments'] }] },
  },
  packs: PRODUCT,
  durable: bucket,
}, 's');

const runbookFiles = (dir: string) => (existsSync(join(dir, 'runbooks')) ? readdirSync(join(dir, 'runbooks')) : []).filter((f) => f.endsWith('.md')).sort();

describe('writeStackReports: runbooks for the pack rules each sensor runs', () => {
  test('Tetragon alone: every pack detection Tetragon runs has its runbook, saying Tetragon runs it', () => {
    expect(withForm.length).toBeGreaterThan(1);
    const plan = tetragonOnly();
    expect(plan.packs!.rules).toEqual([]);
    expect(plan.packs!.tetragonRules.map((r) => r.id)).toEqual(withForm.map((r) => r.id));
    const dir = mkdtempSync(join(tmpdir(), 'report-tetragon-'));
    const written = writeStackReports(dir, [plan]);
    expect(runbookFiles(dir)).toEqual(withForm.map((r) => `${r.id}.md`).sort());
    for (const r of withForm) expect(written).toContain(join(dir, 'runbooks', `${r.id}.md`));
    const miner = withForm.find((r) => r.pattern === 'crypto-miner')!;
    const md = readFileSync(join(dir, 'runbooks', `${miner.id}.md`), 'utf8');
    expect(md.split('\n')[0]).toBe(`# ${miner.name}`);
    expect(md).toContain(`Runbook \`${miner.id}\`: Tetragon runs this rule as its detection \`crypto-miner\`; every alert of it carries the tags \`runbook:${miner.id}\` and \`detection:crypto-miner\`.`);
    expect(md).toContain('| Source | Tetragon detection `crypto-miner` (TracingPolicies; this Falco rule is not loaded) |');
    expect(md).toContain(`| Owner | ${miner.owner} |`);
    expect(md).toContain('Falco exceptions and `allowedImages` / `allowedBinaries` do not reach it');
    expect(md).not.toContain('add a Falco exception');
    expect(md).not.toContain(`ends with \`runbook=${miner.id}\``);
  });

  test('both sensors: the rule given to Tetragon gets a Tetragon runbook, every rule Falco carries a Falco one, each once', () => {
    const plan = bothSensors();
    const dir = mkdtempSync(join(tmpdir(), 'report-both-'));
    writeStackReports(dir, [plan]);
    const miner = bound.rules.find((r) => r.pattern === 'crypto-miner')!;
    expect(plan.packs!.sensors.find((p) => p.id === miner.id)).toEqual({ id: miner.id, rule: miner.name, sensor: 'tetragon', tetragonDetections: ['crypto-miner'] });
    expect(runbookFiles(dir)).toEqual(bound.rules.map((r) => `${r.id}.md`).sort());
    expect(readFileSync(join(dir, 'runbooks', `${miner.id}.md`), 'utf8')).toContain('| Source | Tetragon detection `crypto-miner`');
    const sudoers = readFileSync(join(dir, 'runbooks', 'ds-write-to-sudoers.md'), 'utf8');
    expect(sudoers).toContain('| Source | syscall (Falco runtime sensor) |');
    expect(sudoers).toContain('add a Falco exception for `ds-write-to-sudoers`');
    expect(runbooksOf(plan.packs).map((r) => `${r.rule.id}:${r.by.sensor}`).filter((x) => x.startsWith(miner.id))).toEqual([`${miner.id}:tetragon`]);
  });

  test('the alerts of a Tetragon detection that runs pack rules carry their runbook:<id> tags, in the shipper\'s config too', () => {
    const plan = tetragonOnly();
    const miner = withForm.find((r) => r.pattern === 'crypto-miner')!;
    const alerts = plan.durable!.shipper!.sources.find((s) => s.name === 'tetragon')!.tetragonAlerts!;
    expect(alerts.find((a) => a.detection === 'crypto-miner')!.tags).toContain(`runbook:${miner.id}`);
    const rulesOf = (d: string) => withForm.filter((r) => r.pattern === d).map((r) => `runbook:${r.id}`);
    for (const a of alerts) expect(a.tags.filter((t) => t.startsWith('runbook:'))).toEqual(rulesOf(a.detection));
    expect(plan.durable!.shipper!.files['fluent-bit.conf']).toContain(`"runbook:${miner.id}"`);
  });

  test('a stack without packs writes no pack runbook', () => {
    const plan = planStack({ cluster: { name: 'prod', provider: 'eks', region: 'us-east-1' }, sensors: { tetragon: { productNamespaces: ['billing'] } } }, 's');
    expect(runbooksOf(plan.packs)).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'report-none-'));
    writeStackReports(dir, [plan]);
    expect(runbookFiles(dir)).toEqual([]);
  });
});
