import type { RE2 } from 're2-wasm';

/**
 * `regex` patterns as libsinsp 0.25 compiles them: a real RE2 (the `re2-wasm` package, loaded on first use) with
 * libsinsp's settings: POSIX syntax, the whole value must match (`RE2::ANCHOR_BOTH`), `^` and `$` also match at line
 * breaks (POSIX syntax without `one_line`). The checker refuses a pattern RE2 refuses, as Falco does at load
 * (`invalid regex pattern: ...`); the evaluator matches with it, in linear time.
 */

/**
 * The first construct of `pattern` that RE2 accepts only outside its POSIX syntax (libsinsp compiles
 * `regex` with `re2::RE2::POSIX`: no Perl classes `\d \s \w`, no `\b`, `\pN`, `\A`, `\z`, `\C`, no
 * `(?...)` groups or flags), or undefined.
 */
function perlOnlySyntax(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const next = pattern[i + 1];
    if (c === '\\') {
      if (next !== undefined && 'dDsSwWbBpPAzC'.includes(next)) return `\\${next}`;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
    } else if (c === '(' && next === '?') {
      return '(?';
    }
  }
  return undefined;
}

/**
 * The pattern with stacked repetitions grouped: POSIX syntax reads `a**`, `a+?` or `a{2}*` as a repetition of the
 * repetition (`(?:a+)?`), where RE2's Perl syntax (re2-wasm's) refuses them or reads `+?` as non-greedy.
 */
export function groupStackedRepetitions(pattern: string): string {
  let out = '';
  const groups: number[] = [];
  let atom: number | undefined; // where the last atom starts in `out`
  let repeated = false; // the last token was a repetition of that atom
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    const bound = c === '{' ? /^\{[0-9]+(,[0-9]*)?\}/.exec(pattern.slice(i))?.[0] : undefined;
    if (c === '*' || c === '+' || c === '?' || bound) {
      const op = bound ?? c;
      if (repeated && atom !== undefined) out = `${out.slice(0, atom)}(?:${out.slice(atom)})`;
      out += op;
      repeated = true;
      i += op.length;
      continue;
    }
    repeated = false;
    let token = c;
    if (c === '\\') {
      token = pattern.slice(i, i + 2);
    } else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') {
        const cls = pattern[j] === '[' && pattern[j + 1] === ':' ? pattern.indexOf(':]', j + 2) : -1;
        j = cls > 0 ? cls + 2 : pattern[j] === '\\' ? j + 2 : j + 1;
      }
      token = pattern.slice(i, j + 1);
    }
    if (c === '(') {
      groups.push(out.length);
      atom = undefined;
    } else if (c === ')') {
      atom = groups.pop();
    } else if (c === '|' || c === '^' || c === '$') {
      atom = undefined;
    } else {
      atom = out.length;
    }
    out += token;
    i += token.length;
  }
  return out;
}

/** A compiled pattern, or RE2's reason for refusing it. */
export type CompiledRegex = { readonly test: (value: string) => boolean } | { readonly problem: string };

let re2: typeof RE2 | undefined;
const checked = new Map<string, string | undefined>();

export function compileRe2(pattern: string): CompiledRegex {
  const perlOnly = perlOnlySyntax(pattern);
  if (perlOnly !== undefined) return { problem: `'${perlOnly}' is not POSIX syntax, which libsinsp compiles regex with (RE2::POSIX)` };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  re2 ??= (require('re2-wasm') as typeof import('re2-wasm')).RE2;
  try {
    const re = new re2(`\\A(?:${groupStackedRepetitions(pattern)})\\z`, 'mu');
    return { test: (value) => re.test(value) };
  } catch (e) {
    // RE2's reason, without the wrapped pattern it quotes
    return { problem: (e as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '').replace(/: \(\?m\)\\A\(\?:.*$/s, '') };
  }
}

/** Why RE2 (as libsinsp sets it up) refuses the pattern, or undefined when it compiles. */
export function regexProblem(pattern: string): string | undefined {
  if (!checked.has(pattern)) {
    const compiled = compileRe2(pattern);
    checked.set(pattern, 'problem' in compiled ? compiled.problem : undefined);
  }
  return checked.get(pattern);
}
