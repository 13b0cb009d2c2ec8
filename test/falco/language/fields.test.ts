import {
  checkCondition, fieldsOf, isKnownSource, KNOWN_SOURCES, lookupField, outputFieldProblems, outputFieldRefs, parseCondition, suggestFields,
} from '../../../lib/falco';

describe('field catalogue', () => {
  test('knows the syscall (with container and k8smeta plugin fields), k8s_audit and aws_cloudtrail sources', () => {
    expect([...KNOWN_SOURCES].sort()).toEqual(['aws_cloudtrail', 'k8s_audit', 'syscall']);
    expect(isKnownSource('okta')).toBe(false);
    expect(lookupField('syscall', 'proc.pid')?.field).toEqual({ name: 'proc.pid', type: 'INT64', isList: false, arg: 'none' });
    expect(lookupField('syscall', 'container.image.repository')?.field.type).toBe('CHARBUF');
    expect(lookupField('syscall', 'k8smeta.pod.label')?.field).toMatchObject({ arg: 'required', argForms: ['key'] });
    expect(lookupField('k8s_audit', 'ka.req.pod.containers.image')?.field).toMatchObject({ isList: true });
    expect(lookupField('k8s_audit', 'jevt.value')?.field.arg).toBe('required');
    expect(lookupField('aws_cloudtrail', 's3.bytes')?.field.type).toBe('UINT64');
    expect(lookupField('k8s_audit', 'proc.name')).toBeUndefined();
    expect(fieldsOf('syscall').length).toBeGreaterThan(290);
  });

  test('dotted arguments: evt.arg.NAME, evt.rawarg.NAME; evt.abspath.src/dst', () => {
    expect(lookupField('syscall', 'evt.arg.flags')).toMatchObject({ field: { name: 'evt.arg' }, dottedArg: 'flags' });
    expect(lookupField('syscall', 'evt.rawarg.res')).toMatchObject({ field: { name: 'evt.rawarg' }, dottedArg: 'res' });
    expect(lookupField('syscall', 'evt.abspath.dst')?.field.name).toBe('evt.abspath.dst');
    expect(lookupField('syscall', 'evt.args')?.field.name).toBe('evt.args');
    expect(lookupField('syscall', 'proc.name.x')).toBeUndefined();
  });

  test('deprecated fields are known and flagged', () => {
    expect(lookupField('syscall', 'evt.dir')?.field.deprecated).toBe(true);
    const issues = checkCondition(parseCondition('evt.type = open and evt.dir = <'), 'syscall');
    expect(issues.map((i) => [i.severity, i.code])).toEqual([['warning', 'LOAD_DEPRECATED_ITEM']]);
  });

  test('suggestions for misspelt fields', () => {
    expect(suggestFields('syscall', 'proc.cmdlin')[0]).toBe('proc.cmdline');
  });
});

describe('checks of values against field types', () => {
  const codes = (cond: string, source = 'syscall') => checkCondition(parseCondition(cond), source).map((i) => i.code);
  test.each([
    ['proc.pid in (1, 2, -3, +4)', []],
    // libsinsp reads integers in decimal only (test/conformance/falco-checker-matrix.test.ts has Falco agree)
    ['proc.pid in (1, 2, 0x10)', ['COND_BAD_VALUE']],
    ['thread.cpu = 1.5', ['COND_BAD_VALUE']],
    ['fd.sport = -1', ['COND_BAD_VALUE']],
    ['fd.net = 10.0.0.1', ['COND_BAD_VALUE']],
    ['fd.net = "::/0"', ['COND_BAD_VALUE']],
    ['fd.cip = 10.0.0.0/8', ['COND_BAD_VALUE']],
    ['proc.pid in (1, two)', ['COND_BAD_VALUE']],
    ['fd.snet in ("10.0.0.0/8", 192.168.0.0/16, ::1/128)', []],
    ['fd.snet = 10.0.0.0/33', ['COND_BAD_VALUE']],
    ['fd.sip = ::1', []],
    ['proc.is_exe_writable = true', []],
    ['len(proc.args) > 3', []],
    ['len(proc.args) = many', ['COND_BAD_VALUE']],
    ['proc.name = val(proc.pname)', []],
    ['proc.name = val(proc.nope)', ['COND_UNKNOWN_FIELD']],
    ['proc.pid contains 1x', ['COND_BAD_OPERATOR_FOR_FIELD']],
    ['fd.sport startswith 8', ['COND_BAD_OPERATOR_FOR_FIELD']],
    ['proc.name bcontains 6162', ['COND_BAD_OPERATOR_FOR_FIELD']],
    ['evt.buffer bcontains 6162', []],
    ['fd.types = file', ['COND_BAD_OPERATOR_FOR_FIELD']],
    ['fd.types intersects (file)', []],
    ['evt.type startswith opne', ['COND_UNKNOWN_EVENT_TYPE']],
    ['evt.type regex "open"', []],
    ['evt.type in (open, openat2, container, procexit)', []],
    ['evt.type = opne', ['COND_UNKNOWN_EVENT_TYPE']],
    ['proc.aname[2] = bash', []],
    ['proc.aname[abc] = bash', ['COND_FIELD_ARGUMENT']],
    ['proc.aenv[HOME] = /root', []],
  ])('%s', (cond, expected) => {
    expect(codes(cond)).toEqual(expected);
  });

  test('k8s audit <NA> comparisons are warned about', () => {
    expect(codes('ka.user.name = "<NA>"', 'k8s_audit')).toEqual(['LOAD_UNSAFE_NA_CHECK']);
    // a field with several values takes only in and intersects
    expect(codes('ka.req.pod.containers.image = "<NA>"', 'k8s_audit')).toEqual(['COND_BAD_OPERATOR_FOR_FIELD']);
  });
});

describe('output formats', () => {
  test('%field references with arguments are found with their offsets', () => {
    expect(outputFieldRefs('a %proc.name b %proc.aname[2] %evt.arg.flags.')).toEqual([
      { name: 'proc.name', offset: 2, token: '%proc.name' },
      { name: 'proc.aname', arg: '2', offset: 15, token: '%proc.aname[2]' },
      { name: 'evt.arg.flags', offset: 30, token: '%evt.arg.flags' },
    ]);
  });

  test('unknown fields are errors; %container.info is deprecated; a known field followed by text is accepted', () => {
    expect(outputFieldProblems('%proc.nme and %user.names', 'syscall')).toEqual([
      { severity: 'error', code: 'OUTPUT_UNKNOWN_FIELD', message: "invalid formatting token %proc.nme: the syscall source has no field 'proc.nme'", offset: 0 },
    ]);
    expect(outputFieldProblems('%container.info', 'syscall').map((i) => i.code)).toEqual(['LOAD_DEPRECATED_ITEM']);
    expect(outputFieldProblems('%ka.user.name %jevt.value[/a]', 'k8s_audit')).toEqual([]);
  });

  test('%transformer(field) tokens are checked as Falco 0.44.1 checks them (falco -V), and a stray % is refused', () => {
    expect(outputFieldProblems('x %tolower(proc.name) %len(fd.name) %tolower(toupper(proc.name)) %10proc.name %proc.name(x)', 'syscall')).toEqual([]);
    const refused = ['%tolower(proc.nmae)', '%foo(proc.name)', '%val(proc.name)', '%tolower(proc.name', 'user=%user.name %', '100% sure', '%%'];
    for (const output of refused) {
      expect({ output, codes: [...new Set(outputFieldProblems(output, 'syscall').map((i) => i.code))] }).toEqual({ output, codes: ['OUTPUT_UNKNOWN_FIELD'] });
    }
  });
});
