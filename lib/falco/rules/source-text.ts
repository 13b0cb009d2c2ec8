import { Scalar, SCALAR_STYLE } from './yaml-nodes';
import { LineIndex } from '../language/parser';

/** A file given to the loader, with line/column lookup. */
export class SourceFile {
  private readonly lines: LineIndex;
  constructor(readonly name: string, readonly text: string) {
    this.lines = new LineIndex(text);
  }
  position(offset: number): { readonly line: number; readonly col: number } {
    const p = this.lines.position(Math.max(0, Math.min(offset, this.text.length)));
    return { line: p.line, col: p.col };
  }
}

/** A place in a file. */
export interface SourceRef {
  readonly file: SourceFile;
  readonly offset: number;
}

/** A text (a condition, an output) that knows where each of its characters comes from. */
export interface MappedText {
  readonly text: string;
  at(offset: number): SourceRef;
  /** The file a character comes from: `at(offset).file`, without working out the offset. */
  fileAt(offset: number): SourceFile;
  /**
   * Where the YAML value holding this offset starts (its first character, quote or block indicator): where Falco
   * places a problem of a whole value, such as an output it cannot compile.
   */
  valueAt?(offset: number): SourceRef;
  /** The list whose items Falco pasted at this offset (a condition after list substitution). */
  pastedBy?(offset: number): string | undefined;
}

/** A text whose characters all map to one place (e.g. a condition generated from an exception). */
export function textAt(text: string, ref: SourceRef): MappedText {
  return { text, at: () => ref, fileAt: () => ref.file };
}

/**
 * The value of a YAML scalar mapped back to the file. Folding (plain multi-line, `>`), block
 * indentation (`|`, `>`) and quoting only change whitespace and escapes, so the characters of
 * the value appear in the source in the same order: each one is matched to the next equal
 * source character; whitespace maps to where the next character is looked for.
 */
export function scalarText(file: SourceFile, scalar: Scalar, value: string): MappedText {
  const [start, end] = scalar.range ?? [0, 0];
  let from = start;
  if (scalar.type === SCALAR_STYLE.BLOCK_FOLDED || scalar.type === SCALAR_STYLE.BLOCK_LITERAL) {
    const headerEnd = file.text.indexOf('\n', start);
    from = headerEnd < 0 || headerEnd > end ? start : headerEnd + 1;
  } else if (scalar.type === SCALAR_STYLE.QUOTE_DOUBLE || scalar.type === SCALAR_STYLE.QUOTE_SINGLE) {
    from = start + 1;
  }
  let offsets: number[] | undefined;
  // computed on first use: positions are only needed for diagnostics
  const compute = (): number[] => {
    const out = new Array<number>(value.length + 1);
    let p = from;
    for (let k = 0; k < value.length; k++) {
      const c = value[k];
      if (c === ' ' || c === '\n' || c === '\t') {
        out[k] = p;
        continue;
      }
      let q = p;
      while (q < end && file.text[q] !== c) q++;
      if (q < end) p = q;
      out[k] = p;
      if (q < end) p++;
    }
    out[value.length] = Math.min(p, end);
    return out;
  };
  return {
    text: value,
    at: (offset) => {
      offsets ??= compute();
      return { file, offset: offsets[Math.max(0, Math.min(offset, value.length))] };
    },
    valueAt: () => ({ file, offset: start }),
    fileAt: () => file,
  };
}

/** Two texts joined by a separator (Falco appends conditions with a space). */
export function joinTexts(a: MappedText, b: MappedText, separator = ' '): MappedText {
  const cut = a.text.length + separator.length;
  const part = (offset: number): [MappedText, number] => (offset < a.text.length ? [a, offset] : [b, Math.max(0, offset - cut)]);
  return {
    text: a.text + separator + b.text,
    at: (offset) => (offset < a.text.length ? a.at(offset) : offset < cut ? b.at(0) : b.at(offset - cut)),
    fileAt: (offset) => {
      const [text, at] = part(offset);
      return text.fileAt(at);
    },
    valueAt: (offset) => {
      const [text, at] = part(offset);
      return text.valueAt?.(at) ?? text.at(at);
    },
  };
}
