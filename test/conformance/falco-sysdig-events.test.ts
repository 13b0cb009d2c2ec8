import { readdirSync, readFileSync } from 'fs';
import { basename } from 'path';
import { corpusPath } from './corpora';
import {
  Capture, collectFields, COMPOSITE_FIELDS, CURATED_CONDITIONS, evaluatorMatches, mapChecks, mapLimit, printedFields, readCapture,
  sysdigBinary, sysdigFieldNames, sysdigMatches,
} from './falco-sysdig-support';
import { Expr } from '../../lib/falco/language/ast';
import { parseCondition } from '../../lib/falco/language/parser';
import { print } from '../../lib/falco/language/printer';
import { loadRuleFiles } from '../../lib/falco/rules/loader';

/**
 * The evaluator and libsinsp (sysdig 0.41.4, falcosecurity libs 0.23.2) agree, event by event, on which events of
 * the corpus captures match a condition. Events for the evaluator are built from the fields
 * sysdig itself prints for every event (`sysdig -r FILE -p ...`); sysdig then filters each
 * capture with each condition, and the event numbers must be the same.
 *
 * Conditions use only fields sysdig can print for an event (no plugin fields: sysdig runs
 * without plugins).
 */

const MAX_MACROS = 24;

/** Ancestor fields without an index match any ancestor: sysdig cannot print them for an event. */
const UNPRINTABLE_FIELDS = new Set([
  'proc.aname', 'proc.apid', 'proc.aexe', 'proc.aexepath', 'proc.acmdline', 'proc.aenv',
  // resolved host names, compared with custom logic ('=' and '!=' only)
  'fd.cip.name', 'fd.sip.name', 'fd.lip.name', 'fd.rip.name',
]);

function usesOnlyOldForms(expr: Expr, known: ReadonlySet<string>): boolean {
  let ok = true;
  mapChecks(expr, (c) => {
    if (c.kind === 'binaryCheck' && c.right.kind === 'transformer') ok = false;
    if ((c.kind === 'binaryCheck' || c.kind === 'unaryCheck') && c.left.kind !== 'field') ok = false;
    return c;
  });
  for (const f of collectFields(expr)) {
    const printable = COMPOSITE_FIELDS[f.name] !== undefined
      || (known.has(f.name) && f.arg === undefined && !UNPRINTABLE_FIELDS.has(f.name))
      || (f.name === 'proc.aname' && f.arg !== undefined && /^\d+$/.test(f.arg));
    if (!printable) ok = false;
  }
  return ok;
}

/**
 * The macros of the stable upstream rules, expanded by the project's loader (macros and lists),
 * that use only fields sysdig can print: conditions as the rules really use them.
 */
function upstreamMacroConditions(known: ReadonlySet<string>): EventCondition[] {
  const file = corpusPath('falco-rules', 'falco_rules.yaml');
  const loaded = loadRuleFiles([{ name: file, content: readFileSync(file, 'utf8') }]);
  if (!loaded.ok) throw new Error(`${file} does not load`);
  const checkCount = (expr: Expr) => {
    let n = 0;
    mapChecks(expr, (c) => {
      n++;
      return c;
    });
    return n;
  };
  // The richer macros (three checks or more), in file order; capped to keep the run short on 2 cores.
  return [...loaded.ruleset.macros.entries()]
    .filter(([, expr]) => usesOnlyOldForms(expr, known) && checkCount(expr) >= 3)
    .slice(0, MAX_MACROS)
    .map(([name, expr]) => ({ label: `upstream macro ${name}`, filter: print(expr), expr }));
}

interface EventCondition {
  /** The test's name. */
  readonly label: string;
  /** The filter given to sysdig. */
  readonly filter: string;
  readonly expr: Expr;
}

function parsedConditions(): EventCondition[] {
  return CURATED_CONDITIONS.map((text) => ({ label: text, filter: text, expr: parseCondition(text) }));
}

describe('the evaluator agrees with sysdig 0.41.4 on the corpus captures, event by event', () => {
  const handWritten = parsedConditions();
  const macros = upstreamMacroConditions(sysdigFieldNames());
  const conditions = [...handWritten, ...macros];
  const files = readdirSync(corpusPath('scap')).filter((f) => f.endsWith('.scap')).sort().map((f) => corpusPath('scap', f));
  let captures: Capture[] = [];
  let expected: number[][][] = [];

  beforeAll(async () => {
    sysdigBinary();
    const fields = printedFields(conditions);
    captures = await mapLimit(files, 1, (f) => readCapture(f, fields));
    const jobs = conditions.flatMap((c, ci) => files.map((f, fi) => ({ ci, fi, f, filter: c.filter })));
    const results = await mapLimit(jobs, 2, (j) => sysdigMatches(j.f, j.filter));
    expected = conditions.map(() => files.map(() => [] as number[]));
    jobs.forEach((j, i) => {
      expected[j.ci][j.fi] = results[i];
    });
  }, 120_000);

  it('reads every capture and has at least 20 hand-written conditions and 10 upstream macros', () => {
    expect(handWritten.length).toBeGreaterThanOrEqual(20);
    expect(macros.length).toBeGreaterThanOrEqual(10);
    expect(captures).toHaveLength(files.length);
    for (const c of captures) expect(c.events.length).toBeGreaterThan(0);
  });

  it('has conditions that match some events and not others, overall', () => {
    const total = expected.map((perFile) => perFile.reduce((n, m) => n + m.length, 0));
    expect(total.filter((n) => n > 0).length).toBeGreaterThanOrEqual(20);
  });

  it.each(conditions.map((c, i) => [c.label, i] as const))('%s', (_label, index) => {
    const { expr } = conditions[index];
    captures.forEach((capture, fi) => {
      const actual = evaluatorMatches(expr, capture);
      expect({ file: basename(capture.file), matches: actual }).toEqual({ file: basename(capture.file), matches: expected[index][fi] });
    });
  });
});
