import { ConditionSyntaxError, parseCondition, print, stripPositions } from '../../../lib/falco';
import { LineIndex } from '../../../lib/falco/language/parser';

const shape = (text: string) => stripPositions(parseCondition(text));

function syntaxError(text: string): ConditionSyntaxError {
  try {
    parseCondition(text);
  } catch (e) {
    if (e instanceof ConditionSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected '${text}' not to parse`);
}

describe('condition parser: grammar', () => {
  test('GIVEN and/or/not WHEN parsed THEN not binds tighter than and, and tighter than or', () => {
    expect(shape('a or b and not c')).toEqual({
      kind: 'or',
      children: [
        { kind: 'macro', name: 'a' },
        { kind: 'and', children: [{ kind: 'macro', name: 'b' }, { kind: 'not', child: { kind: 'macro', name: 'c' } }] },
      ],
    });
  });

  test('a double negation cancels out, as in libsinsp; not( and and( need no blank', () => {
    expect(shape('not not a')).toEqual({ kind: 'macro', name: 'a' });
    expect(shape('not(a)and(b)')).toEqual({ kind: 'and', children: [{ kind: 'not', child: { kind: 'macro', name: 'a' } }, { kind: 'macro', name: 'b' }] });
  });

  test.each([
    ['=', 'proc.name=bash'], ['==', 'proc.name == bash'], ['!=', 'proc.name != bash'],
    ['<', 'proc.pid < 10'], ['<=', 'proc.pid <= 10'], ['>', 'proc.pid > 0x1F'], ['>=', 'proc.pid >= -3'],
    ['contains', 'proc.cmdline contains x'], ['icontains', 'proc.cmdline icontains X'], ['bcontains', 'evt.buffer bcontains 7f454c46'],
    ['startswith', 'fd.name startswith /etc'], ['bstartswith', 'evt.buffer bstartswith 7f45'], ['endswith', 'fd.name endswith .so'],
    ['glob', 'fd.name glob /etc/*'], ['iglob', 'fd.name iglob /ETC/*'], ['regex', "proc.name regex '^ba.h$'"],
    ['in', 'proc.name in (bash, sh)'], ['intersects', 'proc.aname intersects (bash)'], ['pmatch', 'fd.name pmatch (/etc, /usr)'],
  ])('operator %s', (op, text) => {
    const ast = parseCondition(text);
    expect(ast.kind).toBe('binaryCheck');
    expect(ast.kind === 'binaryCheck' && ast.op).toBe(op);
  });

  test('exists, field arguments, dotted argument fields', () => {
    expect(shape('proc.aname[2] exists')).toEqual({ kind: 'unaryCheck', left: { kind: 'field', name: 'proc.aname', arg: '2' }, op: 'exists' });
    expect(shape('jevt.value[/requestObject/kind] = Pod')).toMatchObject({ left: { name: 'jevt.value', arg: '/requestObject/kind' } });
    expect(shape('ka.req.pod.volumes.hostpath["a b]"] = x')).toMatchObject({ left: { arg: 'a b]' } });
    expect(shape('evt.arg.flags contains O_CREAT')).toMatchObject({ left: { name: 'evt.arg.flags' } });
  });

  test('lists: quoted and bare items, empty list, list reference', () => {
    expect(shape('proc.name in (a, "b c", \'d,e\', "(x)")')).toMatchObject({
      right: {
        kind: 'list',
        items: [
          { value: 'a', quoted: false }, { value: 'b c', quoted: true }, { value: 'd,e', quoted: true }, { value: '(x)', quoted: true },
        ],
      },
    });
    expect(shape('proc.name in ()')).toMatchObject({ right: { kind: 'list', items: [] } });
    expect(shape('proc.name in shell_binaries')).toMatchObject({ right: { kind: 'listRef', name: 'shell_binaries' } });
  });

  test('transformers (nested), val(), transformer lists and modifiers', () => {
    expect(shape('tolower(toupper(proc.name)) = bash')).toMatchObject({
      left: { kind: 'transformer', name: 'tolower', args: [{ kind: 'transformer', name: 'toupper', args: [{ kind: 'field', name: 'proc.name' }] }] },
    });
    expect(shape('proc.name = val(proc.pname)')).toMatchObject({ right: { kind: 'transformer', name: 'val', args: [{ name: 'proc.pname' }] } });
    expect(shape('len(proc.args) > 10')).toMatchObject({ left: { name: 'len' }, op: '>', right: { value: '10', quoted: false } });
    expect(shape('join(",", (proc.name, "x", 3)) = a')).toMatchObject({
      left: { args: [{ value: ',', quoted: true }, { kind: 'transformerList', items: [{ kind: 'field' }, { value: 'x' }, { value: '3' }] }] },
    });
    expect(shape('fd.name startswith oneof (/etc, /root)')).toMatchObject({ op: 'startswith', modifier: 'oneof', right: { kind: 'list' } });
    expect(shape('proc.name = oneof and a')).toMatchObject({ kind: 'and', children: [{ right: { value: 'oneof' } }, { name: 'a' }] });
  });

  test('escapes in quoted strings, including the backslash-space quirk', () => {
    expect(shape('proc.cmdline = "a\\"b\\\\c\\n"')).toMatchObject({ right: { value: 'a"b\\c\n' } });
    expect(shape("proc.cmdline = 'it\\'s'")).toMatchObject({ right: { value: "it's" } });
    expect(shape('proc.cmdline contains "\\ "')).toMatchObject({ right: { value: '\\' } });
    expect(shape('fd.name = C:\\dir')).toMatchObject({ right: { value: 'C:\\dir', quoted: false } });
  });

  test('positions: offset, line and column of every node, across lines', () => {
    const ast = parseCondition('evt.type = open\n  and not proc.name in (a,\n   "b")');
    expect(ast.kind).toBe('and');
    if (ast.kind !== 'and') return;
    const not = ast.children[1];
    expect(not.pos).toEqual({ offset: 22, line: 2, col: 7 });
    if (not.kind !== 'not' || not.child.kind !== 'binaryCheck' || not.child.right.kind !== 'list') throw new Error('shape');
    expect(not.child.left.pos).toEqual({ offset: 26, line: 2, col: 11 });
    expect(not.child.opPos).toEqual({ offset: 36, line: 2, col: 21 });
    expect(not.child.right.items[1].pos).toEqual({ offset: 46, line: 3, col: 4 });
  });

  test('printing a parsed upstream-style condition gives text that parses to the same tree', () => {
    const text = 'spawned_process and (proc.name in (shell_binaries) or proc.pname startswith "run c") and not proc.aname[2] = "x y"';
    expect(shape(print(parseCondition(text)))).toEqual(shape(text));
  });
});

describe('condition parser: errors carry a code, libsinsp\'s message and the position', () => {
  test.each([
    ['', 'COND_EMPTY', /filter input string is empty/, 0],
    ['a and (b', 'COND_UNBALANCED_PARENS', /expected a '\)' token/, 8],
    ['a and b)', 'COND_UNBALANCED_PARENS', /unexpected token after 'b', expecting 'or', 'and'/, 7],
    ['proc.name in (a, b', 'COND_UNBALANCED_PARENS', /expected a '\)' token/, 18],
    ['proc.name = "abc', 'COND_UNCLOSED_QUOTE', /unclosed quoted string/, 12],
    ["proc.name in ('a, b)", 'COND_UNCLOSED_QUOTE', /unclosed quoted string/, 14],
    ['proc.name like x', 'COND_UNKNOWN_OPERATOR', /expected a valid check operator: one of 'exists', '<=', .* 'pmatch'/, 10],
    ['proc.name containsx', 'COND_UNKNOWN_OPERATOR', /expected a valid check operator/, 10],
    ['proc.pid > abc', 'COND_SYNTAX', /expected a number value or a field with a valid transformer/, 11],
    ['proc.name = "a\\qb"', 'COND_BAD_ESCAPE', /unsupported string escape sequence: \\q/, 14],
    ['proc.name = "it\\\'s"', 'COND_BAD_ESCAPE', /invalid \\' escape in "-quoted string/, 15],
    ['a andb', 'COND_SYNTAX', /expected blank or '\(' after 'and'/, 5],
    ['proc.aname[2 = x', 'COND_SYNTAX', /expected a ']' token/, 12],
    ['tolower(proc.name = x', 'COND_UNBALANCED_PARENS', /expected a '\)' token closing the transformer/, 18],
    ['proc.name = val(bash)', 'COND_SYNTAX', /expected a field within 'val' transformer/, 16],
    ['= bash', 'COND_SYNTAX', /expected a '\(' token, a field check, or an identifier/, 0],
  ])('%j', (text, code, message, offset) => {
    const err = syntaxError(text);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.pos.offset).toBe(offset);
  });

  test('nesting deeper than the limit is refused', () => {
    expect(() => parseCondition(`${'('.repeat(600)}a${')'.repeat(600)}`)).toThrow(/exceeded max depth limit of 1000/);
  });
});

describe('LineIndex', () => {
  test.each([
    ['LF only', 'a\nbc\n\nd', [[0, 1, 1], [2, 2, 1], [3, 2, 2], [5, 3, 1], [6, 4, 1]]],
    ['CRLF and a lone CR', 'a\r\nbc\rd\n', [[0, 1, 1], [3, 2, 1], [6, 3, 1], [8, 4, 1]]],
  ])('%s: offsets map to 1-based lines and columns', (_, text, expected) => {
    const index = new LineIndex(text as string);
    for (const [offset, line, col] of expected as number[][]) expect(index.position(offset)).toEqual({ offset, line, col });
  });
});
