import { stringify } from 'yaml';
import type { OperatorDelivery } from './resources';
import type { HelmFile } from '../helm/releases';

/**
 * `falco-operator.yaml` (every resource, in apply order: Plugin, Config and Rulesfiles before the Falco that loads
 * them) and `OPERATOR.md` (what the operator cannot express). Deterministic.
 */
export function renderOperatorFiles(delivery: OperatorDelivery): HelmFile[] {
  const order = ['Plugin', 'Config', 'Rulesfile', 'Component', 'Falco'];
  const objects = [...delivery.objects].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  const yaml = objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  const lines = ['# Falco Operator delivery', '', 'Requires falcosecurity/falco-operator 0.4.1 in the cluster. Apply with `kubectl apply -f falco-operator.yaml`.', ''];
  if (delivery.notExpressed.length > 0) {
    lines.push('What the stack plans and the operator cannot express:', '', '| planned | what the operator does | what to do |', '|---|---|---|');
    for (const n of delivery.notExpressed) lines.push(`| ${n.what.replace(/\|/g, '\\|')} | ${n.chart.replace(/\|/g, '\\|')} | ${n.instead.replace(/\|/g, '\\|')} |`);
  }
  return [{ name: 'falco-operator.yaml', text: yaml }, { name: 'OPERATOR.md', text: `${lines.join('\n')}\n` }];
}
