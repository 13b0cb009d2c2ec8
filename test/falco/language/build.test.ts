import {
  and, check, list, ConditionBuildError, eq, exists, field, gt, inList, listRef, macro, not, num, or, print, startsWith, str, transform, val,
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
});
