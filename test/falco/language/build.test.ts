import {
  and, anyOf, check, list, listItem, ConditionBuildError, eq,
  exists, field, gt, inList, listRef, macro, not, num, or, print, startsWith, str, transform, val,
} from '../../../lib/falco';

describe('condition builder and printer', () => {
  test('GIVEN user values WHEN building an in-list check THEN every value is quoted', () => {
    const cond = and(macro('spawned_process'), inList('k8s.ns.name', ['billing', 'checkout']));
    expect(print(cond)).toBe('spawned_process and k8s.ns.name in ("billing", "checkout")');
  });

  test('values with quotes, backslashes, commas and parentheses are escaped', () => {
    expect(print(eq('proc.cmdline', 'sh -c "echo a, (b)"'))).toBe('proc.cmdline = "sh -c \\"echo a, (b)\\""');
    expect(print(eq('fd.name', 'C:\\dir\\'))).toBe('fd.name = "C:\\\\dir\\ "');
    expect(print(eq('proc.name', "it's\n"))).toBe('proc.name = "it\'s\\n"');
  });

  test('numbers stay bare and nested boolean structure is parenthesised', () => {
    const cond = and(or(gt('proc.pid', 1), exists(field('proc.aname', 2))), not(and(macro('a'), macro('b'))));
    expect(print(cond)).toBe('(proc.pid > 1 or proc.aname[2] exists) and not (a and b)');
  });

  test('transformers, val() and list references print in Falco syntax', () => {
    expect(print(eq(transform('tolower', 'proc.name'), val('proc.pname')))).toBe('tolower(proc.name) = val(proc.pname)');
    expect(print(inList('proc.name', listRef('shell_binaries')))).toBe('proc.name in shell_binaries');
    expect(print(startsWith(field('jevt.value', '/stage'), 'Resp'))).toBe('jevt.value[/stage] startswith "Resp"');
    expect(print(eq(field('ka.req.pod.volumes.hostpath', 'a b'), str('x')))).toBe('ka.req.pod.volumes.hostpath["a b"] = "x"');
  });

  test('names that are not names are rejected with a code', () => {
    expect(() => field('proc name')).toThrow(/'proc name' is not a field name/);
    expect(() => macro('a or b')).toThrow(/not a valid macro name/);
    expect(() => listRef('and')).toThrow(ConditionBuildError);
    expect(() => num('12abc')).toThrow(/not a number Falco can read/);
    expect(() => str('a\0b')).toThrow(/NUL character/);
    expect(() => and()).toThrow(/at least one condition/);
    expect(() => check('proc.name', '=', list(['a']))).toThrow(/compares with one value, not a list/);
    expect(() => check('proc.name', 'in', 'a')).toThrow(/needs a list of values/);
    expect(() => check('proc.pid', '<', str('ten'))).toThrow(/compares with a number, not 'ten'/);
    expect(() => eq(val('proc.name'), 'x')).toThrow(/val\(\) can only be the right side/);
  });

  /** The code a builder call throws (it fails when the call does not throw a ConditionBuildError). */
  const codeOf = (build: () => unknown): [string, string] => {
    try {
      build();
    } catch (e) {
      if (e instanceof ConditionBuildError) return [e.code, e.message];
      throw e;
    }
    throw new Error('the builder accepted it');
  };

  test('each refusal has its own registered code', () => {
    expect(codeOf(() => field('proc name'))).toEqual(['BUILD_INVALID_FIELD', expect.stringMatching(/^'proc name' is not a field name/)]);
    expect(codeOf(() => macro('a or b'))).toEqual(['BUILD_INVALID_NAME', expect.stringMatching(/^'a or b' is not a valid macro name/)]);
    expect(codeOf(() => listRef('and'))).toEqual(['BUILD_INVALID_NAME', expect.stringMatching(/^'and' is not a valid list name/)]);
    expect(codeOf(() => transform('rot13' as 'tolower', 'proc.name'))).toEqual(['BUILD_INVALID_NAME', expect.stringMatching(/^'rot13' is not a transformer/)]);
    expect(codeOf(() => num('12abc'))).toEqual(['BUILD_INVALID_VALUE', expect.stringMatching(/^'12abc' is not a number Falco can read/)]);
    expect(codeOf(() => num(Number.NaN))).toEqual(['BUILD_INVALID_VALUE', 'NaN is not a finite number']);
    expect(codeOf(() => str('a\0b'))).toEqual(['BUILD_INVALID_VALUE', expect.stringMatching(/^.* contains a NUL character/)]);
    expect(codeOf(() => field('proc.aname', ''))).toEqual(['BUILD_INVALID_VALUE', expect.stringMatching(/^the argument of field 'proc.aname' must be a non-empty string/)]);
    expect(codeOf(() => listItem('shells', ['bash', 'x)or(proc.name=bash']))).toEqual(['BUILD_INVALID_VALUE', expect.stringMatching(/^item 1 of list 'shells'/)]);
    expect(codeOf(() => check('proc.name', '=', list(['a'])))).toEqual(['BUILD_OPERAND_MISMATCH', "'=' compares with one value, not a list"]);
    expect(codeOf(() => check('proc.name', 'in', 'a'))).toEqual(['BUILD_OPERAND_MISMATCH', "'in' needs a list of values"]);
    expect(codeOf(() => check('proc.pid', '<', str('ten')))).toEqual(['BUILD_OPERAND_MISMATCH', "'<' compares with a number, not 'ten'"]);
    expect(codeOf(() => anyOf('proc.pid', '>', ['1']))).toEqual(['BUILD_OPERAND_MISMATCH', "the modifier 'oneof' does not apply to the numeric operator '>'"]);
    expect(codeOf(() => check('proc.pid', '>', list(['1']), 'anyof'))).toEqual(['BUILD_OPERAND_MISMATCH', "the modifier 'anyof' needs a string operator and a list of values"]);
    expect(codeOf(() => eq(val('proc.name'), 'x'))).toEqual(['BUILD_MISPLACED_VAL', 'val() can only be the right side of a check, not the left side']);
    expect(codeOf(() => and())).toEqual(['BUILD_EMPTY', 'and() needs at least one condition']);
    expect(codeOf(() => or())).toEqual(['BUILD_EMPTY', 'or() needs at least one condition']);
    expect(codeOf(() => transform('len'))).toEqual(['BUILD_EMPTY', 'len() needs at least one argument']);
  });
});
