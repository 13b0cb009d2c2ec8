import cti from './fixtures/attack-containers.cti.json';
import { ATTACK_CONTAINERS_MATRIX, ATTACK_CONTAINERS_VERSION } from '../../lib/report/mitre';

/**
 * The Containers matrix in lib/report/mitre.ts against mitre/cti: the fixture is extracted by
 * scripts/gen-attack-containers.ts from mitre/cti at tag ATT&CK-v18.1 (commit 421deacb77191b38bdd1bf63268954e93da91365),
 * enterprise-attack/attack-pattern/*.json: every attack-pattern whose x_mitre_platforms has 'Containers', not revoked
 * or deprecated, with its kill_chain_phases of 'mitre-attack'.
 */
const TACTICS: Record<string, string> = {
  'initial-access': 'Initial Access',
  'execution': 'Execution',
  'persistence': 'Persistence',
  'privilege-escalation': 'Privilege Escalation',
  'defense-evasion': 'Defense Evasion',
  'credential-access': 'Credential Access',
  'discovery': 'Discovery',
  'lateral-movement': 'Lateral Movement',
  'impact': 'Impact',
};

describe('the ATT&CK for Containers matrix against mitre/cti', () => {
  test('the fixture is the cited mitre/cti version', () => {
    expect(cti.source).toContain('ATT&CK-v18.1 (commit 421deacb77191b38bdd1bf63268954e93da91365)');
    expect(ATTACK_CONTAINERS_VERSION).toBe('ATT&CK v18.1');
  });

  test('every (tactic, technique, name) of the matrix is one of mitre/cti\'s Containers techniques, and none is missing', () => {
    const expected = cti.techniques.flatMap((t) => t.tactics.map((p) => {
      expect(TACTICS[p]).toBeDefined();
      return `${TACTICS[p]} | ${t.id} | ${t.parentName !== undefined ? `${t.parentName}: ${t.name}` : t.name}`;
    })).sort();
    const ours = ATTACK_CONTAINERS_MATRIX.flatMap(({ tactic, techniques }) => techniques.map((x) => `${tactic} | ${x.id} | ${x.name}`)).sort();
    expect(ours).toEqual(expected);
  });

  test('the tactics are the Containers matrix\'s columns, in its order', () => {
    expect(ATTACK_CONTAINERS_MATRIX.map((t) => t.tactic)).toEqual(Object.values(TACTICS));
  });

  test('facts the earlier hand-typed list (v15) got wrong or lacked are there: Container Service, Create Account, Container CLI/API', () => {
    const ids = (tactic: string) => ATTACK_CONTAINERS_MATRIX.find((t) => t.tactic === tactic)!.techniques.map((x) => x.id);
    expect(ids('Persistence')).toEqual(expect.arrayContaining(['T1136', 'T1136.001', 'T1543.005']));
    expect(ids('Privilege Escalation')).toContain('T1543.005');
    expect(ids('Execution')).toContain('T1059.013');
  });
});
