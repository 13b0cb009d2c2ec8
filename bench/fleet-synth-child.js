// The process the fleet bench measures: reads a fleet definition (JSON) and synthesizes it to a folder with the
// built package, as `cdk8s synth` of a fleet app does. argv: <fleet.json> <outdir>.
'use strict';
const { readFileSync } = require('fs');
const { Testing } = require('cdk8s');
const { DetectionFleet } = require('../build/cdk8s/detection-fleet');

const [props, outdir] = [JSON.parse(readFileSync(process.argv[2], 'utf8')), process.argv[3]];
const fleet = new DetectionFleet(Testing.app(), props.name, props);
const files = fleet.writeTo(outdir);
process.stdout.write(`${fleet.plan.clusters.length} clusters, ${files.length} files\n`);
