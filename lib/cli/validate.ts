import { CommandIo, oneOf, parseCommandLine, parseOrUsage, UsageError } from './args';
import { escapeForTerminal, INPUT_BOUNDS, InputBudget, InputTooLargeError, readFailure } from './input';
import { FALCO_DEFAULT_RULES_NAMES, K8SAUDIT_RULES_NAMES } from '../falco/rules/default-rules-names.generated';
import { formatDiagnostic } from '../falco/rules/diagnostics';
import { loadRuleFiles, PredefinedNames } from '../falco/rules/loader';

/**
 * `detection-stack validate FILE... [--format text|json]`: checks Falco rules files (loaded
 * together, in order, like `falco -r a -r b`) and any other kind of file a registered
 * {@link FileValidator} claims (e.g. Tetragon TracingPolicies). Exit 0 when there is no error
 * (warnings allowed), 1 on any error, 2 on a usage error.
 */

export const VALIDATE_USAGE = 'usage: detection-stack validate FILE... [--after falco|k8saudit] [--format text|json]';

/**
 * `--after falco`: the files are loaded as a node loads them after Falco's default rules (whose macro,
 * list and rule names are known, their content not); `--after k8saudit`: after the k8saudit plugin's rules.
 */
const LOADED_AFTER: Readonly<Record<string, PredefinedNames>> = { falco: FALCO_DEFAULT_RULES_NAMES, k8saudit: K8SAUDIT_RULES_NAMES };

/** A diagnostic as the CLI prints it: `file:line:col: severity CODE message`. */
export interface CliDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** A file given to `validate`. */
export interface ValidatedFile {
  readonly name: string;
  readonly content: string;
}

/**
 * A kind of file `validate` can check besides Falco rules. Validators are asked in order;
 * the first whose `accepts` is true gets the file; files no validator accepts are Falco rules.
 * Register one with {@link registerFileValidator}.
 */
export interface FileValidator {
  /** What it checks, for the summary line, e.g. `TracingPolicy`. */
  readonly kind: string;
  /** Whether the file is of this kind, judged from its content (e.g. `kind: TracingPolicy`). */
  accepts(file: ValidatedFile): boolean;
  /** Checks all the files of this kind, in the order given. */
  validate(files: readonly ValidatedFile[]): readonly CliDiagnostic[];
}

const FILE_VALIDATORS: FileValidator[] = [];

/** Adds a validator for another kind of file (asked before the Falco rules fallback). */
export function registerFileValidator(validator: FileValidator): void {
  if (!FILE_VALIDATORS.some((v) => v.kind === validator.kind)) FILE_VALIDATORS.push(validator);
}

/** The validators registered so far. */
export function fileValidators(): readonly FileValidator[] {
  return FILE_VALIDATORS;
}

/** Falco rules: every file no other validator claims, loaded together in order. */
function falcoRulesValidator(predefined: PredefinedNames | undefined): FileValidator {
  return {
    kind: 'Falco rules',
    accepts: () => true,
    validate: (files) => loadRuleFiles(files, { predefined }).diagnostics,
  };
}

interface ValidateArgs {
  readonly files: readonly string[];
  readonly format: 'text' | 'json';
  readonly after?: PredefinedNames;
}

/** Parses the arguments that follow `validate`; throws a usage error naming the problem. */
export function parseValidateArgs(argv: readonly string[]): ValidateArgs {
  const { values, positionals } = parseCommandLine(argv, { after: { type: 'string' }, format: { type: 'string' } });
  const format = oneOf('format', values.format, ['text', 'json'], 'text');
  const after = values.after === undefined ? undefined : LOADED_AFTER[oneOf('after', values.after, ['falco', 'k8saudit'], 'falco')];
  if (positionals.length === 0) throw new UsageError('give at least one file to validate');
  return { files: positionals, format, after };
}

export type { CommandIo } from './args';

/**
 * The validator's diagnostics for its files. An internal error (a bug, or an input that exhausts a library)
 * does not lose the other files' results: each file is then judged on its own, and the ones that still fail
 * get a `CLI_INTERNAL` diagnostic naming them.
 */
function validateEachOnItsOwn(validator: FileValidator, files: readonly ValidatedFile[]): readonly CliDiagnostic[] {
  try {
    return validator.validate(files);
  } catch {
    return files.flatMap((file) => {
      try {
        return validator.validate([file]);
      } catch (e) {
        const message = `internal error while checking this ${validator.kind} file: ${e instanceof Error ? e.message : String(e)}`;
        return [{ severity: 'error' as const, code: 'CLI_INTERNAL', message, file: file.name, line: 1, col: 1 }];
      }
    });
  }
}

/** Runs `validate`; returns the exit code. */
export function runValidateCommand(argv: readonly string[], io: CommandIo): number {
  const args = parseOrUsage(parseValidateArgs, VALIDATE_USAGE, argv, io);
  if (!args) return 2;
  const diagnostics: CliDiagnostic[] = [];
  const groups = new Map<FileValidator, ValidatedFile[]>();
  const falcoRules = falcoRulesValidator(args.after);
  const budget = new InputBudget(INPUT_BOUNDS.validate);
  for (const name of args.files) {
    let content: string;
    try {
      content = budget.read(name, io.readStdin);
    } catch (e) {
      if (e instanceof InputTooLargeError) {
        diagnostics.push({ severity: 'error', code: e.code, message: `not read: ${e.message}`, file: name, line: 1, col: 1 });
        continue;
      }
      diagnostics.push({ severity: 'error', code: 'RULES_FILE_READ', message: `cannot read the file: ${readFailure(e)}`, file: name, line: 1, col: 1 });
      continue;
    }
    const file = { name, content };
    const validator = FILE_VALIDATORS.find((v) => v.accepts(file)) ?? falcoRules;
    groups.set(validator, [...(groups.get(validator) ?? []), file]);
  }
  for (const [validator, files] of groups) diagnostics.push(...validateEachOnItsOwn(validator, files));
  const order = new Map(args.files.map((f, i) => [f, i]));
  diagnostics.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.col - b.col);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (args.format === 'json') {
    io.stdout(`${JSON.stringify({
      valid: errors === 0,
      files: args.files.map((name) => ({ name, kind: [...groups].find(([, fs]) => fs.some((f) => f.name === name))?.[0].kind ?? 'unreadable' })),
      errors,
      warnings,
      diagnostics: diagnostics.map((d) => ({ file: d.file, line: d.line, col: d.col, severity: d.severity, code: d.code, message: d.message })),
    }, null, 2)}\n`);
  } else {
    for (const d of diagnostics) io.stdout(`${escapeForTerminal(formatDiagnostic(d as Parameters<typeof formatDiagnostic>[0]))}\n`);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    io.stdout(`${errors === 0 ? 'valid' : 'invalid'}: ${plural(args.files.length, 'file')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  }
  return errors === 0 ? 0 : 1;
}

/** The command as the CLI registry lists it. */
export const VALIDATE_COMMAND = {
  usage: VALIDATE_USAGE,
  run: runValidateCommand,
} as const;
