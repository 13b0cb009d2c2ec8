import { Testing } from 'cdk8s';
import { writeWithKey } from './analytics-support';
import { realTool, run, scratchDir, shipperOf } from './workload-files';
import { DetectionStack } from '../../lib';
import { ANALYTICS_STACKS, TETRAGON_ANALYTICS_STACKS } from '../durable/analytics-fixtures';

/**
 * Every analytics output the shipper can write, judged by the pinned Fluent Bit 5.1.1 (`--dry-run`: it loads the
 * config and checks every output's properties against the plugin's own list). The OCI API key is a throwaway key
 * made here, mounted where the Secret volume would be (moved into the scratch folder with the other absolute paths).
 */
const FLUENT_BIT = realTool('fluent-bit-5.1.1', 'fluent-bit');
const SUCCESS = 'configuration test is successful';
const ENV = {
  NODE_NAME: 'node-1',
  AZURE_BLOB_SAS_TOKEN: 'sv=placeholder',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'x',
  OCI_STREAMING_AUTH_TOKEN: 'placeholder',
  AZURE_LOGS_CLIENT_SECRET: 'placeholder',
  AZURE_LOGS_DCE_URL: 'https://x.westeurope-1.ingest.monitor.azure.com',
  AZURE_LOGS_DCR_ID: 'dcr-00000000000000000000000000000000',
};

function dryRun(file: string): { verdict: 'ok' | 'failed'; output: string } {
  const { status, output } = run(FLUENT_BIT, ['--dry-run', '-c', file], { env: ENV, timeoutMs: 30_000 });
  const problems = output.split('\n').filter((l) => /\[\s*(error|warn)\]/.test(l));
  // azure_blob (the AKS bucket) crashes in its teardown after the check: see fluent-bit-config.test.ts.
  const clean = problems.length === 0 && ((status === 0 && output.includes(SUCCESS)) || /\[engine\] caught signal \(SIGSEGV\)\s*$/.test(output));
  return { verdict: clean ? 'ok' : 'failed', output };
}

const shippers = Object.entries(ANALYTICS_STACKS).map(([name, props]) => [name, shipperOf(new DetectionStack(Testing.app(), name, props))] as const);

test('the stacks under test cover every analytics output', () => {
  expect(shippers.flatMap(([, p]) => p.analytics!.destinations.map((d) => d.kind)).sort())
    .toEqual(['azure-logs-ingestion', 'azure-logs-ingestion', 'cloudwatch-logs', 'oci-log-analytics', 'oci-streaming']);
});

test.each(shippers)('%s: fluent-bit --dry-run accepts the config with its analytics outputs', (name, plan) => {
  const { verdict, output } = dryRun(writeWithKey(plan, scratchDir(`fb-analytics-${name}`)));
  expect(output).not.toMatch(/\[\s*(error|warn)\]/);
  expect(verdict).toBe('ok');
});

const tetragonShippers = Object.entries(TETRAGON_ANALYTICS_STACKS)
  .map(([name, props]) => [name, shipperOf(new DetectionStack(Testing.app(), name, props))] as const);

// Tetragon alerts on the same path: the shipper tags them alerts.tetragon-alerts.<detection> (lib/durable/tetragon-alerts.ts).
test.each(tetragonShippers)('%s: fluent-bit --dry-run accepts the config, and every analytics output but OCI Logging Analytics takes the Tetragon alerts', (name, plan) => {
  const conf = plan.files['fluent-bit.conf'];
  expect(conf).toContain('alerts.tetragon-alerts.shell-in-container');
  const outputs = conf.split(/\n(?=\[)/).filter((s) => /^\[OUTPUT\]\n\s+Name\s+\S+\n\s+Alias\s+analytics-/.test(s));
  expect(outputs.length).toBe(plan.analytics!.destinations.length);
  for (const o of outputs) {
    const alias = /Alias\s+(\S+)/.exec(o)![1];
    const regex = /Match_Regex\s+(\S+)/.exec(o)?.[1];
    const takes = regex !== undefined && new RegExp(regex).test('alerts.tetragon-alerts.shell-in-container');
    expect([alias, takes]).toEqual([alias, alias !== 'analytics-oci-log-analytics']);
  }
  const { verdict, output } = dryRun(writeWithKey(plan, scratchDir(`fb-analytics-${name}`)));
  expect(output).not.toMatch(/\[\s*(error|warn)\]/);
  expect(verdict).toBe('ok');
});

describe('the check has teeth', () => {
  test.each(shippers.filter(([n]) => n === 'oke-analytics' || n === 'aks-analytics'))('%s: an unknown key in an analytics output is refused', (name, plan) => {
    const conf = plan.files['fluent-bit.conf'].replace(/(Alias +analytics-[a-z-]+\n)/, '$1    no_such_key                1\n');
    const { verdict, output } = dryRun(writeWithKey({ ...plan, files: { ...plan.files, 'fluent-bit.conf': conf } }, scratchDir(`fb-analytics-bad-${name}`)));
    expect(output).toMatch(/unknown configuration property 'no_such_key'/);
    expect(verdict).toBe('failed');
  });
});
