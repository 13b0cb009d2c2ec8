/**
 * A deterministic stream of syscall events shaped like a busy node's: mostly file I/O and
 * memory calls of ordinary programs, some process starts, network calls and sensitive opens,
 * so that the upstream rules see both matching and (mostly) non-matching events.
 */

const PROGRAMS = ['nginx', 'java', 'python3', 'node', 'postgres', 'bash', 'sh', 'ls', 'cat', 'curl', 'sshd', 'containerd-shim'];
const FILES = [
  '/var/log/nginx/access.log', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/proc/self/status', '/dev/null',
  '/var/lib/postgresql/data/base/1/1259', '/tmp/upload-1.tmp', '/etc/hosts', '/etc/shadow', '/root/.ssh/id_rsa',
  '/app/config.yaml', '/etc/ld.so.cache', '/sys/fs/cgroup/memory.max',
];
/** Event types with their weights: a stream is dominated by I/O. */
const TYPES: readonly (readonly [string, number])[] = [
  ['read', 20], ['write', 14], ['close', 8], ['openat', 10], ['mmap', 6], ['futex', 8], ['epoll_wait', 8],
  ['execve', 4], ['connect', 3], ['sendto', 2], ['socket', 2], ['dup2', 1], ['ptrace', 1], ['symlinkat', 1],
  ['open', 2], ['clone', 2], ['setuid', 1], ['unlinkat', 1],
];

function weightedTypes(): string[] {
  return TYPES.flatMap(([t, w]) => new Array<string>(w).fill(t));
}

/** `count` events; the same count always gives the same events. */
export function syntheticSyscallEvents(count: number): Record<string, unknown>[] {
  const types = weightedTypes();
  const events: Record<string, unknown>[] = [];
  let seed = 42;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < count; i++) {
    const type = types[next(types.length)];
    const program = PROGRAMS[next(PROGRAMS.length)];
    const inContainer = next(3) !== 0;
    const file = FILES[next(FILES.length)];
    events.push({
      'evt.num': i,
      'evt.type': type,
      'evt.res': 'SUCCESS',
      'evt.rawres': 0,
      'evt.arg.flags': next(4) === 0 ? 'O_WRONLY|O_CREAT' : 'O_RDONLY',
      'evt.arg.request': 'PTRACE_PEEKDATA',
      'evt.is_open_read': true,
      'evt.is_open_write': next(4) === 0,
      'proc.name': program,
      'proc.exe': program,
      'proc.exepath': `/usr/bin/${program}`,
      'proc.cmdline': `${program} --worker ${next(8)}`,
      'proc.args': `--worker ${next(8)}`,
      'proc.pname': PROGRAMS[next(PROGRAMS.length)],
      'proc.pcmdline': 'containerd-shim -namespace k8s.io',
      'proc.aname[2]': 'containerd-shim',
      'proc.aname[3]': 'systemd',
      'proc.pid': 1000 + next(5000),
      'proc.vpid': 1 + next(100),
      'proc.sid': 1,
      'proc.tty': next(20) === 0 ? 34816 : 0,
      'proc.is_exe_upper_layer': next(50) === 0,
      'proc.is_exe_from_memfd': false,
      'proc.sname': 'bash',
      'user.name': next(5) === 0 ? 'root' : 'app',
      'user.uid': next(5) === 0 ? 0 : 1000,
      'user.loginuid': -1,
      'container.id': inContainer ? '3f9a1c2b7d4e' : 'host',
      'container.name': inContainer ? 'web' : 'host',
      'container.image.repository': inContainer ? 'registry.example.com/shop/web' : '',
      'container.privileged': false,
      'k8s.ns.name': inContainer ? 'shop' : '',
      'k8s.pod.name': inContainer ? 'web-7d9f8c6b5-x2x4q' : '',
      'fd.name': file,
      'fd.directory': file.slice(0, file.lastIndexOf('/')) || '/',
      'fd.filename': file.slice(file.lastIndexOf('/') + 1),
      'fd.typechar': type === 'connect' || type === 'sendto' ? '4' : 'f',
      'fd.type': type === 'connect' || type === 'sendto' ? 'ipv4' : 'file',
      'fd.num': 3 + next(20),
      'fd.sip': `10.0.${next(4)}.${next(250)}`,
      'fd.sport': [443, 5432, 53, 22, 8080][next(5)],
      'fd.l4proto': 'tcp',
      'fd.connected': true,
      'fd.name_changed': false,
    });
  }
  return events;
}
