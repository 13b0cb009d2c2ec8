import { CommandIo, oneOf, parseCommandLine, parseOrUsage, UsageError } from './args';
import { escapeForTerminal, INPUT_BOUNDS, InputBudget, InputTooLargeError, readFailure, STDIN } from './input';
import { Detection, EvaluatorError, EvaluatorRule, RuleEvaluator, RuleMatching } from '../falco/evaluator/evaluator';
import { checkEventFields, EventsFileError, LocatedEvent, parseEventsText } from '../falco/evaluator/events';
import { loadRulesForEvaluation } from '../falco/evaluator/rules';
import { RuleFileInput } from '../falco/rules/loader';

/**
 * `detection-stack test --rules FILE... --events FILE [--rule-matching first|all] [--format text|json]`:
 * loads Falco rules files in order (like `falco -r a -r b`), runs them over the events with the
 * evaluator, and prints which rule fired on each event.
 */

export const TEST_USAGE = 'usage: detection-stack test --rules FILE... --events FILE [--rule-matching first|all] [--format text|json]';

/** The parsed arguments of `test`. */
export interface TestCommandArgs {
  readonly rules: readonly string[];
  readonly events: string;
  readonly ruleMatching: RuleMatching;
  readonly format: 'text' | 'json';
}

/** One line of `--format json`. */
export interface JsonDetection {
  readonly event: number;
  readonly rule: string;
  readonly priority: string;
  readonly source: string;
  readonly output: string;
}

/** Parses the arguments that follow `test`; throws a usage error naming the problem. */
export function parseTestArgs(argv: readonly string[]): TestCommandArgs {
  const { values, tokens } = parseCommandLine(argv, {
    'rules': { type: 'string', multiple: true },
    'events': { type: 'string', multiple: true },
    'rule-matching': { type: 'string' },
    'format': { type: 'string' },
  }, { rules: 'at least one file' });
  // `--rules a.yaml b.yaml`: the files after --rules, up to the next option, are rules files too (after `--` as well).
  const rules: string[] = [];
  let afterRules = false;
  for (const token of tokens) {
    if (token.kind === 'option') {
      afterRules = token.name === 'rules';
      if (afterRules && token.value !== undefined) rules.push(token.value);
    } else if (token.kind === 'positional') {
      if (!afterRules) throw new UsageError(`unexpected argument '${token.value}' (rules files follow --rules)`);
      rules.push(token.value);
    }
  }
  if ((values.events ?? []).length > 1) throw new UsageError('--events is given twice: give one events file');
  const events = values.events?.[0];
  const ruleMatching = oneOf('rule-matching', values['rule-matching'], ['first', 'all'], 'first');
  const format = oneOf('format', values.format, ['text', 'json'], 'text');
  if (rules.length === 0) throw new UsageError('--rules is required: give the Falco rules files to load, in order');
  if ([...rules, events].filter((f) => f === STDIN).length > 1) {
    throw new UsageError('standard input (-) can be read once: give it to --rules or to --events, not both');
  }
  if (events === undefined) throw new UsageError('--events is required: give a JSON array or JSON lines file of events');
  return { rules, events, ruleMatching, format };
}

/** The events file's text; `file:1:1: error ...` when it cannot be read or is over its bound. */
function readEventsText(file: string, readStdin?: () => string): string | { readonly error: string } {
  try {
    return new InputBudget(INPUT_BOUNDS.testEvents).read(file, readStdin);
  } catch (e) {
    if (e instanceof InputTooLargeError) return { error: `${file}:1:1: error ${e.code} the events file is not read: ${e.message}` };
    return { error: new EventsFileError('EVENTS_EMPTY', file, 1, 1, `cannot read the file: ${readFailure(e)}`).message };
  }
}

/** The rules files' texts, or `file:1:1: error RULES_FILE_READ ...` lines for those that cannot be read. */
function readRulesFiles(paths: readonly string[], readStdin?: () => string): { inputs: RuleFileInput[]; errors: string[] } {
  const inputs: RuleFileInput[] = [];
  const errors: string[] = [];
  const budget = new InputBudget(INPUT_BOUNDS.testRules);
  for (const name of paths) {
    try {
      inputs.push({ name, content: budget.read(name, readStdin) });
    } catch (e) {
      if (e instanceof InputTooLargeError) errors.push(`${name}:1:1: error ${e.code} the rules file is not read: ${e.message}`);
      else errors.push(`${name}:1:1: error RULES_FILE_READ cannot read the rules file: ${readFailure(e)}`);
    }
  }
  return { inputs, errors };
}

function describeDetection(d: Detection): string {
  return `${escapeForTerminal(d.rule)} [${d.priority}] ${escapeForTerminal(d.output)}`;
}

/** Runs `test`; returns the exit code (0: evaluated, 1: bad rules or events, 2: bad arguments). */
export function runTestCommand(argv: readonly string[], io: CommandIo): number {
  const args = parseOrUsage(parseTestArgs, TEST_USAGE, argv, io);
  if (!args) return 2;

  const read = readRulesFiles(args.rules, io.readStdin);
  if (read.errors.length > 0) {
    for (const line of read.errors) io.stderr(`${escapeForTerminal(line)}\n`);
    return 1;
  }
  const loaded = loadRulesForEvaluation(read.inputs);
  for (const line of loaded.warnings) io.stderr(`${escapeForTerminal(line)}\n`);
  if (loaded.errors.length > 0) {
    for (const line of loaded.errors) io.stderr(`${escapeForTerminal(line)}\n`);
    return 1;
  }

  let evaluator: RuleEvaluator;
  try {
    evaluator = new RuleEvaluator(loaded.rules as EvaluatorRule[], { ruleMatching: args.ruleMatching });
  } catch (e) {
    if (!(e instanceof EvaluatorError)) throw e;
    io.stderr(`${escapeForTerminal(`${args.rules.join(',')}: error ${e.message}`)}\n`);
    return 1;
  }

  const eventsText = readEventsText(args.events, io.readStdin);
  if (typeof eventsText !== 'string') {
    io.stderr(`${escapeForTerminal(eventsText.error)}\n`);
    return 1;
  }
  let events: LocatedEvent[];
  try {
    events = parseEventsText(eventsText, args.events);
  } catch (e) {
    if (!(e instanceof EventsFileError)) throw e;
    io.stderr(`${escapeForTerminal(e.message)}\n`);
    return 1;
  }
  const fieldError = checkEventFields(events, eventsText, args.events);
  if (fieldError) {
    io.stderr(`${escapeForTerminal(fieldError.message)}\n`);
    return 1;
  }

  const detections: JsonDetection[] = [];
  const lines: string[] = [];
  events.forEach(({ event, line, source }, index) => {
    const fired = evaluator.evaluate(event, source);
    for (const d of fired) detections.push({ event: index, rule: d.rule, priority: d.priority, source: d.source, output: d.output });
    const where = `event ${index} (${args.events}:${line})`;
    if (fired.length === 0) lines.push(`${where}: no rule fired`);
    else for (const d of fired) lines.push(`${where}: ${describeDetection(d)}`);
  });

  if (args.format === 'json') {
    io.stdout(`${JSON.stringify({ detections }, null, 2)}\n`);
  } else {
    const count = detections.length;
    lines.push(`${events.length} event${events.length === 1 ? '' : 's'}, ${count} detection${count === 1 ? '' : 's'} (rule_matching: ${args.ruleMatching})`);
    io.stdout(`${lines.join('\n')}\n`);
  }
  return 0;
}

/** The `test` command for the CLI's registry. */
export const TEST_COMMAND = {
  usage: TEST_USAGE,
  run: runTestCommand,
} as const;
