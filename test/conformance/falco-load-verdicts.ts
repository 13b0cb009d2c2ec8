import { falcoValidate } from './falco-support';
import { DIAGNOSTIC_CODES } from '../../lib/falco/rules/diagnostics';
import { loadRuleFiles } from '../../lib/falco/rules/loader';

/** The verdicts of our loader and of real Falco on one rules file, in Falco's terms. */

export interface Verdict {
  readonly ok: boolean;
  /** Falco's load-result categories of the errors (ours: every error; Falco: the first, where it stops). */
  readonly categories: readonly string[];
}

export function ourVerdict(name: string, text: string): Verdict {
  const result = loadRuleFiles([{ name, content: text }]);
  const categories = [...new Set(result.diagnostics.filter((d) => d.severity === 'error').map((d) => DIAGNOSTIC_CODES[d.code].falco))].sort();
  return { ok: result.ok, categories };
}

export async function falcoVerdict(path: string): Promise<Verdict & { readonly message?: string }> {
  try {
    const [result] = await falcoValidate([path]);
    const first = result.errors[0];
    return { ok: result.successful, categories: result.errors.map((e) => e.code), ...(first ? { message: first.message } : {}) };
  } catch (e) {
    // Falco stops before printing a load result only for a plugin requirement it cannot meet.
    const text = (e as Error).message;
    if (/Plugin requirement not satisfied|is not compatible with required plugin version/.test(text)) {
      return { ok: false, categories: ['LOAD_ERR_PLUGIN_REQUIREMENT'], message: text.split('\n').slice(-1)[0] };
    }
    throw e;
  }
}

/** Same verdict, and for an invalid file Falco's error category among ours. */
export function agree(ours: Verdict, falco: Verdict): boolean {
  if (ours.ok !== falco.ok) return false;
  if (falco.ok) return true;
  return falco.categories.length > 0 && falco.categories.every((c) => ours.categories.includes(c));
}

/** A short name for a disagreement: what each side said. */
export function signature(ours: Verdict, falco: Verdict): string {
  const side = (v: Verdict) => (v.ok ? 'ok' : `error ${v.categories.join('+')}`);
  return `ours ${side(ours)} / falco ${side(falco)}`;
}
