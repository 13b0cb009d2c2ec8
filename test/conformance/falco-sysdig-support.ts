import { execFile, execFileSync } from 'child_process';
import { corpusPath, pinnedTool } from './corpora';
import { Expr, FieldOperand, FieldRef, Operand, TransformerArg } from '../../lib/falco/language/ast';

/** Shared helpers of the conformance tests against sysdig 0.41.4 (falcosecurity libs 0.23.2). */

export function sysdigBinary(): string {
  return pinnedTool('sysdig');
}

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs sysdig with arguments (no shell: conditions go through as they are). */
export function runSysdig(args: readonly string[]): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(sysdigBinary(), [...args], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Maps over items with at most `limit` promises in flight (the CI machine has 2 cores). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The field names this sysdig knows (`sysdig -l`). */
export function sysdigFieldNames(): ReadonlySet<string> {
  const text = execFileSync(sysdigBinary(), ['-l'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^([a-z][a-zA-Z0-9_.]*[a-zA-Z0-9_])(\[[^\]]*\])?\s/.exec(line);
    if (m) names.add(m[1]);
  }
  return names;
}

/** The smallest capture: enough for sysdig to compile a filter and run it. */
export function compileCapture(): string {
  return corpusPath('scap', 'syscall.scap');
}

/**
 * Compiles a condition with sysdig: accepted, or rejected with sysdig's message. sysdig 0.41 may exit 0
 * and print `filter error at ...` on a bad filter, so anything on stderr counts as a rejection.
 */
export async function sysdigCompiles(condition: string): Promise<{ readonly accepted: boolean; readonly message: string }> {
  const r = await runSysdig(['-r', compileCapture(), '-p', '%evt.num', condition]);
  return { accepted: r.code === 0 && r.stderr.trim() === '', message: `${r.stdout}${r.stderr}`.trim().split('\n').slice(-1)[0] ?? '' };
}

/** Every field reference in a condition, transformer arguments included. */
export function collectFields(expr: Expr | FieldOperand | Operand | TransformerArg, out: FieldRef[] = []): FieldRef[] {
  switch (expr.kind) {
    case 'and': case 'or': expr.children.forEach((c) => collectFields(c, out)); break;
    case 'not': collectFields(expr.child, out); break;
    case 'unaryCheck': collectFields(expr.left, out); break;
    case 'binaryCheck': collectFields(expr.left, out); collectFields(expr.right, out); break;
    case 'field': out.push(expr); break;
    case 'transformer': expr.args.forEach((a) => collectFields(a, out)); break;
    case 'transformerList': expr.items.forEach((a) => collectFields(a, out)); break;
    default: break;
  }
  return out;
}

/** Rebuilds a condition bottom-up, letting `rewrite` replace checks. */
export function mapChecks(expr: Expr, rewrite: (check: Expr) => Expr): Expr {
  switch (expr.kind) {
    case 'and': case 'or': return { ...expr, children: expr.children.map((c) => mapChecks(c, rewrite)) };
    case 'not': return { ...expr, child: mapChecks(expr.child, rewrite) };
    default: return rewrite(expr);
  }
}
