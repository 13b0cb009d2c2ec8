/**
 * Host directories the node's system owns: its root, the OS trees, kernel filesystems, the kubelet's and the
 * container runtimes' state. A `hostPath` of type `DirectoryOrCreate` (created when missing, mounted writable) is
 * never one of these nor inside one; the stack keeps its own state in a directory of its own (e.g.
 * /var/lib/detection-stack/fluent-bit, /var/log/tetragon).
 */
const SYSTEM_TREES = [
  '/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/root', '/run', '/sbin', '/sys', '/usr',
  '/var/run', '/var/lib/kubelet', '/var/lib/containerd', '/var/lib/docker', '/var/lib/cni', '/var/lib/etcd', '/var/lib/crio',
  '/var/log/pods', '/var/log/containers', '/opt/cni',
] as const;
/** Shared parents: a directory below them is fine, the directory itself is not. */
const SYSTEM_PARENTS = ['/', '/home', '/mnt', '/opt', '/srv', '/tmp', '/var', '/var/lib', '/var/log'] as const;

/** The system directory `path` is or lies in (`/etc` for `/etc/x`), or undefined for a directory of its own. */
export function systemHostPath(path: string): string | undefined {
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const tree = SYSTEM_TREES.find((d) => normalized === d || normalized.startsWith(`${d}/`));
  return tree ?? SYSTEM_PARENTS.find((d) => normalized === d);
}
