/**
 * README: how to get the exact default rules file the pinned Falco image ships, for `sensors.falco.defaultRules`.
 * The command must name the image the stack deploys (IMAGE_PINS.falco, tag and digest) and the path the node
 * loads the file from (FALCO_DEFAULT_RULES_FILE), so the file checked at synth is the node's.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { IMAGE_PINS } from '../../lib/core/images';
import { FALCO_DEFAULT_RULES_FILE } from '../../lib/falco/sensor/defaults';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');

describe('README: the default rules file of the pinned image', () => {
  test('the command reads the file the node loads from the image the stack deploys', () => {
    const { repository, version, digest } = IMAGE_PINS.falco;
    const command = `docker run --rm --entrypoint cat ${repository}:${version}@${digest} ${FALCO_DEFAULT_RULES_FILE} > falco_rules.yaml`;
    expect(README).toContain(`Get the exact file the pinned image ships with \`${command}\``);
    expect(README).toContain("set `sensors.falco.defaultRules: { file: 'falco_rules.yaml' }`");
  });
});
