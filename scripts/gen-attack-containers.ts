/**
 * Extracts the MITRE ATT&CK for Containers matrix from a checkout of mitre/cti into
 * test/report/fixtures/attack-containers.cti.json: every technique and sub-technique whose
 * `x_mitre_platforms` contains `Containers` (not revoked, not deprecated), with its ATT&CK name,
 * its parent's name (sub-techniques) and its tactics (`kill_chain_phases` of `mitre-attack`).
 * The test `test/report/attack-matrix.test.ts` holds `lib/report/mitre.ts` to this file.
 *
 * Usage: npx ts-node --transpile-only scripts/gen-attack-containers.ts CTI_CHECKOUT VERSION COMMIT
 *   (CTI_CHECKOUT holds enterprise-attack/attack-pattern/*.json of the tag VERSION, e.g. `ATT&CK-v18.1`)
 */
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

interface StixPattern {
  readonly type: string;
  readonly name: string;
  readonly revoked?: boolean;
  readonly x_mitre_deprecated?: boolean;
  readonly x_mitre_platforms?: readonly string[];
  readonly external_references: readonly { readonly source_name: string; readonly external_id?: string }[];
  readonly kill_chain_phases?: readonly { readonly kill_chain_name: string; readonly phase_name: string }[];
}

const [checkout, version, commit] = process.argv.slice(2);
if (!checkout || !version || !commit) {
  process.stderr.write('usage: gen-attack-containers.ts CTI_CHECKOUT VERSION COMMIT\n');
  process.exit(2);
}
const dir = join(checkout, 'enterprise-attack', 'attack-pattern');
const patterns = readdirSync(dir).filter((f) => f.endsWith('.json'))
  .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { objects: StixPattern[] }).objects)
  .filter((o) => o.type === 'attack-pattern' && o.revoked !== true && o.x_mitre_deprecated !== true);
const idOf = (o: StixPattern) => o.external_references.find((r) => r.source_name === 'mitre-attack')?.external_id ?? '';
const nameById = new Map(patterns.map((o) => [idOf(o), o.name]));
const techniques = patterns.filter((o) => (o.x_mitre_platforms ?? []).includes('Containers')).map((o) => {
  const id = idOf(o);
  const parent = id.includes('.') ? nameById.get(id.split('.')[0]) : undefined;
  return {
    id,
    name: o.name,
    ...(parent !== undefined ? { parentName: parent } : {}),
    tactics: (o.kill_chain_phases ?? []).filter((k) => k.kill_chain_name === 'mitre-attack').map((k) => k.phase_name).sort(),
  };
}).sort((a, b) => a.id.localeCompare(b.id));
const out = {
  source: `mitre/cti ${version} (commit ${commit}), enterprise-attack/attack-pattern/*.json, platform Containers`,
  techniques,
};
writeFileSync(join(__dirname, '..', 'test', 'report', 'fixtures', 'attack-containers.cti.json'), `${JSON.stringify(out, null, 2)}\n`);
