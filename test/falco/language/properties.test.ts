import * as fc from 'fast-check';
import {
  and, Expr, FieldOperand, FieldRef, inList, isSafeBareValue, ListLiteral, loadRuleFiles, not, or, parseCondition, print,
  renderRulesYaml, startsWith, eq, str, StringLiteral, stripPositions, TransformerArg, TransformerCall, NO_POSITION, contains, macro,
} from '../../../lib/falco';

const pos = NO_POSITION;
const KEYWORD_LIKE = /^(and|or|not)(?![a-zA-Z0-9])/;

// ---- arbitraries of well-formed ASTs ----

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);
const identifier = word.filter((w) => !KEYWORD_LIKE.test(w));
const fieldName = fc.tuple(word, fc.array(word, { minLength: 1, maxLength: 2 })).map(([a, rest]) => [a, ...rest].join('.'));
/** Any text without NUL: unicode, quotes, backslashes, brackets, commas, blanks. */
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('"', "'", '\\', '(', ')', ',', ' ', '=', '[', ']', '\n', '\t', 'a', 'o', 'r', '%'), maxLength: 10 }),
  fc.constantFrom('x" or proc.name = "y', ') or (a', "' or '1'='1", 'oneof', 'and', '\\', 'a\\', '"\\', 'val(proc.name)', '<NA>'),
).map((s) => s.replace(/\0/g, ''));
const nonEmptyText = anyText.filter((s) => s.length > 0);

const literal = (value: string, canBeBare: boolean): fc.Arbitrary<StringLiteral> =>
  (canBeBare && isSafeBareValue(value) ? fc.boolean() : fc.constant(true)).map((quoted) => ({ kind: 'string' as const, value, quoted, pos }));
const stringLiteral = anyText.chain((v) => literal(v, true));
const numberText = fc.oneof(fc.integer().map(String), fc.nat().map((n) => `0x${n.toString(16)}`));
const numberLiteral = numberText.map((value): StringLiteral => ({ kind: 'string', value, quoted: false, pos }));

const fieldRef: fc.Arbitrary<FieldRef> = fc.tuple(fieldName, fc.option(nonEmptyText, { nil: undefined }))
  .map(([name, arg]) => (arg === undefined ? { kind: 'field' as const, name, pos } : { kind: 'field' as const, name, arg, pos }));

const { operand } = fc.letrec<{ operand: FieldOperand; transformer: TransformerCall }>((tie) => ({
  operand: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fieldRef, tie('transformer')),
  transformer: fc.oneof(
    fc.tuple(fc.constantFrom('tolower', 'toupper', 'b64', 'basename', 'len' as const), tie('operand'))
      .map(([name, arg]): TransformerCall => ({ kind: 'transformer', name, args: [arg], pos })),
    fc.tuple(
      fc.constantFrom('join', 'concat', 'getopt' as const),
      fc.array(fc.oneof(
        tie('operand') as fc.Arbitrary<TransformerArg>,
        anyText.map((value): TransformerArg => ({ kind: 'string', value, quoted: true, pos })),
        numberLiteral as fc.Arbitrary<TransformerArg>,
        fc.array(fc.oneof(fieldRef, anyText.map((value): StringLiteral => ({ kind: 'string', value, quoted: true, pos }))), { maxLength: 3 })
          .map((items): TransformerArg => ({ kind: 'transformerList', items, pos })),
      ), { minLength: 1, maxLength: 3 }),
      fc.option(nonEmptyText, { nil: undefined }),
    ).map(([name, args, arg]): TransformerCall => (arg === undefined ? { kind: 'transformer', name, args, pos } : { kind: 'transformer', name, args, arg, pos })),
  ),
}));

const listLiteral = fc.array(stringLiteral, { maxLength: 4 }).map((items): ListLiteral => ({ kind: 'list', items, pos }));
const listRef = identifier.map((name) => ({ kind: 'listRef' as const, name, pos }));
const valueTransformer = fc.oneof(fieldRef.map((f): TransformerCall => ({ kind: 'transformer', name: 'val', args: [f], pos })),
  fieldRef.map((f): TransformerCall => ({ kind: 'transformer', name: 'tolower', args: [f], pos })));

const check: fc.Arbitrary<Expr> = fc.oneof(
  operand.map((left): Expr => ({ kind: 'unaryCheck', left, op: 'exists', pos })),
  fc.tuple(operand, fc.constantFrom('=', '==', '!=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'regex' as const),
    fc.oneof(stringLiteral, valueTransformer))
    .map(([left, op, right]): Expr => ({ kind: 'binaryCheck', left, op, right, pos, opPos: pos })),
  fc.tuple(operand, fc.constantFrom('<', '<=', '>', '>=' as const), fc.oneof(numberLiteral, valueTransformer))
    .map(([left, op, right]): Expr => ({ kind: 'binaryCheck', left, op, right, pos, opPos: pos })),
  fc.tuple(operand, fc.constantFrom('in', 'intersects', 'pmatch' as const), fc.oneof(listLiteral, listRef, valueTransformer))
    .map(([left, op, right]): Expr => ({ kind: 'binaryCheck', left, op, right, pos, opPos: pos })),
  fc.tuple(operand, fc.constantFrom('=', 'startswith', 'contains', 'glob' as const), fc.constantFrom('oneof', 'anyof', 'allof' as const), fc.oneof(listLiteral, listRef))
    .map(([left, op, modifier, right]): Expr => ({ kind: 'binaryCheck', left, op, modifier, right, pos, opPos: pos })),
  identifier.map((name): Expr => ({ kind: 'macro', name, pos })),
);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    check,
    fc.array(tie('expr'), { minLength: 2, maxLength: 3 }).map((children): Expr => ({ kind: 'and', children, pos })),
    fc.array(tie('expr'), { minLength: 2, maxLength: 3 }).map((children): Expr => ({ kind: 'or', children, pos })),
    tie('expr').map((child): Expr => ({ kind: 'not', child, pos })),
  ),
}));

function fieldsOf(node: unknown, out: FieldRef[] = []): FieldRef[] {
  if (node && typeof node === 'object') {
    if ((node as { kind?: string }).kind === 'field') out.push(node as FieldRef);
    Object.values(node).forEach((v) => fieldsOf(v, out));
  }
  return out;
}

describe('printer and parser (property-based)', () => {
  test('GIVEN any AST WHEN printed and parsed THEN the same AST comes back', () => {
    fc.assert(fc.property(expr, (ast) => {
      const text = print(ast);
      expect(stripPositions(parseCondition(text))).toEqual(stripPositions(ast));
    }), { numRuns: 400 });
  });

  test('positions of parsed fields point at the field name in the text', () => {
    fc.assert(fc.property(expr, (ast) => {
      const text = print(ast);
      for (const f of fieldsOf(parseCondition(text))) expect(text.startsWith(f.name, f.pos.offset)).toBe(true);
    }), { numRuns: 200 });
  });

  test('list items with spaces, commas, parentheses, quotes and backslashes survive printing and parsing', () => {
    fc.assert(fc.property(fc.array(anyText, { maxLength: 6 }), (values) => {
      const parsed = parseCondition(print(inList('fd.name', values)));
      expect(parsed.kind === 'binaryCheck' && parsed.right.kind === 'list' && parsed.right.items.map((i) => i.value)).toEqual(values);
    }), { numRuns: 300 });
  });

  test('GIVEN arbitrary user strings WHEN given to the builder THEN the condition keeps the structure the code built', () => {
    fc.assert(fc.property(anyText, anyText, fc.array(anyText, { maxLength: 3 }), (ns, image, paths) => {
      const built = and(
        macro('spawned_process'),
        or(eq('k8s.ns.name', ns), startsWith('container.image.repository', image)),
        not(inList('fd.name', paths)),
        contains('proc.cmdline', str(ns)),
      );
      const parsed = parseCondition(print(built));
      expect(stripPositions(parsed)).toEqual(stripPositions(built));
      expect(parsed.kind === 'and' && parsed.children.map((c) => c.kind)).toEqual(['macro', 'or', 'not', 'binaryCheck']);
    }), { numRuns: 300 });
  });

  test('user values survive the whole path: builder, rules YAML, loader (resolved condition)', () => {
    fc.assert(fc.property(fc.array(anyText, { minLength: 1, maxLength: 4 }), (namespaces) => {
      const yaml = renderRulesYaml([
        { kind: 'macro', name: 'in_team_ns', condition: print(inList('k8s.ns.name', namespaces)) },
        { kind: 'rule', name: 'r', desc: 'd', condition: print(and(eq('evt.type', 'execve'), macro('in_team_ns'))), output: 'o %proc.name', priority: 'NOTICE' },
      ]);
      const result = loadRuleFiles([{ name: 'gen.yaml', content: yaml }]);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const cond = result.ruleset.rules[0].condition;
      const inCheck = cond.kind === 'and' ? cond.children[1] : undefined;
      expect(inCheck?.kind === 'binaryCheck' && inCheck.right.kind === 'list' && inCheck.right.items.map((i) => i.value)).toEqual(namespaces);
    }), { numRuns: 150 });
  });
});
