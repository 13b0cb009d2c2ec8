import { LightMap, LightNode, LightPair, LightScalar, LightSeq, Node, SCALAR_STYLE, ScalarType } from './yaml-nodes';

/**
 * A fast reader for the block-style YAML that rules files are written in: block mappings with
 * plain keys, block sequences, plain (also multi-line), single- and double-quoted scalars on one
 * line, literal and folded block scalars, and flow sequences of such scalars, with comments.
 * It builds light nodes (./yaml-nodes.ts) with the values, styles and source ranges the `yaml` library gives
 * with the failsafe schema, several times faster (no token stream, no composer). For anything else
 * (anchors, aliases, tags, flow mappings, explicit keys, directives, several documents, tabs,
 * CR line ends, rarer escapes, or a construct that is an error) it gives up and returns
 * undefined: the caller then parses with the `yaml` library, which also reports the errors.
 * A property test checks that both give the same trees wherever this reader answers.
 */
export function parseBlockSubset(text: string): (Node | null)[] | undefined {
  if (UNSUPPORTED_CHARACTERS.test(text)) return undefined;
  try {
    // light nodes with what the reader uses of the library's (./yaml-nodes.ts)
    return new BlockSubsetParser(text).documents() as unknown as Node[];
  } catch (e) {
    if (e instanceof OutsideSubset) return undefined;
    throw e;
  }
}

const UNSUPPORTED_CHARACTERS = /[\t\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff\u2028\u2029]/;
/** A plain key: letters, digits and `_ . - /`, inner spaces allowed. */
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.\-/ ]*$/;
/** Characters that cannot start a plain scalar here (indicators, or the start of another form). */
const INDICATORS = '-?:,[]{}#&*!|>\'"%@`';

/**
 * Nodes the subset reads nested (rules files nest a few levels); a deeper file is read by the yaml library. A
 * sequence at its key's column adds an uncounted level, so what the subset reads nests at most twice this, far under
 * the depth Falco's reader allows (yaml-documents.ts `MAX_YAML_DEPTH`), which is why its result is not measured again.
 */
export const SUBSET_MAX_DEPTH = 32;

class OutsideSubset extends Error {}

function outside(): never {
  throw new OutsideSubset();
}

interface Line {
  readonly start: number;
  readonly end: number;
  readonly indent: number;
  /** Only spaces. */
  readonly blank: boolean;
  readonly comment: boolean;
}

function scalar(value: string, type: ScalarType, start: number, end: number): LightScalar {
  const node = new LightScalar(value, type);
  node.range = [start, end, end];
  return node;
}

class BlockSubsetParser {
  private readonly lines: Line[] = [];
  /** The next line not read yet. */
  private li = 0;
  /** How deep the node being read nests. */
  private depth = 0;

  constructor(private readonly text: string) {
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      let indent = 0;
      while (start + indent < end && text.charCodeAt(start + indent) === 32) indent++;
      const blank = start + indent === end;
      this.lines.push({ start, end, indent, blank, comment: !blank && text[start + indent] === '#' });
      start = end + 1;
    }
  }

  documents(): LightNode[] {
    this.skipEmpty();
    if (this.li >= this.lines.length) return [];
    const first = this.lines[this.li];
    if (first.indent === 0 && /^(---|\.\.\.|%)/.test(this.text.slice(first.start, first.start + 3))) outside();
    const node = this.blockNode(first.start + first.indent, -1, true);
    this.skipEmpty();
    if (this.li < this.lines.length) outside();
    return [node];
  }

  /** Skips blank and comment lines. */
  private skipEmpty(): void {
    while (this.li < this.lines.length && (this.lines[this.li].blank || this.lines[this.li].comment)) this.li++;
  }

  private isDash(pos: number): boolean {
    if (this.text[pos] !== '-') return false;
    const next = this.text[pos + 1];
    return next === undefined || next === ' ' || next === '\n';
  }

  /** The offset of the `:` that ends a plain key starting at pos, or -1 when the line there is not `key: ...`. */
  private keyColon(pos: number): number {
    const line = this.lines[this.li];
    const first = this.text[pos];
    if (first === '"' || first === "'" || first === '[' || first === '{' || first === '?') return -1;
    for (let p = pos; p < line.end; p++) {
      const c = this.text[p];
      if (c === '#' && this.text[p - 1] === ' ') return -1;
      if (c === ':' && (p + 1 === line.end || this.text[p + 1] === ' ')) {
        if (!PLAIN_KEY.test(this.text.slice(pos, p)) || this.text[p - 1] === ' ') outside();
        return p;
      }
    }
    return -1;
  }

  /** A node starting at pos on the current line, in block context; `ownLine` when it starts its line. */
  private blockNode(pos: number, parentIndent: number, ownLine: boolean): LightNode {
    // Rules files nest a few levels; anything deeper is left to the yaml library (and its depth bound).
    if (++this.depth > SUBSET_MAX_DEPTH) outside();
    try {
      return this.blockNodeAt(pos, parentIndent, ownLine);
    } finally {
      this.depth--;
    }
  }

  private blockNodeAt(pos: number, parentIndent: number, ownLine: boolean): LightNode {
    const column = pos - this.lines[this.li].start;
    if (this.isDash(pos)) {
      if (!ownLine) outside();
      return this.sequence(column);
    }
    if (this.keyColon(pos) >= 0) return this.mapping(column);
    return this.inlineValue(pos, parentIndent);
  }

  private mapping(column: number): LightMap {
    const map = new LightMap();
    const seen = new Set<string>();
    let start = -1;
    let end = 0;
    for (;;) {
      const line = this.lines[this.li];
      const pos = line.start + column;
      const colon = this.keyColon(pos);
      if (colon < 0) outside();
      if (start < 0) start = pos;
      const keyText = this.text.slice(pos, colon);
      if (seen.has(keyText)) outside();
      seen.add(keyText);
      const key = scalar(keyText, SCALAR_STYLE.PLAIN, pos, colon);
      let p = colon + 1;
      while (p < line.end && this.text[p] === ' ') p++;
      let value: LightNode;
      if (p === line.end || this.text[p] === '#') {
        value = this.valueBelow(column, p, true);
      } else {
        if (this.isDash(p) || this.keyColon(p) >= 0) outside();
        value = this.inlineValue(p, column);
      }
      end = (value.range as [number, number, number])[1];
      map.items.push(new LightPair(key, value));
      this.skipEmpty();
      if (this.li >= this.lines.length) break;
      const next = this.lines[this.li];
      if (next.indent < column) break;
      if (next.indent > column || this.isDash(next.start + next.indent)) outside();
    }
    map.range = [start, end, end];
    return map;
  }

  private sequence(column: number): LightSeq {
    const seq = new LightSeq();
    const start = this.lines[this.li].start + column;
    let end = start;
    for (;;) {
      const line = this.lines[this.li];
      const dash = line.start + column;
      if (!this.isDash(dash)) outside();
      let p = dash + 1;
      while (p < line.end && this.text[p] === ' ') p++;
      const item = p === line.end || this.text[p] === '#' ? this.valueBelow(column, p, false) : this.blockNode(p, column, false);
      end = (item.range as [number, number, number])[1];
      seq.items.push(item);
      this.skipEmpty();
      if (this.li >= this.lines.length) break;
      const next = this.lines[this.li];
      if (next.indent < column) break;
      if (next.indent > column) outside();
      if (!this.isDash(next.start + next.indent)) break;
    }
    seq.range = [start, end, end];
    return seq;
  }

  /**
   * The value of a key or sequence entry that has nothing after it on its line: the node on the
   * next lines (more indented, or a sequence at the key's column), else an empty plain scalar.
   */
  private valueBelow(column: number, emptyAt: number, isKey: boolean): LightNode {
    this.li++;
    this.skipEmpty();
    if (this.li < this.lines.length) {
      const next = this.lines[this.li];
      const pos = next.start + next.indent;
      if (next.indent > column) return this.blockNode(pos, column, true);
      if (isKey && next.indent === column && this.isDash(pos)) return this.sequence(column);
    }
    return scalar('', SCALAR_STYLE.PLAIN, emptyAt, emptyAt);
  }

  /** A scalar or flow sequence starting at pos; moves to the line after it. */
  private inlineValue(pos: number, parentIndent: number): LightNode {
    const c = this.text[pos];
    if (c === '"' || c === "'") {
      const node = this.quoted(pos);
      this.endOfLine((node.range as [number, number, number])[1]);
      return node;
    }
    if (c === '[') {
      const node = this.flowSequence(pos, parentIndent);
      this.endOfLine((node.range as [number, number, number])[1]);
      return node;
    }
    if (c === '|' || c === '>') return this.blockScalar(pos, parentIndent);
    return this.plain(pos, parentIndent);
  }

  /** Only spaces and a comment may follow a node on its line; moves to the next line. */
  private endOfLine(pos: number): void {
    const line = this.lines[this.li];
    let p = pos;
    while (p < line.end && this.text[p] === ' ') p++;
    if (p < line.end && !(this.text[p] === '#' && p > pos)) outside();
    this.li++;
  }

  /** A double- or single-quoted scalar on one line (`\\` escapes, or `''` for a quote). */
  private quoted(pos: number): LightScalar {
    const quote = this.text[pos];
    const line = this.lines[this.li];
    let value = '';
    let p = pos + 1;
    let from = p;
    for (;;) {
      if (p >= line.end) outside();
      const c = this.text[p];
      const escaped = quote === '"' ? c === '\\' : c === "'" && this.text[p + 1] === "'";
      if (!escaped && c === quote) break;
      if (escaped) {
        const replacement = quote === '"' ? ESCAPES[this.text[p + 1]] : "'";
        if (replacement === undefined) outside();
        value += this.text.slice(from, p) + replacement;
        p += 2;
        from = p;
        continue;
      }
      p++;
    }
    value += this.text.slice(from, p);
    return scalar(value, quote === '"' ? SCALAR_STYLE.QUOTE_DOUBLE : SCALAR_STYLE.QUOTE_SINGLE, pos, p + 1);
  }

  /** A plain scalar in block context, with its continuation lines (folded); a comment ends it. */
  private plain(pos: number, parentIndent: number): LightScalar {
    let { end, comment } = this.plainLine(pos, this.lines[this.li].end, true);
    let value = this.text.slice(pos, end);
    this.li++;
    let blankLines = 0;
    while (!comment && this.li < this.lines.length) {
      const line = this.lines[this.li];
      if (line.blank) {
        blankLines++;
        this.li++;
        continue;
      }
      if (line.comment || line.indent <= parentIndent) break;
      const from = line.start + line.indent;
      const next = this.plainLine(from, line.end, false);
      value += (blankLines === 0 ? ' ' : '\n'.repeat(blankLines)) + this.text.slice(from, next.end);
      end = next.end;
      comment = next.comment;
      blankLines = 0;
      this.li++;
    }
    return scalar(value, SCALAR_STYLE.PLAIN, pos, end);
  }

  /**
   * The end (spaces trimmed) of the plain text of one line, and whether a comment follows it;
   * the text must not look like anything else.
   */
  private plainLine(from: number, lineEnd: number, first: boolean): { end: number; comment: boolean } {
    const c = this.text[from];
    if (INDICATORS.includes(c) && (first ? !'-?:'.includes(c) || ' \n'.includes(this.text[from + 1] ?? ' ') : true)) outside();
    let end = lineEnd;
    let comment = false;
    for (let p = from; p < lineEnd; p++) {
      const ch = this.text[p];
      if (ch === ':' && (p + 1 === lineEnd || this.text[p + 1] === ' ')) outside();
      if (ch === '#' && this.text[p - 1] === ' ') {
        end = p;
        comment = true;
        break;
      }
    }
    while (end > from && this.text[end - 1] === ' ') end--;
    return { end, comment };
  }

  /** `[a, "b", [c]]`, possibly over several lines (each indented more than the parent). */
  private flowSequence(pos: number, parentIndent: number): LightSeq {
    if (++this.depth > SUBSET_MAX_DEPTH) outside();
    try {
      return this.flowSequenceAt(pos, parentIndent);
    } finally {
      this.depth--;
    }
  }

  private flowSequenceAt(pos: number, parentIndent: number): LightSeq {
    const seq = new LightSeq();
    seq.flow = true;
    let p = pos + 1;
    let expectItem = true;
    let first = true;
    for (;;) {
      p = this.skipFlowSpace(p, parentIndent);
      const c = this.text[p];
      if (c === ']') {
        if (expectItem && !first) outside();
        p++;
        break;
      }
      if (!expectItem) outside();
      first = false;
      let item: LightNode;
      if (c === '[') {
        item = this.flowSequence(p, parentIndent);
      } else if (c === '"' || c === "'") {
        item = this.quoted(p);
      } else {
        item = this.flowPlain(p);
      }
      seq.items.push(item);
      p = this.skipFlowSpace((item.range as [number, number, number])[1], parentIndent);
      if (this.text[p] === ',') {
        p++;
        expectItem = true;
      } else if (this.text[p] === ']') {
        expectItem = false;
      } else {
        outside();
      }
    }
    seq.range = [pos, p, p];
    return seq;
  }

  /** Skips spaces and line breaks inside a flow sequence (no comments there). */
  private skipFlowSpace(pos: number, parentIndent: number): number {
    let p = pos;
    for (;;) {
      const c = this.text[p];
      if (c === ' ') {
        p++;
      } else if (c === '\n') {
        this.li++;
        const line = this.lines[this.li];
        // the closing bracket may stand at the parent's indentation, the items must be indented more
        const closing = line && line.indent === parentIndent && this.text[line.start + line.indent] === ']';
        if (!line || line.blank || line.comment || (line.indent <= parentIndent && !closing)) outside();
        p = line.start + line.indent;
      } else if (c === undefined || c === '#') {
        outside();
      } else {
        return p;
      }
    }
  }

  /** A plain scalar inside a flow sequence, on one line. */
  private flowPlain(pos: number): LightScalar {
    if (INDICATORS.includes(this.text[pos])) outside();
    let p = pos;
    for (;;) {
      const c = this.text[p];
      if (c === ',' || c === ']' || c === '\n') break;
      if (c === undefined || c === '[' || c === '{' || c === '}' || (c === '#' && this.text[p - 1] === ' ')) outside();
      if (c === ':' && ' ,[]{}\n'.includes(this.text[p + 1] ?? ' ')) outside();
      p++;
    }
    let end = p;
    while (this.text[end - 1] === ' ') end--;
    return scalar(this.text.slice(pos, end), SCALAR_STYLE.PLAIN, pos, end);
  }

  /** `|` or `>` with an optional `-`, the content on the lines below, indented more than the parent. */
  private blockScalar(pos: number, parentIndent: number): LightScalar {
    const literal = this.text[pos] === '|';
    let p = pos + 1;
    const strip = this.text[p] === '-';
    if (strip) p++;
    this.endOfLine(p);
    let indent = -1;
    let leadingBlankMax = 0;
    const content: string[] = [];
    let lastContentLine = -1;
    for (let i = this.li; i < this.lines.length; i++) {
      const line = this.lines[i];
      if (line.blank) {
        if (indent < 0) leadingBlankMax = Math.max(leadingBlankMax, line.end - line.start);
        else if (line.end - line.start > indent) outside();
        content.push('');
        continue;
      }
      if (indent < 0) {
        if (line.indent <= parentIndent || line.indent < leadingBlankMax) outside();
        indent = line.indent;
      }
      if (line.indent < indent) break;
      content.push(this.text.slice(line.start + indent, line.end));
      lastContentLine = i;
    }
    if (lastContentLine < 0) outside();
    content.length = lastContentLine - this.li + 1;
    const value = literal ? content.join('\n') : fold(content);
    const last = this.lines[lastContentLine];
    this.li = lastContentLine + 1;
    const end = Math.min(last.end + 1, this.text.length);
    return scalar(strip ? value : `${value}\n`, literal ? SCALAR_STYLE.BLOCK_LITERAL : SCALAR_STYLE.BLOCK_FOLDED, pos, end);
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', '/': '/', 'n': '\n', 't': '\t' };

/** Folds the lines of a `>` scalar: a line break between two text lines becomes a space, except around more-indented lines. */
function fold(lines: readonly string[]): string {
  let out = '';
  let emptyLines = 0;
  let started = false;
  let moreIndented = false;
  for (const line of lines) {
    if (line === '') {
      emptyLines++;
      continue;
    }
    if (line[0] === ' ') {
      moreIndented = true;
      out += '\n'.repeat(started ? emptyLines + 1 : emptyLines);
    } else if (moreIndented) {
      moreIndented = false;
      out += '\n'.repeat(emptyLines + 1);
    } else if (emptyLines === 0) {
      if (started) out += ' ';
    } else {
      out += '\n'.repeat(emptyLines);
    }
    out += line;
    started = true;
    emptyLines = 0;
  }
  return out;
}
