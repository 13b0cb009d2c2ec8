import { readFileSync } from 'fs';
import { join } from 'path';
import { fixtureProps, RULES_DIR } from './fixtures';
import { loadRuleFiles } from '../../lib/falco/rules/loader';
import { buildPackRules, renderPackRulesFile } from '../../lib/packs/build';

const HEADER = '# Generated from lib/packs with rules/fixture-props.json (test/packs/rules-files.test.ts keeps it in sync).\n'
  + '# Build your own with productDetectionPacks(); do not edit by hand.\n';

/** The packaged example rules files: what the packs render for the fixture product. */
function expectedRulesFile(pack: 'runtime' | 'k8s-audit'): string {
  return HEADER + renderPackRulesFile(buildPackRules(fixtureProps()).filter((r) => r.pack === pack));
}

describe.each(['runtime', 'k8s-audit'] as const)('rules/%s/%s.example.yaml', (pack) => {
  const file = join(RULES_DIR, pack, `${pack}.example.yaml`);

  test('is exactly what the pack renders for rules/fixture-props.json (regenerate it when the pack changes)', () => {
    expect(readFileSync(file, 'utf8')).toBe(expectedRulesFile(pack));
  });

  test('loads in Falco\'s order with no diagnostic', () => {
    const result = loadRuleFiles([{ name: file, content: readFileSync(file, 'utf8') }]);
    expect(result.diagnostics).toEqual([]);
    expect(result.ruleset.rules.length).toBe(pack === 'runtime' ? 13 : 9);
  });
});
