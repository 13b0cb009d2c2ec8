import { escapeCell as escape } from './compliance';
import { IMAGE_PINS, ImagePin, imageReference } from '../core/images';
import type { WorkloadPlan, WorkloadPrivilege } from '../core/workload';
import { K8SMETA_PLUGIN } from '../falco/sensor/k8smeta';
import type { StackPlan } from '../stack/plan';

/** An image or artifact the stack pulls by tag alone, who pulls it and why there is no digest. */
export interface TagOnlyPin {
  readonly reference: string;
  readonly usedBy: string;
  readonly why: string;
}

/** One privilege a workload's spec holds, with the reason its plan records. */
export interface WorkloadPrivilegeLine {
  readonly workload: string;
  readonly privilege: WorkloadPrivilege;
  readonly what: string;
  readonly why: string;
}

const PINS: readonly ImagePin[] = Object.values(IMAGE_PINS);
const NO_REASON = 'no reason recorded in the plan';

/**
 * Every container image of the planned workloads without a digest, and the k8smeta plugin artifact falcoctl installs
 * (pinned by tag only), each with the reason: the pin's own source where it is a default, the props otherwise.
 */
export function tagOnlyPins(plan: StackPlan): TagOnlyPin[] {
  const pins: TagOnlyPin[] = [];
  for (const w of plan.workloads) {
    for (const c of [...(w.pod.initContainers ?? []), ...w.pod.containers]) {
      if (c.image.includes('@sha256:')) continue;
      const pin = PINS.find((p) => imageReference(p) === c.image);
      pins.push({
        reference: c.image,
        usedBy: `${w.kind} ${w.namespace}/${w.name}, container ${c.name}`,
        why: pin ? pin.source : 'given in the stack props without a digest: add `@sha256:<digest>` to pin it',
      });
    }
  }
  const k8smeta = plan.falco?.kubernetesMetadata;
  if (k8smeta) {
    pins.push({
      reference: k8smeta.artifact,
      usedBy: `falcoctl artifact install in the ${plan.falco!.name} DaemonSet's init container`,
      why: k8smeta.artifact === K8SMETA_PLUGIN.artifact ? K8SMETA_PLUGIN.source : 'given in the stack props',
    });
  }
  return pins;
}

/** The privileges a workload's spec holds beyond a restricted pod (read from the spec, not from the reasons). */
export function workloadPrivileges(w: WorkloadPlan): WorkloadPrivilegeLine[] {
  const why = (p: WorkloadPrivilege) => w.privilegeReasons?.[p] ?? NO_REASON;
  const lines: WorkloadPrivilegeLine[] = [];
  const privileged = [...(w.pod.initContainers ?? []), ...w.pod.containers].filter((c) => c.securityContext.privileged === true);
  if (privileged.length > 0) {
    lines.push({ workload: w.name, privilege: 'privileged', what: `privileged container ${privileged.map((c) => c.name).join(', ')}`, why: why('privileged') });
  }
  if (w.pod.hostNetwork === true) lines.push({ workload: w.name, privilege: 'hostNetwork', what: 'hostNetwork: true', why: why('hostNetwork') });
  for (const r of w.clusterRole?.rules ?? []) {
    if (!r.verbs.includes('create') || (r.resourceNames ?? []).length > 0) continue;
    lines.push({
      workload: w.name,
      privilege: 'unnamedCreate',
      what: `ClusterRole \`create\` on ${r.resources.map((res) => (r.apiGroups.some((g) => g !== '') ? `${res}.${r.apiGroups.join(',')}` : res)).join(', ')} without resourceNames`,
      why: why('unnamedCreate'),
    });
  }
  return lines;
}

/** REPORT.md: the pins by tag only and the workloads' privileges, each with why. */
export function pinAndPrivilegeLines(plan: StackPlan): string[] {
  const pins = tagOnlyPins(plan);
  const privileges = plan.workloads.flatMap(workloadPrivileges);
  return [
    ...(pins.length === 0 ? [] : [
      '## Images and artifacts pinned by tag only',
      '',
      'These are pulled by tag: a registry that moves the tag changes what runs. Everything else is pinned by digest.',
      '',
      '| image or artifact | used by | why no digest |',
      '|---|---|---|',
      ...pins.map((p) => `| ${escape(p.reference)} | ${escape(p.usedBy)} | ${escape(p.why)} |`),
      '',
    ]),
    ...(privileges.length === 0 ? [] : [
      '## Privileged containers, host network and create without resourceNames',
      '',
      '| workload | holds | why |',
      '|---|---|---|',
      ...privileges.map((p) => `| ${escape(p.workload)} | ${escape(p.what)} | ${escape(p.why)} |`),
      '',
    ]),
  ];
}
