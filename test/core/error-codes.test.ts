import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { STACK_CHECKS } from '../../lib/checks';
import {
  BUILDER_CODES, CLI_CODES, ERROR_CODES, EVALUATOR_CODES, isRegisteredCode, RULE_LANGUAGE_CODES, STACK_CODE_AREAS,
} from '../../lib/core/error-codes';
import { DetectionStackError } from '../../lib/core/errors';
import { DIAGNOSTIC_CODES } from '../../lib/falco/rules/diagnostics';

/**
 * Registered codes no test produces yet (the list only shrinks): a new code without a test fails below.
 * Both left need ts-node to be missing, which the test runner itself loads TypeScript with: DS-PACK-031
 * (`detection-stack report` of a .ts app) and DS-PULUMI-022 (`detection-stack plan` of an index.ts program).
 */
const NOT_YET_TESTED: string[] = [];

const ROOT = join(__dirname, '..', '..');
const REGISTRY_DIR = 'lib/core/error-codes/';

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(ROOT, dir, name);
    if (statSync(path).isDirectory()) return sources(relative(ROOT, path));
    return path.endsWith('.ts') ? [{ file: relative(ROOT, path), text: readFileSync(path, 'utf8') }] : [];
  });
}

/**
 * The codes a source file names: `DS-<AREA>-<NNN>` anywhere, and the rule-language, evaluator, condition-builder
 * and CLI codes as quoted strings or after `error ` in a message. Falco's own load-result categories (`LOAD_ERR_*`)
 * are not ours.
 */
export function codesIn(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(/\bDS-[A-Z]+-\d{3}\b/g)) found.add(m[0]);
  for (const m of text.matchAll(/(?:['"`]|\berror )((?:RULES|COND|LOAD|OUTPUT|EVENTS|EVAL|BUILD|CLI)_[A-Z0-9_]+)\b/g)) {
    if (!m[1].startsWith('LOAD_ERR_')) found.add(m[1]);
  }
  return found;
}

const lib = sources('lib').filter((s) => !s.file.startsWith(REGISTRY_DIR));
const tests = sources('test').filter((s) => !s.file.endsWith('test/core/error-codes.test.ts'));
const codesOf = (files: { file: string; text: string }[]) => {
  const where = new Map<string, string[]>();
  for (const s of files) for (const c of codesIn(s.text)) where.set(c, [...where.get(c) ?? [], s.file]);
  return where;
};

describe('the error-code registry', () => {
  test('the scanner finds the forms codes take in lib/ and skips Falco\'s categories', () => {
    expect([...codesIn(`throw new DetectionStackError('DS-ROUTE-003', w, p);
      report('error', 'COND_SYNTAX', m); io.stderr(\`error CLI_USAGE \${e}\`); falco: 'LOAD_ERR_YAML_PARSE'; // DS-X-1
      throw new ConditionBuildError('BUILD_EMPTY', m);`)].sort())
      .toEqual(['BUILD_EMPTY', 'CLI_USAGE', 'COND_SYNTAX', 'DS-ROUTE-003']);
  });

  test('every code named in lib/ is registered', () => {
    const unregistered = [...codesOf(lib)].filter(([code]) => !isRegisteredCode(code)).map(([code, files]) => `${code} (${files.join(', ')})`);
    expect(unregistered).toEqual([]);
  });

  test('every registered code is produced somewhere in lib/', () => {
    const used = codesOf(lib);
    expect(Object.keys(ERROR_CODES).filter((code) => !used.has(code))).toEqual([]);
  });

  test('every registered code is produced by a test (named in an assertion of test/), but for the list below', () => {
    const tested = codesOf(tests);
    expect(Object.keys(ERROR_CODES).filter((code) => !tested.has(code) && !NOT_YET_TESTED.includes(code))).toEqual([]);
  });

  test('no code is in two groups, and each DS code sits in the group of its area', () => {
    const groups = [...Object.values(STACK_CODE_AREAS), RULE_LANGUAGE_CODES, EVALUATOR_CODES, BUILDER_CODES, CLI_CODES];
    expect(groups.reduce((n, g) => n + Object.keys(g).length, 0)).toBe(Object.keys(ERROR_CODES).length);
    for (const [area, codes] of Object.entries(STACK_CODE_AREAS)) {
      expect(Object.keys(codes).filter((c) => !c.startsWith(`DS-${area}-`))).toEqual([]);
    }
  });

  test('every entry has a meaning and a fix, written as the messages use them (lower case, no full stop)', () => {
    const badlyWritten = Object.entries(ERROR_CODES).filter(([, e]) => e.meaning.length < 10 || e.fix.length < 5
      || !/^[a-z`@]/.test(e.meaning) || /\.$/.test(e.meaning) || /\.$/.test(e.fix)).map(([code]) => code);
    expect(badlyWritten).toEqual([]);
  });

  test('guardrails take ID, level, title and fix from the registry; warnings and infos are guardrails only', () => {
    for (const check of STACK_CHECKS) {
      const entry = ERROR_CODES[check.id as keyof typeof ERROR_CODES];
      expect({ id: check.id, level: check.level, title: check.title, fix: check.fix })
        .toEqual({ id: check.id, level: entry.level, title: entry.meaning, fix: entry.fix });
    }
    const nonErrorStackCodes = Object.values(STACK_CODE_AREAS).flatMap((g) => Object.entries(g))
      .filter(([, e]) => e.level !== 'error').map(([code]) => code).sort();
    expect(nonErrorStackCodes).toEqual(STACK_CHECKS.filter((c) => c.level !== 'error').map((c) => c.id).sort());
  });

  test('the rule-language codes are the loader\'s DIAGNOSTIC_CODES; Falco\'s warning codes are warnings', () => {
    expect(DIAGNOSTIC_CODES).toBe(RULE_LANGUAGE_CODES);
    for (const [code, e] of Object.entries(RULE_LANGUAGE_CODES)) {
      expect([code, e.level]).toEqual([code, code.startsWith('LOAD_') ? 'warning' : 'error']);
      if (e.level === 'warning') expect([code, e.falco]).toEqual([code, code]);
    }
  });

  test('a DetectionStackError carries the registry level, and its fix unless the caller gives a precise one', () => {
    const general = new DetectionStackError('DS-PROPS-005', 'prod/sensors', 'no runtime sensor is enabled');
    expect(general.level).toBe('error');
    expect(general.fix).toBe(ERROR_CODES['DS-PROPS-005'].fix);
    expect(general.message).toBe('DS-PROPS-005 at prod/sensors: no runtime sensor is enabled. Fix: set sensors.falco and/or sensors.tetragon');
    const precise = new DetectionStackError('DS-ROUTE-001', 'prod/routing.chatThreshold', 'unknown priority \'Hi\'', 'use Critical');
    expect(precise.message).toBe('DS-ROUTE-001 at prod/routing.chatThreshold: unknown priority \'Hi\'. Fix: use Critical');
  });
});
