import { corpusPath } from './corpora';
import { falcoReplay, scratchDir } from './falco-support';
import { RuleEvaluator } from '../../lib/falco/evaluator/evaluator';
import { loadRulesForEvaluation } from '../../lib/falco/evaluator/rules';

/**
 * The README's evaluator "Differences from Falco" that the random differential cannot reach (deployment settings,
 * transformers sysdig 0.41.4 lacks, case folding), each judged by real Falco 0.44.1 replaying a corpus capture: a
 * difference Falco shows stays in the list, a claimed difference Falco does not show is no difference.
 */

const RULES = `- rule: open exit
  desc: every open that returns
  condition: evt.type in (open, openat) and evt.dir = <
  output: "open %fd.name"
  priority: WARNING
  tags: [probe]
- rule: fd types
  desc: the process has fds
  condition: evt.type in (open, openat) and evt.dir = < and fd.types exists
  output: "types %fd.types"
  priority: WARNING
- rule: getopt of no option
  desc: getopt of a list without options is empty
  condition: evt.type in (open, openat) and evt.dir = < and len(getopt(fd.types, "x")) = 0
  output: "types %fd.types"
  priority: WARNING
- rule: icontains folds ASCII
  desc: d
  condition: evt.type = execve and evt.dir = < and proc.name icontains "CAT"
  output: "exec %proc.name"
  priority: WARNING
`;

const OPENS = corpusPath('scap', 'open-multiple-files.scap');
const CAT = corpusPath('scap', 'cat_write.scap');

const scratch = scratchDir('falco-evaluator-differences-');
afterAll(() => scratch.dispose());
const file = scratch.write('rules.yaml', RULES);
const evaluator = new RuleEvaluator(loadRulesForEvaluation([{ name: 'rules.yaml', content: RULES }]).rules, { ruleMatching: 'all' });

async function falcoCounts(capture: string, options: readonly string[] = []): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const a of await falcoReplay(capture, [file], ['-o', 'rule_matching=all', ...options])) counts[a.rule] = (counts[a.rule] ?? 0) + 1;
  return counts;
}
const ourRules = (event: Record<string, unknown>) => evaluator.evaluate(event).map((d) => d.rule);
const OPEN_EVENT = { 'evt.type': 'openat', 'evt.dir': '<', 'fd.name': '/tmp/a', 'fd.types': ['file'] };

describe('the evaluator\'s documented differences from Falco 0.44.1, judged by real Falco', () => {
  test('the capture opens files 13 times, every time with fds of type file: the baseline of the cases below', async () => {
    expect(await falcoCounts(OPENS)).toEqual({ 'open exit': 13, 'fd types': 13 });
    expect(ourRules(OPEN_EVENT)).toEqual(['open exit', 'fd types']);
  });

  test('minimum priority is applied by Falco (priority: error drops every WARNING alert), not by the evaluator: a difference', async () => {
    expect(await falcoCounts(OPENS, ['-o', 'priority=error'])).toEqual({});
    expect(ourRules(OPEN_EVENT)).toContain('open exit');
  });

  test('tag selection is applied by Falco (rules: disable tag), not by the evaluator: a difference', async () => {
    expect(await falcoCounts(OPENS, ['-o', 'rules[0].disable.tag=probe'])).toEqual({ 'fd types': 13 });
    expect(ourRules(OPEN_EVENT)).toContain('open exit');
  });

  test('outputs.rate and max_burst limit nothing in Falco 0.44.1: every alert is printed, as the evaluator reports every match (no difference)', async () => {
    expect(await falcoCounts(OPENS, ['-o', 'outputs.rate=0.0001', '-o', 'outputs.max_burst=1'])).toEqual({ 'open exit': 13, 'fd types': 13 });
  });

  test('a transformer that yields an empty list is missing in Falco too: len(getopt(...)) = 0 never holds (no difference)', async () => {
    const counts = await falcoCounts(OPENS);
    expect(counts['getopt of no option']).toBeUndefined();
    expect(ourRules(OPEN_EVENT)).not.toContain('getopt of no option');
  });

  test('icontains folds ASCII letters in both ("CAT" finds cat)', async () => {
    expect(await falcoCounts(CAT)).toMatchObject({ 'icontains folds ASCII': 1 });
    expect(ourRules({ 'evt.type': 'execve', 'evt.dir': '<', 'proc.name': 'cat' })).toEqual(['icontains folds ASCII']);
  });
});
