/**
 * fnmatch(3) with flags 0 (as libsinsp's `glob`) and FNM_CASEFOLD (`iglob`): `*` matches any run of
 * characters, `/` included; `?` one character; `[...]` a bracket expression (`!` or `^` negates, ranges,
 * `[:alpha:]` classes); `\` quotes the next character. Matched without backtracking blow-up: one pass
 * over the value that remembers only the last `*` (time at most value length times pattern length).
 */

type GlobToken =
  | { readonly kind: 'char'; readonly c: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'star' }
  | { readonly kind: 'set'; readonly negate: boolean; readonly test: (c: string) => boolean };

const POSIX_CLASSES: Readonly<Record<string, (c: string) => boolean>> = {
  alpha: (c) => /[A-Za-z]/.test(c),
  digit: (c) => /[0-9]/.test(c),
  alnum: (c) => /[A-Za-z0-9]/.test(c),
  upper: (c) => /[A-Z]/.test(c),
  lower: (c) => /[a-z]/.test(c),
  space: (c) => /[ \t\n\v\f\r]/.test(c),
  blank: (c) => c === ' ' || c === '\t',
  punct: (c) => /[!-/:-@[-`{-~]/.test(c),
  xdigit: (c) => /[0-9A-Fa-f]/.test(c),
  // eslint-disable-next-line no-control-regex
  cntrl: (c) => /[\x00-\x1f\x7f]/.test(c),
  print: (c) => /[ -~]/.test(c),
  graph: (c) => /[!-~]/.test(c),
};

function foldAscii(c: string): string {
  return c >= 'A' && c <= 'Z' ? c.toLowerCase() : c;
}

/** A bracket expression starting at `start` (the `[`): its token and the index after it, or undefined when it does not close. */
function parseSet(p: string, start: number, fold: boolean): { token: GlobToken; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  const tests: ((c: string) => boolean)[] = [];
  let first = true;
  while (i < p.length && (first || p[i] !== ']')) {
    first = false;
    if (p[i] === '[' && p[i + 1] === ':') {
      const close = p.indexOf(':]', i + 2);
      const cls = close < 0 ? undefined : POSIX_CLASSES[p.slice(i + 2, close)];
      if (cls) {
        tests.push(cls);
        i = close + 2;
        continue;
      }
    }
    let lo = p[i];
    if (lo === '\\' && i + 1 < p.length) lo = p[++i];
    i++;
    if (p[i] === '-' && i + 1 < p.length && p[i + 1] !== ']') {
      let hi = p[i + 1];
      i += 2;
      if (hi === '\\' && i < p.length) hi = p[i++];
      const [a, b] = [lo, hi];
      tests.push((c) => c >= a && c <= b);
    } else {
      const literal = lo;
      tests.push((c) => c === literal);
    }
  }
  if (i >= p.length) return undefined;
  const matches = (c: string) => tests.some((t) => t(c));
  const test = fold ? (c: string) => matches(c) || matches(c.toLowerCase()) || matches(c.toUpperCase()) : matches;
  return { token: { kind: 'set', negate, test }, end: i + 1 };
}

function tokenize(pattern: string, fold: boolean): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
      i++;
    } else if (c === '[') {
      const set = parseSet(pattern, i, fold);
      if (set) {
        tokens.push(set.token);
        i = set.end;
      } else {
        tokens.push({ kind: 'char', c: '[' });
        i++;
      }
    } else if (c === '\\' && i + 1 < pattern.length) {
      tokens.push({ kind: 'char', c: fold ? foldAscii(pattern[i + 1]) : pattern[i + 1] });
      i += 2;
    } else {
      tokens.push({ kind: 'char', c: fold ? foldAscii(c) : c });
      i++;
    }
  }
  return tokens;
}

function matchesOne(token: GlobToken, c: string, fold: boolean): boolean {
  switch (token.kind) {
    case 'char': return token.c === (fold ? foldAscii(c) : c);
    case 'any': return true;
    case 'set': return token.test(c) !== token.negate;
    case 'star': return false;
  }
}

/** A matcher of whole values against an fnmatch pattern. */
export function compileGlob(pattern: string, caseInsensitive = false): (value: string) => boolean {
  const tokens = tokenize(pattern, caseInsensitive);
  return (value) => {
    let p = 0;
    let i = 0;
    let starAt = -1;
    let resumeAt = 0;
    while (i < value.length) {
      const token = tokens[p];
      if (token?.kind === 'star') {
        starAt = p++;
        resumeAt = i;
      } else if (token && matchesOne(token, value[i], caseInsensitive)) {
        p++;
        i++;
      } else if (starAt >= 0) {
        p = starAt + 1;
        i = ++resumeAt;
      } else {
        return false;
      }
    }
    while (tokens[p]?.kind === 'star') p++;
    return p === tokens.length;
  };
}

/** Whether a pattern has glob syntax at all (a `pmatch` component without it compares as text). */
export function hasGlobSyntax(pattern: string): boolean {
  return /[?*[]/.test(pattern);
}
