import { execFileSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { basename, join } from 'path';
import { corpusPath } from './corpora';
import { FalcoAlert, falcoReplay, scratchDir } from './falco-support';
import {
  Capture, collectFields, CURATED_CONDITIONS, mapLimit, printedFields, readCapture, sysdigBinary,
} from './falco-sysdig-support';
import { conditionPieces, Probe, probesOf } from './replay-probes';
import { fieldKey } from '../../lib/falco/evaluator/compile';
import { Detection, RuleEvaluator, catalogueFieldTypes } from '../../lib/falco/evaluator/evaluator';
import { compileOutput } from '../../lib/falco/evaluator/output';
import { loadRulesForEvaluation } from '../../lib/falco/evaluator/rules';
import { outputFieldRefs } from '../../lib/falco/rules/output';

/**
 * Differential evaluation, judged by real Falco 0.44.1: the upstream rules (falco_rules.yaml, incubating, sandbox),
 * our runtime pack (rules/runtime/runtime.example.yaml) and probe rules are replayed (the rules fire little on these
 * host captures, so probes evaluate their pieces: the curated conditions of falco-sysdig-events, every upstream and
 * pack macro, and every rule's top-level disjuncts or conjunction prefixes, see replay-probes.ts)
 *  - by Falco over every capture of ../shared/corpora/scap (`falco-compat -e`, rule_matching all, evt.num appended to
 *    each alert's output_fields), and
 *  - by our evaluator, loaded by our loader from the same files in the same order, over the same events converted by
 *    sysdig 0.41.4 (`sysdig -r FILE -p` of every field the rules' conditions and outputs use);
 * the detections must be the same, event by event: rule, priority, the rendered output and its output fields.
 *
 * Fields sysdig does not have are the container plugin's (Falco 0.44.1 runs container plugin 0.7.1 here, built
 * without its worker): on these host captures it reports `container.id` and `container.name` `host`, the image
 * fields empty, for every event of a known thread, nothing for the others, and no `k8s.*` value. The events are
 * given those values; the probe rule `Probe every event` prints them for every event, so Falco checks this too.
 *
 * The k8s-audit pack is not replayed: its rules are of source k8s_audit, which this Falco build cannot load (no
 * k8saudit plugin, see ../shared/tools/falco-0.44.1/README.md) and these captures have no audit events.
 */

const RULE_FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];
const PACK_FILE = join(__dirname, '..', '..', 'rules', 'runtime', 'runtime.example.yaml');

const PROBE_OUTPUT = 'probe evt=%evt.type dir=%evt.dir res=%evt.res proc=%proc.name pid=%proc.pid ppid=%proc.ppid parent=%proc.pname '
  + 'gparent=%proc.aname[2] cmd=%proc.cmdline exe=%proc.exe exepath=%proc.exepath tty=%proc.tty fd=%fd.name fdtype=%fd.typechar '
  + 'proto=%fd.l4proto cip=%fd.cip cport=%fd.cport sip=%fd.sip sport=%fd.sport user=%user.name uid=%user.uid loginuid=%user.loginuid '
  + 'container=%container.id cname=%container.name image=%container.image.repository tag=%container.image.tag ns=%k8s.ns.name '
  + 'pod=%k8s.pod.name';

const PRIORITIES = ['DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'];

function probeRulesFile(probes: readonly Probe[]): string {
  const rules = probes.map((p, i) => [
    `- rule: ${JSON.stringify(p.name)}`,
    '  desc: a probe of the replay differential',
    `  condition: ${JSON.stringify(p.condition)}`,
    `  output: ${JSON.stringify(PROBE_OUTPUT)}`,
    `  priority: ${PRIORITIES[i % 8]}`,
  ].join('\n'));
  return `${rules.join('\n')}\n`;
}

const CURATED_PROBES: readonly Probe[] = ['evt.num > 0', ...CURATED_CONDITIONS]
  .map((condition, i) => ({ name: i === 0 ? 'Probe every event' : `Probe ${i}`, condition }));

/** Plugin fields the container plugin extracts; sysdig has none of them. */
const CONTAINER_HOST_VALUES: Readonly<Record<string, string>> = {
  'container.id': 'host',
  'container.name': 'host',
  'container.image.repository': '',
  'container.image.tag': '',
  'container.image.digest': '',
  'container.image': '',
};
const NO_VALUE_PLUGIN_FIELD = /^(k8s\.|container\.)/;

/** Ancestor fields without an index: built from the indexed ones sysdig prints, parent first. */
const ANCESTOR_FIELDS = ['proc.aname', 'proc.apid', 'proc.aexe', 'proc.aexepath', 'proc.acmdline'];
const MAX_ANCESTORS = 12;

/**
 * Falco also runs the rules without an event-type restriction on libsinsp's internal `procinfo` events (the process
 * snapshot at the start of a capture, numbered with the rest). sysdig shows them only with -D, and under -D its filter
 * lets every internal event through, so `exists` cannot be asked about them: they are left out of the comparison,
 * and the test checks that they are the only events Falco saw and sysdig did not print.
 */
const INTERNAL_EVENT_TYPES = ['procinfo'];

interface Comparable {
  readonly priority: string;
  readonly output: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** The text Falco's formatter gives a field in output_fields (JSON null is a missing value). */
function falcoFieldText(v: unknown): string {
  if (v === null || v === undefined) return '<NA>';
  return typeof v === 'string' ? v : String(v);
}

/** Falco's alert text is `<time>: <Priority> <output>`. */
function stripPrefix(output: string): string {
  return output.replace(/^\S+: \S+ /, '');
}

describe('differential evaluation: real Falco 0.44.1 and our evaluator over the corpus captures, event by event', () => {
  const scratch = scratchDir('ds-replay-');
  const upstream = RULE_FILES.map((f) => corpusPath('falco-rules', f));
  const captures = readdirSync(corpusPath('scap')).filter((f) => f.endsWith('.scap')).sort().map((f) => corpusPath('scap', f));
  const eventTypes = [...new Set(captures.flatMap((f) => execFileSync(sysdigBinary(), ['-r', f, '-p', '%evt.type'], { encoding: 'utf8' }).split('\n')))]
    .filter((t) => t !== '').sort();
  const piecesOf = probesOf([...upstream, PACK_FILE].map((f) => readFileSync(f, 'utf8')), eventTypes);
  const probes = scratch.write('probes.yaml', probeRulesFile([...CURATED_PROBES, ...piecesOf]));
  const files = [...upstream, PACK_FILE, probes];
  const loaded = loadRulesForEvaluation(files.map((f) => ({ name: f, content: readFileSync(f, 'utf8') })));
  const evaluator = new RuleEvaluator(loaded.rules, { ruleMatching: 'all' });
  const outputsByRule = new Map(loaded.rules.map((r) => [r.name, r.output]));
  const falco = new Map<string, Map<string, Comparable>>();
  const ours = new Map<string, Map<string, Comparable>>();
  const unseen = new Map<string, Set<string>>();
  let converted: Capture[] = [];

  afterAll(() => scratch.dispose());

  beforeAll(async () => {
    if (loaded.errors.length > 0) throw new Error(`our loader refuses the rules: ${loaded.errors.slice(0, 5).join('; ')}`);
    const wanted = new Set([...printedFields(loaded.rules.filter((r) => r.enabled).map((r) => ({ expr: r.condition }))), 'proc.pid']);
    for (const rule of loaded.rules) for (const f of outputFieldRefs(rule.output)) wanted.add(fieldKey(f.name, f.arg));
    for (const f of loaded.rules.flatMap((r) => collectFields(r.condition))) {
      if (ANCESTOR_FIELDS.includes(f.name) && f.arg === undefined) {
        for (let i = 1; i <= MAX_ANCESTORS; i++) wanted.add(`${f.name}[${i}]`);
      }
    }
    // everything else is printed by sysdig, which refuses a field it does not know (readCapture then throws)
    const printable = [...wanted].filter((k) => !ANCESTOR_FIELDS.includes(k) && !NO_VALUE_PLUGIN_FIELD.test(k));
    // sysdig and Falco run side by side (one process each: the CI machine has 2 cores)
    const [sysdigEvents, alerts] = await Promise.all([
      mapLimit(captures, 1, (f) => readCapture(f, printable)),
      mapLimit(captures, 1, (f) => falcoReplay(f, files, [
        '-o', 'rule_matching=all', '-o', 'append_output[0].suggested_output=false', '-o', 'append_output[1].extra_fields[0]=evt.num',
        '-o', 'append_output[1].extra_fields[1]=evt.type',
      ])),
    ]);
    converted = sysdigEvents;
    for (const capture of converted) {
      const detections = new Map<string, Comparable>();
      for (const raw of capture.events) {
        const event: Record<string, unknown> = { ...raw };
        if (event['proc.pid'] !== undefined) Object.assign(event, CONTAINER_HOST_VALUES);
        for (const name of ANCESTOR_FIELDS) {
          const chain: unknown[] = [];
          for (let i = 1; i <= MAX_ANCESTORS && event[`${name}[${i}]`] !== undefined; i++) chain.push(event[`${name}[${i}]`]);
          if (chain.length > 0) event[name] = chain;
        }
        for (const d of evaluator.evaluate(event)) detections.set(`${String(event['evt.num'])} ${d.rule}`, ourComparable(d, event));
      }
      ours.set(basename(capture.file), detections);
    }
    captures.forEach((f, i) => {
      const file = basename(f);
      const printed = new Set(converted[i].events.map((e) => e['evt.num']));
      const seen = alerts[i].filter((a) => printed.has(a.output_fields['evt.num']));
      unseen.set(file, new Set(alerts[i].filter((a) => !printed.has(a.output_fields['evt.num'])).map((a) => String(a.output_fields['evt.type']))));
      falco.set(file, new Map(seen.map((a) => [`${String(a.output_fields['evt.num'])} ${a.rule}`, falcoComparable(a)])));
    });
  }, 600_000);

  const referencedByRule = new Map<string, string[]>();
  function referenced(rule: string): string[] {
    let keys = referencedByRule.get(rule);
    if (!keys) referencedByRule.set(rule, keys = outputFieldRefs(outputsByRule.get(rule) ?? '').map((f) => fieldKey(f.name, f.arg)));
    return keys;
  }

  const formatters = new Map<string, (event: Record<string, unknown>) => string>();
  const fieldFormatter = (key: string) => {
    let format = formatters.get(key);
    if (!format) formatters.set(key, format = compileOutput(`%${key}`, 'syscall', catalogueFieldTypes));
    return format;
  };

  function ourComparable(d: Detection, event: Record<string, unknown>): Comparable {
    const fields: Record<string, string> = {};
    for (const key of referenced(d.rule)) fields[key] = fieldFormatter(key)(event);
    return { priority: d.priority, output: d.output, fields };
  }

  function falcoComparable(a: FalcoAlert): Comparable {
    const fields: Record<string, string> = {};
    for (const key of referenced(a.rule)) fields[key] = falcoFieldText(a.output_fields[key]);
    return { priority: a.priority, output: stripPrefix(a.output), fields };
  }

  test('the probes cut conditions at their top level only', () => {
    expect(conditionPieces('a and (b or c) and not d')).toEqual(['a', 'a and (b or c)']);
    expect(conditionPieces('(a and b or proc.name in ("x or y", band))')).toEqual(['a and b', 'proc.name in ("x or y", band)']);
    expect(conditionPieces('evt.type = open')).toEqual([]);
    expect(piecesOf.length).toBeGreaterThan(600);
  });

  test('the rules load in both, every field the rules use is printed by sysdig or supplied as the plugin does', () => {
    expect(loaded.errors).toEqual([]);
    expect(loaded.rules.length).toBeGreaterThan(100);
    expect(converted).toHaveLength(captures.length);
    for (const [file, types] of unseen) {
      expect({ file, types: [...types].filter((t) => !INTERNAL_EVENT_TYPES.includes(t)) }).toEqual({ file, types: [] });
    }
  });

  test('Falco fires on every capture, upstream rules included, and the probes exercise the upstream macros and rules', () => {
    const all = [...falco.values()].flatMap((m) => [...m.keys()].map((k) => k.slice(k.indexOf(' ') + 1)));
    for (const [file, detections] of falco) expect({ file, fired: detections.size > 0 }).toEqual({ file, fired: true });
    expect(all).toContain('Unexpected UDP Traffic');
    // 9,589 detections on the 2026-12 corpus: the upstream rules and the pack watch containers and suspicious activity
    // these host captures hardly have, so most come from the probes: 30 curated ones, 22 upstream macros and pieces
    // of 68 upstream and pack rules
    expect(all.length).toBeGreaterThan(8000);
    const probesFired = new Set(all.filter((r) => r.startsWith('Probe')));
    const curated = new Set(CURATED_PROBES.map((p) => p.name));
    expect([...probesFired].filter((r) => curated.has(r)).length).toBeGreaterThan(CURATED_CONDITIONS.length * 0.6);
    expect([...probesFired].filter((r) => r.startsWith('Probe macro ')).length).toBeGreaterThanOrEqual(20);
    expect(new Set([...probesFired].filter((r) => r.startsWith('Probe rule ')).map((r) => r.replace(/ #\d+$/, ''))).size)
      .toBeGreaterThanOrEqual(60);
  });

  test.each(captures.map((f) => basename(f)))('%s: the same detections, event by event', (file) => {
    const theirs = falco.get(file) ?? new Map<string, Comparable>();
    const mine = ours.get(file) ?? new Map<string, Comparable>();
    const keys = [...new Set([...theirs.keys(), ...mine.keys()])].sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    const differences = keys
      .filter((k) => JSON.stringify(theirs.get(k)) !== JSON.stringify(mine.get(k)))
      .map((k) => ({ event: k, falco: theirs.get(k) ?? 'no detection', ours: mine.get(k) ?? 'no detection' }));
    expect(differences.slice(0, 5)).toEqual([]);
    expect(theirs.size).toBeGreaterThan(0);
  });
});
