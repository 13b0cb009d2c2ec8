/**
 * The Pod Security Standards' `restricted` level (version latest), as the kube-apiserver's admission plugin checks a
 * pod: kubernetes/pod-security-admission v0.36.2, policy/check_*.go (the baseline checks, which restricted includes,
 * and the restricted ones). Each finding names the check as upstream names it. Only what the stack's pods could
 * set is modelled; Windows host process pods and ephemeral containers are not.
 */
type Obj = any; // eslint-disable-line @typescript-eslint/no-explicit-any

// check_restrictedVolumes.go: the inline volume sources restricted allows.
const RESTRICTED_VOLUMES = new Set(['configMap', 'downwardAPI', 'emptyDir', 'projected', 'secret', 'csi', 'persistentVolumeClaim', 'ephemeral', 'image']);
// check_sysctls.go: the safe sysctls (latest).
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);
// check_seLinuxOptions.go: the types a container may have.
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** The restricted checks a pod spec (with its template annotations) fails, as `check: where`. */
export function restrictedViolations(spec: Obj, annotations: Record<string, string> = {}): string[] {
  const found: string[] = [];
  const fail = (check: string, where: string) => found.push(`${check}: ${where}`);
  const pod = spec.securityContext ?? {};
  const containers: [string, Obj][] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c: Obj) => [c.name, c]);
  const userNamespace = spec.hostUsers === false;

  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[f] === true) fail('hostNamespaces', f);
  for (const v of spec.volumes ?? []) {
    const source = Object.keys(v).filter((k) => k !== 'name');
    if (source.includes('hostPath')) fail('hostPathVolumes', v.name);
    else if (!source.every((s) => RESTRICTED_VOLUMES.has(s))) fail('restrictedVolumes', `${v.name} (${source.join(', ')})`);
  }
  for (const s of pod.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) fail('sysctls', s.name);
  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith('container.apparmor.security.beta.kubernetes.io/') && value !== 'runtime/default' && !value.startsWith('localhost/')) {
      fail('appArmorProfile', key);
    }
  }
  const podRunAsNonRoot = pod.runAsNonRoot === true;
  const podSeccomp = pod.seccompProfile?.type;
  if (podSeccomp !== undefined && !['RuntimeDefault', 'Localhost'].includes(podSeccomp)) fail('seccompProfile', `pod ${podSeccomp}`);
  if (pod.runAsNonRoot === false && !userNamespace) fail('runAsNonRoot', 'pod');
  if (pod.runAsUser === 0 && !userNamespace) fail('runAsUser', 'pod');
  checkSecurityOptions(pod, 'pod', fail);

  for (const [name, c] of containers) {
    const sc = c.securityContext ?? {};
    if (sc.privileged === true) fail('privileged', name);
    if (sc.allowPrivilegeEscalation !== false) fail('allowPrivilegeEscalation', name);
    if (!userNamespace && (sc.runAsNonRoot === false || (!podRunAsNonRoot && sc.runAsNonRoot !== true))) fail('runAsNonRoot', name);
    if (sc.runAsUser === 0 && !userNamespace) fail('runAsUser', name);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) fail('seccompProfile', `${name} ${seccomp ?? 'unset'}`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) fail('capabilities', `${name} drops no ALL`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') fail('capabilities', `${name} adds ${cap}`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') fail('procMount', name);
    checkSecurityOptions(sc, name, fail);
    for (const p of c.ports ?? []) if (p.hostPort !== undefined && p.hostPort !== 0) fail('hostPorts', `${name} ${p.hostPort}`);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (c[probe]?.httpGet?.host || c[probe]?.tcpSocket?.host) fail('hostProbesAndhostLifecycle', `${name} ${probe}`);
    }
  }
  return found;
}

/** check_appArmorProfile.go and check_seLinuxOptions.go, on a pod's or a container's security context. */
function checkSecurityOptions(sc: Obj, where: string, fail: (check: string, where: string) => void): void {
  const appArmor = sc.appArmorProfile?.type;
  if (appArmor !== undefined && !['RuntimeDefault', 'Localhost'].includes(appArmor)) fail('appArmorProfile', where);
  const se = sc.seLinuxOptions;
  if (se && (!SELINUX_TYPES.has(se.type ?? '') || se.user || se.role)) fail('seLinuxOptions', where);
}
