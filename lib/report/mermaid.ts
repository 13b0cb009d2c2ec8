import { auditSinkOf, CoverageReport, plural } from './coverage';
import type { StackPlan } from '../stack/plan';

/** A Mermaid label: quoted, with the characters Mermaid would read as syntax replaced by entities. */
export function mermaidLabel(text: string): string {
  return `"${text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/[\r\n]+/g, ' ')}"`;
}

/** A Mermaid node ID from any text: letters, digits and `_` only, with a prefix. */
export function mermaidId(prefix: string, text: string): string {
  return `${prefix}_${text.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/**
 * The stack as a Mermaid flowchart: rules (grouped by owner) feed their sensor; the sensors feed
 * Falcosidekick and the durable shipper; Sidekick feeds its outputs and Alertmanager's team routes,
 * which end at receivers. Audit layers appear with where their evidence lives.
 */
export function renderMermaid(plan: StackPlan, report: CoverageReport): string {
  const lines: string[] = ['flowchart LR'];
  const node = (id: string, label: string, shape: 'box' | 'db' | 'round' = 'box') => {
    const l = mermaidLabel(label);
    lines.push(`  ${id}${shape === 'db' ? `[(${l})]` : shape === 'round' ? `(${l})` : `[${l}]`}`);
  };
  const edge = (from: string, to: string, label?: string, dotted = false) =>
    lines.push(`  ${from} ${dotted ? '-.->' : '-->'}${label ? `|${mermaidLabel(label)}|` : ''} ${to}`);

  lines.push('  subgraph rules["Rules by owner"]');
  const groups = new Map<string, { sensor: 'falco' | 'tetragon' | 'k8saudit'; count: number }>();
  for (const d of report.detections) {
    const sensor = d.layer === 'runtime-tetragon' ? 'tetragon' : d.layer === 'k8s-audit' ? 'k8saudit' : 'falco';
    const key = `${d.owner}|${sensor}`;
    groups.set(key, { sensor, count: (groups.get(key)?.count ?? 0) + 1 });
  }
  const what = { tetragon: 'Tetragon detection', k8saudit: 'k8s_audit rule', falco: 'rule' } as const;
  for (const [key, g] of groups) node(mermaidId('rules', key), `${key.split('|')[0]}: ${plural(g.count, what[g.sensor])}`, 'round');
  lines.push('  end');

  lines.push('  subgraph sensors["Sensors"]');
  if (plan.falco) node('falco', `Falco ${plan.falco.image.tag} DaemonSet`);
  if (plan.tetragon) node('tetragon', `Tetragon ${plan.tetragon.version} DaemonSet`);
  const plugin = plan.audit?.kubernetes.falcoPlugin;
  if (plugin) node('k8saudit', `Falco ${plugin.name} (1 replica)`);
  lines.push('  end');

  for (const [key, g] of groups) {
    const target = g.sensor === 'falco' ? 'falco' : g.sensor === 'tetragon' ? 'tetragon' : (plugin ? 'k8saudit' : 'falco');
    const inactive = g.sensor === 'k8saudit' && !plugin;
    if (target === 'tetragon' && !plan.tetragon) continue;
    edge(mermaidId('rules', key), target, inactive ? 'no k8s_audit source' : undefined, inactive);
  }

  const sidekick = plan.routing?.sidekick;
  if (sidekick) {
    lines.push('  subgraph routing["Routing"]');
    node('sidekick', 'Falcosidekick');
    if (plan.routing?.alertmanager) node('alertmanager', 'Alertmanager');
    lines.push('  end');
    if (plan.falco) edge('falco', 'sidekick', 'http_output');
    if (plugin) edge('k8saudit', 'sidekick', 'http_output');
    for (const output of sidekick.outputs) {
      const id = mermaidId('out', output);
      node(id, output);
      edge('sidekick', id);
    }
    const am = plan.routing?.alertmanager;
    if (am) {
      edge('sidekick', 'alertmanager', `priority >= ${am.target.minimumPriority}`);
      const routes = [...am.teams.map((t) => ({ name: t.name, label: `route: team ${t.name} (${t.namespaces.join(', ')})`, receivers: t.receivers })),
        ...(am.unowned.length > 0 ? [{ name: 'unowned', label: 'route: unowned alerts', receivers: am.unowned }] : [])];
      for (const route of routes) {
        const routeId = mermaidId('route', route.name);
        node(routeId, route.label);
        edge('alertmanager', routeId);
        for (const receiver of route.receivers) {
          const id = mermaidId('recv', `${route.name}_${receiver.name}`);
          node(id, `${receiver.name} (${receiver.integration.kind}, >= ${receiver.minimumPriority})`);
          edge(routeId, id);
        }
        for (const [key] of [...groups].filter(([k]) => k.split('|')[0] === route.name)) edge(mermaidId('rules', key), routeId, 'owner', true);
      }
    }
  }

  const shipper = plan.durable?.shipper;
  if (shipper) {
    node('shipper', 'Fluent Bit shipper (node buffer)');
    node('bucket', `${shipper.destination.service}: ${shipper.destination.kind === 's3' ? shipper.destination.bucket : `${shipper.destination.storageAccount}/${shipper.destination.container}`}`, 'db');
    if (plan.falco) edge('falco', 'shipper', 'JSON stdout', true);
    if (plan.tetragon) edge('tetragon', 'shipper', 'JSON export', true);
    edge('shipper', 'bucket');
  } else if (plan.durable?.waivedBecause) {
    node('durable_waived', `durable storage waived: ${plan.durable.waivedBecause}`);
  }

  const audit = plan.audit;
  if (audit) {
    lines.push('  subgraph audit["Audit"]');
    if (audit.kubernetes.controlPlaneLogs) node('k8s_audit_log', `API-server audit: ${auditSinkOf(plan)}`, 'db');
    if (audit.cloud.enabled) node('cloud_trail', `${audit.cloud.trail} (${audit.cloud.retentionDays} days)`, 'db');
    lines.push('  end');
    if (plugin && audit.kubernetes.controlPlaneLogs) edge('k8s_audit_log', 'k8saudit', 'polled');
  }
  return lines.join('\n');
}
