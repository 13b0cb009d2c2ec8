import { auditSinkOf, coverageReport, CoverageReport, LAYER_SOURCE_TITLES, LayerSource } from './coverage';
import type { StackPlan } from '../stack/plan';

/**
 * Compliance evidence as data: which controls of which frameworks the stack's resources and rules help satisfy,
 * what in the plan satisfies each one, and what stays the user's to do. The mapping is ours (what each control asks
 * for, in our words); the control identifiers are the frameworks'. Nothing here claims a control is met by the
 * stack alone: every control leaves a part to the user (policies, reviews, the rest of the estate).
 */

/** A Markdown table cell's text with its pipes escaped. */
export const escapeCell = (v: string): string => v.replace(/\|/g, '\\|');

/** What the stack can show for a control. */
export type EvidenceKind =
  | 'runtime-detection' | 'file-change-rules' | 'process-rules' | 'alert-routing' | 'owned-investigation'
  | 'durable-alerts' | 'retention-immutability' | 'kubernetes-audit' | 'cloud-audit' | 'stack-health';

export const EVIDENCE_TITLES: Readonly<Record<EvidenceKind, string>> = {
  'runtime-detection': 'runtime sensors on every node',
  'file-change-rules': 'rules that alert on file changes',
  'process-rules': 'rules that alert on unexpected processes',
  'alert-routing': 'alerts routed to the teams that answer them',
  'owned-investigation': 'every alert with an owner and investigation fields',
  'durable-alerts': 'every alert kept in a bucket, independent of the chat and SIEM outputs',
  'retention-immutability': 'retention and immutability of the kept alerts',
  'kubernetes-audit': 'Kubernetes API audit events recorded',
  'cloud-audit': 'the cloud provider\'s audit trail kept',
  'stack-health': 'the stack\'s own failures alerted on',
};

export type Framework = 'PCI DSS 4.0' | 'SOC 2 (2017 TSC)' | 'ISO/IEC 27001:2022' | 'HIPAA Security Rule' | 'NIST SP 800-53 Rev. 5';

/** One control and what the stack must show for it. */
export interface ComplianceControl {
  readonly framework: Framework;
  /** The framework's identifier: `10.2`, `CC7.2`, `A.8.15`, `164.312(b)`, `AU-2`. */
  readonly control: string;
  /** What the control asks for, in our words. */
  readonly asks: string;
  /** The evidence kinds that together cover the stack's part. */
  readonly needs: readonly EvidenceKind[];
  /** What stays the user's to do, whatever the stack deploys. */
  readonly usersPart: string;
}

/** The mapping (data; test/report/compliance.test.ts checks each entry against the plan of real stacks). */
export const COMPLIANCE_CONTROLS: readonly ComplianceControl[] = [
  {
    framework: 'PCI DSS 4.0',
    control: '10.2',
    asks: 'audit logs that support detecting anomalies and suspicious activity',
    needs: ['kubernetes-audit', 'runtime-detection', 'owned-investigation'],
    usersPart: 'the application, database and operating-system logs of the cardholder-data environment; user identities behind shared accounts',
  },
  {
    framework: 'PCI DSS 4.0',
    control: '10.5',
    asks: 'audit log history kept at least 12 months, the last three immediately available',
    needs: ['durable-alerts', 'retention-immutability'],
    usersPart: 'a retention of at least 365 days on the bucket and the audit logs, and a restore test; the logs of systems outside the cluster',
  },
  {
    framework: 'PCI DSS 4.0',
    control: '10.7',
    asks: 'failures of critical security controls detected, reported and responded to promptly',
    needs: ['stack-health', 'alert-routing'],
    usersPart: 'a documented response to each failure alert, and its records',
  },
  {
    framework: 'PCI DSS 4.0',
    control: '11.5',
    asks: 'intrusions and unexpected changes of critical files detected and responded to',
    needs: ['runtime-detection', 'file-change-rules', 'alert-routing'],
    usersPart: 'network intrusion detection at the perimeter and critical points; the list of critical files; the weekly comparison 11.5.2 asks for',
  },
  {
    framework: 'SOC 2 (2017 TSC)',
    control: 'CC6.8',
    asks: 'unauthorized or malicious software prevented or detected',
    needs: ['runtime-detection', 'process-rules', 'alert-routing'],
    usersPart: 'prevention (admission control, image signing and scanning); change management of the software the cluster runs',
  },
  {
    framework: 'SOC 2 (2017 TSC)',
    control: 'CC7.2',
    asks: 'system components monitored for anomalies that indicate malicious acts or failures',
    needs: ['runtime-detection', 'kubernetes-audit', 'alert-routing', 'stack-health'],
    usersPart: 'monitoring of the systems outside the cluster; evidence that the alerts are reviewed',
  },
  {
    framework: 'SOC 2 (2017 TSC)',
    control: 'CC7.3',
    asks: 'security events evaluated to decide whether they are incidents',
    needs: ['owned-investigation', 'alert-routing', 'durable-alerts'],
    usersPart: 'the incident response process: triage records, escalation, post-incident review',
  },
  {
    framework: 'ISO/IEC 27001:2022',
    control: 'A.8.15',
    asks: 'logs of activities, exceptions and faults produced, stored, protected and analysed',
    needs: ['durable-alerts', 'retention-immutability', 'kubernetes-audit', 'cloud-audit'],
    usersPart: 'the logging policy (what, how long, who reads), clock synchronisation, and the logs of everything outside the cluster',
  },
  {
    framework: 'ISO/IEC 27001:2022',
    control: 'A.8.16',
    asks: 'networks, systems and applications monitored for anomalous behaviour, and action taken',
    needs: ['runtime-detection', 'alert-routing', 'stack-health'],
    usersPart: 'a baseline of normal behaviour, the tuning that follows it, and evidence of the actions taken',
  },
  {
    framework: 'HIPAA Security Rule',
    control: '164.312(b)',
    asks: 'mechanisms that record and examine activity in systems with ePHI',
    needs: ['kubernetes-audit', 'runtime-detection', 'durable-alerts'],
    usersPart: 'the application-level access logs of ePHI and their regular review (164.308(a)(1)(ii)(D))',
  },
  {
    framework: 'NIST SP 800-53 Rev. 5',
    control: 'AU-2',
    asks: 'the event types to log decided and logged',
    needs: ['kubernetes-audit', 'cloud-audit', 'runtime-detection'],
    usersPart: 'the organisation\'s list of event types and its yearly review',
  },
  {
    framework: 'NIST SP 800-53 Rev. 5',
    control: 'AU-9',
    asks: 'audit information and tools protected from unauthorized change and deletion',
    needs: ['retention-immutability'],
    usersPart: 'who may change the bucket\'s retention and the audit configuration (separation of duties), and the keys',
  },
  {
    framework: 'NIST SP 800-53 Rev. 5',
    control: 'AU-11',
    asks: 'audit records kept for the defined retention period',
    needs: ['durable-alerts', 'retention-immutability'],
    usersPart: 'the retention period itself, set on the bucket and the audit logs to match the records policy',
  },
  {
    framework: 'NIST SP 800-53 Rev. 5',
    control: 'SI-4',
    asks: 'the system monitored to detect attacks and unauthorized activity',
    needs: ['runtime-detection', 'alert-routing', 'stack-health'],
    usersPart: 'network monitoring at the boundary; the monitoring objectives and who receives the alerts',
  },
];

/** One piece of evidence: what satisfies it and who puts it in place. */
export interface Evidence {
  readonly kind: EvidenceKind;
  /** The resources or rules that satisfy it (empty when nothing does). */
  readonly by: readonly string[];
  /** Who puts it in place (`pulumi`: only the Pulumi components create it; a cdk8s-only app must). */
  readonly from: LayerSource;
}

/** A control as this stack covers it. */
export interface ComplianceRow {
  readonly control: ComplianceControl;
  /** `covered`: every evidence the stack's part needs is present; `partial`: some; `none`. */
  readonly status: 'covered' | 'partial' | 'none';
  readonly evidence: readonly Evidence[];
  /** The evidence kinds missing, in words, with what would add them. */
  readonly missing: readonly string[];
}

/** How to get each kind of evidence when it is missing. */
const HOW_TO_ADD: Readonly<Record<EvidenceKind, string>> = {
  'runtime-detection': 'enable sensors.falco or sensors.tetragon',
  'file-change-rules': 'add rules on file changes (the runtime pack\'s, or custom rules watching open-for-write and rename/unlink)',
  'process-rules': 'add rules on process execution (the runtime pack, or custom rules on execve)',
  'alert-routing': 'set routing.teams',
  'owned-investigation': 'give every custom rule an owner (the packs do)',
  'durable-alerts': 'set durable.bucket',
  'retention-immutability': 'create the bucket with the Pulumi component (object lock / immutability with retention), or set both on your bucket',
  'kubernetes-audit': 'keep audit.kubernetes.controlPlaneLogs on',
  'cloud-audit': 'keep audit.cloud on',
  'stack-health': 'set monitoring (PrometheusRules for the sensors, Falcosidekick and the shipper)',
};

/** The Pulumi component module of each provider. */
const PULUMI_MODULES: Readonly<Record<StackPlan['cluster']['provider'], string>> = { eks: 'aws', oke: 'oci', aks: 'azure' };

function evidenceOf(kind: EvidenceKind, plan: StackPlan, coverage: CoverageReport): Evidence {
  const running = coverage.detections.filter((d) => d.enabled && !d.inactiveBecause);
  const pulumi = `detection-stack/pulumi/${PULUMI_MODULES[plan.cluster.provider]}`;
  const ns = plan.namespace;
  const none = (from: LayerSource = 'none'): Evidence => ({ kind, by: [], from });
  switch (kind) {
    case 'runtime-detection': {
      const by = [
        ...(plan.falco ? [`DaemonSet ${ns}/${plan.falco.name}`] : []),
        ...(plan.tetragon ? [`DaemonSet ${ns}/${plan.tetragon.workloads.agent.name}`] : []),
      ];
      return by.length > 0 ? { kind, by, from: 'manifests' } : none();
    }
    case 'file-change-rules':
    case 'process-rules': {
      const scenarios = kind === 'file-change-rules' ? ['file-system-changes'] : ['unexpected-processes', 'shell-access'];
      const by = running.filter((d) => d.scenarios.some((s) => scenarios.includes(s))).map((d) => `rule ${d.name}`);
      return by.length > 0 ? { kind, by, from: 'manifests' } : none();
    }
    case 'alert-routing': {
      const r = plan.routing;
      if (!r || r.teams.length === 0) return none();
      return { kind, by: [`Deployment ${ns}/${r.sidekick.workload.name}`, `team routes: ${r.teams.join(', ')}`], from: 'manifests' };
    }
    case 'owned-investigation': {
      const owned = running.filter((d) => d.owner !== 'unknown' && d.owner !== 'unowned');
      if (owned.length === 0 || owned.length < running.length) return none();
      return { kind, by: [`${owned.length} rules with owners`, 'investigation fields in every Falco alert (append_output)'], from: 'manifests' };
    }
    case 'durable-alerts': {
      const s = plan.durable?.shipper;
      if (!s) return none();
      const where = s.destination.kind === 's3' ? `bucket ${s.destination.bucket}` : `Blob container ${s.destination.container}`;
      return { kind, by: [`DaemonSet ${ns}/${s.workload.name}`, where], from: 'manifests' };
    }
    case 'retention-immutability':
      return plan.durable?.shipper ? { kind, by: [`the bucket as ${pulumi} creates it`], from: 'pulumi' } : none();
    case 'kubernetes-audit': {
      const k = plan.audit?.kubernetes;
      const by = [
        ...(k?.controlPlaneLogs ? [auditSinkOf(plan)] : []),
        ...(k?.falcoPlugin ? [`Deployment ${ns}/falco-k8saudit (${k.falcoPlugin.name})`] : []),
      ];
      if (by.length === 0) return none();
      return { kind, by, from: k?.controlPlaneLogs ? (plan.cluster.provider === 'oke' ? 'provider' : 'pulumi') : 'manifests' };
    }
    case 'cloud-audit': {
      const c = plan.audit?.cloud;
      if (!c?.enabled) return none();
      return { kind, by: [c.trail], from: plan.cluster.provider === 'oke' ? 'provider' : 'pulumi' };
    }
    case 'stack-health': {
      const alerts = plan.monitoring?.alerts;
      return alerts ? { kind, by: [`PrometheusRule ${plan.monitoring!.namespace}/${alerts.name}`], from: 'manifests' } : none();
    }
  }
}

/** Every control of the mapping as the stack covers it. Pure. */
export function complianceReport(plan: StackPlan, coverage: CoverageReport = coverageReport(plan)): ComplianceRow[] {
  return COMPLIANCE_CONTROLS.map((control) => {
    const evidence = control.needs.map((k) => evidenceOf(k, plan, coverage));
    const present = evidence.filter((e) => e.by.length > 0);
    const missing = evidence.filter((e) => e.by.length === 0).map((e) => `${EVIDENCE_TITLES[e.kind]}: ${HOW_TO_ADD[e.kind]}`);
    return {
      control,
      status: present.length === evidence.length ? 'covered' : present.length > 0 ? 'partial' : 'none',
      evidence,
      missing,
    };
  });
}

/** The REPORT.md section: one row per control, with what satisfies it, who puts it in place, and the user's part. */
export function complianceLines(plan: StackPlan, coverage: CoverageReport = coverageReport(plan)): string[] {
  const byText = (e: Evidence) => `${EVIDENCE_TITLES[e.kind]}: ${e.by.join(', ')}${e.from === 'manifests' ? '' : ` (${LAYER_SOURCE_TITLES[e.from]})`}`;
  return [
    '## Compliance evidence',
    '',
    'What this stack deploys towards each control, and what stays yours. "covered" means the stack\'s part is in place, never that the control is met.',
    '',
    '| framework | control | asks for | status | satisfied by | missing | yours |',
    '|---|---|---|---|---|---|---|',
    ...complianceReport(plan, coverage).map((r) => `| ${[
      r.control.framework, r.control.control, r.control.asks, r.status,
      r.evidence.filter((e) => e.by.length > 0).map(byText).join('; ') || '-',
      r.missing.join('; ') || '-',
      r.control.usersPart,
    ].map(escapeCell).join(' | ')} |`),
    '',
  ];
}
