import { readFileSync } from 'fs';
import * as path from 'path';

// @pulumi/pulumi declares the Node versions it supports in its package.json (engines.node, ">=22" in 3.270);
// `npm test` runs on such a Node (scripts/node22.js), and the package promises no less.
const ROOT = path.join(__dirname, '..', '..');
const minimum = (range: string): number => Number(/>=\s*(\d+)/.exec(range)?.[1] ?? NaN);
const sdk = JSON.parse(readFileSync(require.resolve('@pulumi/pulumi/package.json'), 'utf8')) as { engines: { node: string } };
const ours = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };

test('the Pulumi tests run on a Node the Pulumi SDK supports', () => {
  expect(minimum(sdk.engines.node)).toBe(22);
  expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(minimum(sdk.engines.node));
});

test('the package engines promise no Node older than the Pulumi SDK supports', () => {
  expect(minimum(ours.engines.node)).toBeGreaterThanOrEqual(minimum(sdk.engines.node));
});
