/**
 * Tetragon's JSON export as Tetragon 1.7.0 writes it: one protojson GetEventsResponse a line with the proto field names
 * (cilium/tetragon v1.7.0, pkg/encoder/encoder.go `UseProtoNames: true`; api/v1/tetragon/events.proto
 * GetEventsResponse, tetragon.proto ProcessKprobe, Process, Pod, Container, Image; UInt32Value fields are JSON numbers,
 * Timestamps RFC 3339 strings). Shared by the conformance tests that feed the real Fluent Bit 5.1.1 these lines.
 */

export function processOf(namespace: string, pod: string, binary: string, args: string, execId: string): Record<string, unknown> {
  return {
    exec_id: execId,
    pid: 48213,
    uid: 0,
    cwd: '/srv',
    binary,
    arguments: args,
    flags: 'execve clone',
    start_time: '2026-12-02T05:00:00.123456789Z',
    auid: 4294967295,
    pod: {
      namespace,
      name: pod,
      container: {
        id: 'containerd://5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f',
        name: 'app',
        image: { id: `registry.example.com/${namespace}/app@sha256:9b2a4c1e0f5d8a7b6c3e2d1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b`, name: `registry.example.com/${namespace}/app:1.4.2` },
        start_time: '2026-12-02T04:00:00Z',
        pid: 7,
      },
      pod_labels: { 'app.kubernetes.io/name': 'app' },
      workload: pod.replace(/-[a-z0-9]+-[a-z0-9]+$/, ''),
      workload_kind: 'Deployment',
    },
    docker: '5e1f0a9b8c7d6e5',
    parent_exec_id: `${execId}-parent`,
    refcnt: 1,
    tid: 48213,
    process_credentials: { uid: 0, gid: 0, euid: 0, egid: 0, suid: 0, sgid: 0, fsuid: 0, fsgid: 0 },
  };
}

/** A ProcessKprobe event of one policy, as the JSON export line Tetragon writes. */
export function kprobeEvent(policy: string, namespace: string, binary: string, args: string, execId: string, functionName: string): string {
  return JSON.stringify({
    process_kprobe: {
      process: processOf(namespace, `${namespace}-api-7f9c8d6b5-x2x9z`, binary, args, execId),
      parent: { exec_id: `${execId}-parent`, pid: 48100, uid: 1000, cwd: '/srv', binary: '/usr/bin/node', arguments: 'server.js', flags: 'execve', auid: 4294967295 },
      function_name: functionName,
      args: [{ linux_binprm_arg: { path: binary, permission: '-rwxr-xr-x' } }],
      action: 'KPROBE_ACTION_POST',
      policy_name: policy,
      return_action: 'KPROBE_ACTION_POST',
      message: 'from the policy',
      tags: ['detection-stack'],
    },
    node_name: 'ip-10-0-12-34.ec2.internal',
    time: '2026-12-02T05:00:01.987654321Z',
  });
}
