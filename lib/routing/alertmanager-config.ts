import { stringify } from 'yaml';
import {
  ALERTMANAGER_SECRETS_DIR, AlertmanagerPlan, IntegrationPlan, NO_NOTIFICATION, ReceiverPlan, RouteNode,
} from './alertmanager-plan';
import type { SecretKeyRef } from '../core/secrets';

// Falco alerts are events, not conditions: a "resolved" notification would only add noise.
const SEND_RESOLVED = false;
const TITLE = '[{{ .CommonLabels.priority }}] {{ .CommonLabels.rule }}{{ with .CommonLabels.k8s_ns_name }} in {{ . }}{{ end }}';
const TEXT = '{{ range .Alerts }}{{ .Annotations.description }}\n{{ end }}';
// Falcosidekick's `severity` label is critical, warning or information.
const PAGERDUTY_SEVERITY = '{{ if eq .CommonLabels.severity "critical" }}critical{{ else if eq .CommonLabels.severity "warning" }}warning{{ else }}info{{ end }}';
const OPSGENIE_PRIORITY = '{{ if or (eq .CommonLabels.priority "Emergency") (eq .CommonLabels.priority "Alert") }}P1'
  + '{{ else if eq .CommonLabels.priority "Critical" }}P2{{ else if eq .CommonLabels.priority "Error" }}P3'
  + '{{ else if eq .CommonLabels.priority "Warning" }}P4{{ else }}P5{{ end }}';

function matcherString([label, op, value]: readonly [string, string, string]): string {
  return `${label}${op}${JSON.stringify(value)}`;
}

function fileRoute(node: RouteNode): Record<string, unknown> {
  return {
    receiver: node.receiver,
    ...(node.matchers.length ? { matchers: node.matchers.map(matcherString) } : {}),
    ...(node.continue ? { continue: true } : {}),
    ...(node.routes.length ? { routes: node.routes.map(fileRoute) } : {}),
  };
}

/** Path of a Secret key as the bundled Alertmanager sees it. */
export function secretFilePath(secretsDir: string, ref: SecretKeyRef): string {
  return `${secretsDir}/${ref.name}/${ref.key}`;
}

function fileIntegration(i: IntegrationPlan, dir: string): [string, Record<string, unknown>] {
  switch (i.kind) {
    case 'slack':
      return ['slack_configs', { api_url_file: secretFilePath(dir, i.apiUrl), ...(i.channel ? { channel: i.channel } : {}), title: TITLE, text: TEXT, send_resolved: SEND_RESOLVED }];
    case 'msteams':
      return ['msteams_configs', { webhook_url_file: secretFilePath(dir, i.webhookUrl), title: TITLE, text: TEXT, send_resolved: SEND_RESOLVED }];
    case 'msteamsv2':
      return ['msteamsv2_configs', { webhook_url_file: secretFilePath(dir, i.webhookUrl), title: TITLE, text: TEXT, send_resolved: SEND_RESOLVED }];
    case 'email':
      return ['email_configs', {
        to: i.to.join(', '),
        from: i.from,
        smarthost: i.smarthost,
        ...(i.authUsername ? { auth_username: i.authUsername } : {}),
        ...(i.authPassword ? { auth_password_file: secretFilePath(dir, i.authPassword) } : {}),
        require_tls: i.requireTls,
        send_resolved: SEND_RESOLVED,
      }];
    case 'pagerduty':
      return ['pagerduty_configs', { routing_key_file: secretFilePath(dir, i.routingKey), severity: PAGERDUTY_SEVERITY, send_resolved: SEND_RESOLVED }];
    case 'opsgenie':
      return ['opsgenie_configs', { api_key_file: secretFilePath(dir, i.apiKey), priority: OPSGENIE_PRIORITY, send_resolved: SEND_RESOLVED }];
    case 'webhook':
      return ['webhook_configs', { ...('secret' in i.url ? { url_file: secretFilePath(dir, i.url.secret) } : { url: i.url.literal }), send_resolved: SEND_RESOLVED }];
  }
}

/**
 * The bundled Alertmanager's alertmanager.yml. Credentials are `*_file` paths to the users' Secrets,
 * mounted under `secretsDir`: the config itself holds no secret.
 */
export function renderAlertmanagerConfig(plan: AlertmanagerPlan, secretsDir: string = ALERTMANAGER_SECRETS_DIR): Record<string, unknown> {
  const receivers = plan.receivers.map((r: ReceiverPlan) => {
    const [field, config] = fileIntegration(r.integration, secretsDir);
    return { name: r.name, [field]: [config] };
  });
  return {
    route: {
      ...fileRoute(plan.route),
      group_by: [...plan.grouping.groupBy],
      group_wait: plan.grouping.groupWait,
      group_interval: plan.grouping.groupInterval,
      repeat_interval: plan.grouping.repeatInterval,
    },
    receivers: [{ name: NO_NOTIFICATION }, ...receivers],
  };
}

export function renderAlertmanagerConfigYaml(plan: AlertmanagerPlan, secretsDir: string = ALERTMANAGER_SECRETS_DIR): string {
  return stringify(renderAlertmanagerConfig(plan, secretsDir), { lineWidth: 0 });
}

function selector(ref: SecretKeyRef): { name: string; key: string } {
  return { name: ref.name, key: ref.key };
}

function crdRoute(node: RouteNode): Record<string, unknown> {
  return {
    receiver: node.receiver,
    ...(node.matchers.length ? { matchers: node.matchers.map(([name, matchType, value]) => ({ name, value, matchType })) } : {}),
    ...(node.continue ? { continue: true } : {}),
    ...(node.routes.length ? { routes: node.routes.map(crdRoute) } : {}),
  };
}

function crdIntegration(i: IntegrationPlan): [string, Record<string, unknown>] {
  switch (i.kind) {
    case 'slack':
      return ['slackConfigs', { apiURL: selector(i.apiUrl), ...(i.channel ? { channel: i.channel } : {}), title: TITLE, text: TEXT, sendResolved: SEND_RESOLVED }];
    case 'msteams':
      return ['msteamsConfigs', { webhookUrl: selector(i.webhookUrl), title: TITLE, text: TEXT, sendResolved: SEND_RESOLVED }];
    case 'msteamsv2':
      return ['msteamsv2Configs', { webhookURL: selector(i.webhookUrl), title: TITLE, text: TEXT, sendResolved: SEND_RESOLVED }];
    case 'email':
      return ['emailConfigs', {
        to: i.to.join(', '),
        from: i.from,
        smarthost: i.smarthost,
        ...(i.authUsername ? { authUsername: i.authUsername } : {}),
        ...(i.authPassword ? { authPassword: selector(i.authPassword) } : {}),
        requireTLS: i.requireTls,
        sendResolved: SEND_RESOLVED,
      }];
    case 'pagerduty':
      return ['pagerdutyConfigs', { routingKey: selector(i.routingKey), severity: PAGERDUTY_SEVERITY, sendResolved: SEND_RESOLVED }];
    case 'opsgenie':
      return ['opsgenieConfigs', { apiKey: selector(i.apiKey), priority: OPSGENIE_PRIORITY, sendResolved: SEND_RESOLVED }];
    case 'webhook':
      return ['webhookConfigs', { ...('secret' in i.url ? { urlSecret: selector(i.url.secret) } : { url: i.url.literal }), sendResolved: SEND_RESOLVED }];
  }
}

/** `spec` of the `monitoring.coreos.com/v1alpha1` AlertmanagerConfig (operator mode); credentials as SecretKeySelectors. */
export function renderAlertmanagerConfigSpec(plan: AlertmanagerPlan): Record<string, unknown> {
  return {
    route: {
      ...crdRoute(plan.route),
      groupBy: [...plan.grouping.groupBy],
      groupWait: plan.grouping.groupWait,
      groupInterval: plan.grouping.groupInterval,
      repeatInterval: plan.grouping.repeatInterval,
    },
    receivers: [{ name: NO_NOTIFICATION }, ...plan.receivers.map((r) => {
      const [field, config] = crdIntegration(r.integration);
      return { name: r.name, [field]: [config] };
    })],
  };
}
