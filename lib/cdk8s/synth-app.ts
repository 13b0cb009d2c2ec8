import { App, AppProps } from 'cdk8s';
import { DetectionStack } from './detection-stack';
import { formatFinding } from '../checks/run';
import { capturesDefinitionErrors } from '../core/app-run';
import { DetectionStackError } from '../core/errors';

/** How cdk8s words the error of a failed construct validation (our guardrail errors). */
const VALIDATION_FAILED = 'Validation failed with the following errors:';

/**
 * Builds and synthesizes a cdk8s app (call it from an app's main file). A bad definition, a
 * `DetectionStackError` at construction or a guardrail error at synth, is printed as its message alone
 * and the process exits with 1, so `cdk8s synth` in CI shows what to fix instead of a stack trace.
 * Every warning finding of the app's stacks (code, place, fix) is printed on stderr first, as cdk-nag
 * prints its annotations; REPORT.md keeps them too. Any other error is a bug and is rethrown as is.
 */
export function synthApp(build: (app: App) => void, props?: AppProps): void {
  try {
    const app = new App(props);
    build(app);
    for (const line of warningLines(app)) process.stderr.write(`${line}\n`);
    app.synth();
  } catch (e) {
    const message = definitionError(e);
    if (message === undefined || capturesDefinitionErrors()) throw e;
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
  }
}

/** The message of an error in a stack definition, or undefined for any other error. */
export function definitionError(e: unknown): string | undefined {
  if (e instanceof DetectionStackError || (e as Error)?.name === 'DetectionStackError') return `error ${(e as Error).message}`;
  if (e instanceof Error && e.message.startsWith(VALIDATION_FAILED)) {
    return `synth failed, the stack breaks guardrails:${e.message.slice(VALIDATION_FAILED.length)}`;
  }
  return undefined;
}

/** `WARNING <code> at <path>: <message>. Fix: <fix>` for every warning finding of the app's stacks, in construct order. */
export function warningLines(app: App): string[] {
  return app.node.findAll()
    .filter((c): c is DetectionStack => c instanceof DetectionStack)
    .flatMap((stack) => stack.checks.findings.filter((f) => f.level === 'warning').map(formatFinding));
}
