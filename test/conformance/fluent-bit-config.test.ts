import { generatedStacks, realTool, run, scratchDir, shipperOf, writeShipperConfig } from './workload-files';

/**
 * Every generated Fluent Bit config passes `fluent-bit --dry-run` of the pinned 5.1.1, with only its absolute
 * paths moved into a scratch folder. With an azure_blob output, 5.1.1 crashes in the plugin's teardown after the
 * check (plugins/out_azure_blob/azure_blob.c, exit callback on a NULL context) and before it prints its success
 * line: the verdict is then read from what it printed before the crash, where every config error is reported.
 */
const FLUENT_BIT = realTool('fluent-bit-5.1.1', 'fluent-bit');
const SUCCESS = 'configuration test is successful';
const AZURE_BLOB_TEARDOWN_CRASH = /\[engine\] caught signal \(SIGSEGV\)\s*$/;
// Credentials are `${ENV}` references in the config; placeholders stand in (no secret exists here).
const ENV = { NODE_NAME: 'node-1', AZURE_BLOB_SAS_TOKEN: 'sv=placeholder', AZURE_BLOB_SHARED_KEY: 'cGxhY2Vob2xkZXI=', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' };

function dryRun(file: string): { verdict: 'ok' | 'failed'; output: string } {
  const { status, output } = run(FLUENT_BIT, ['--dry-run', '-c', file], { env: ENV, timeoutMs: 30_000 });
  const problems = output.split('\n').filter((l) => /\[\s*(error|warn)\]/.test(l));
  const clean = problems.length === 0 && ((status === 0 && output.includes(SUCCESS)) || AZURE_BLOB_TEARDOWN_CRASH.test(output));
  return { verdict: clean ? 'ok' : 'failed', output };
}

const shippers = generatedStacks().filter((s) => s.chart.plan.durable?.shipper).map((s) => [s.name, shipperOf(s.chart)] as const);

test('the stacks under test cover every shipper output: s3 (EKS), s3 with an endpoint (OKE), azure_blob with SAS and shared key (AKS)', () => {
  const kinds = shippers.map(([, p]) => (p.destination.kind === 's3' ? `s3${p.destination.endpoint ? '+endpoint' : ''}` : `azure_blob/${p.destination.auth}`));
  expect(new Set(kinds)).toEqual(new Set(['s3', 's3+endpoint', 'azure_blob/sas', 'azure_blob/key']));
});

test.each(shippers)('%s: fluent-bit --dry-run accepts the generated config', (name, plan) => {
  const { verdict, output } = dryRun(writeShipperConfig(plan, scratchDir(`fb-${name}`)));
  expect(output).not.toMatch(/\[\s*(error|warn)\]/);
  expect(verdict).toBe('ok');
});

describe('the check has teeth', () => {
  test.each(shippers.filter(([n]) => ['eks-teams', 'aks-blob-sas'].includes(n)))('%s: an unknown key in the output is refused', (name, plan) => {
    const dir = scratchDir(`fb-bad-${name}`);
    const bad = { ...plan, files: { ...plan.files, 'fluent-bit.conf': plan.files['fluent-bit.conf'].replace(/(\[OUTPUT\]\n)/, '$1    no_such_key                1\n') } };
    const { verdict, output } = dryRun(writeShipperConfig(bad, dir));
    expect(output).toMatch(/unknown configuration property 'no_such_key'/);
    expect(verdict).toBe('failed');
  });
});
