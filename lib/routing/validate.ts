import { classifyHost, NetworkDestination } from '../core/egress';
import { DetectionStackError } from '../core/errors';
import { NamedOptOut, requireReason } from '../core/opt-out';
import { redactUrl } from '../core/urls';

const DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;
const TEAM_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export function requireDuration(where: string, value: string): string {
  if (!DURATION.test(value)) {
    throw new DetectionStackError('DS-ROUTE-008', where, `'${value}' is not a duration`, 'use a Prometheus duration such as \'30s\', \'5m\' or \'4h\'');
  }
  return value;
}

export function requireTeamName(where: string, value: string): string {
  if (typeof value !== 'string' || !TEAM_NAME.test(value)) {
    throw new DetectionStackError('DS-ROUTE-005', where, `team name '${String(value)}' is not valid`,
      'use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit');
  }
  return value;
}

export function requireEmail(where: string, value: string): string {
  if (typeof value !== 'string' || !EMAIL.test(value)) {
    throw new DetectionStackError('DS-ROUTE-022', where, `'${String(value)}' is not an e-mail address`, 'use a plain address such as security@example.com');
  }
  return value;
}

/**
 * Parses a destination URL: https always; http only to an in-cluster address or with an explicit opt-out.
 */
export function requireDestinationUrl(where: string, url: string, stackNamespace: string, optOut?: NamedOptOut): NetworkDestination {
  requireReason(`${where}.allowInsecureHttp`, optOut);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DetectionStackError('DS-ROUTE-003', where, `'${redactUrl(url)}' is not a URL`, 'give an absolute URL such as https://host/path');
  }
  if (parsed.username || parsed.password) {
    throw new DetectionStackError('DS-ROUTE-020', where, 'the URL carries credentials',
      'put credentials in a Kubernetes Secret and reference it ({ name, key }) instead of writing them in the URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new DetectionStackError('DS-ROUTE-021', where, `scheme '${parsed.protocol}' is not supported`, 'use https:// (or http:// to an in-cluster Service)');
  }
  const port = parsed.port ? Number(parsed.port) : (parsed.protocol === 'https:' ? 443 : 80);
  const dest = classifyHost(parsed.hostname, port, stackNamespace);
  if (parsed.protocol === 'http:' && !dest.inCluster && !optOut) {
    throw new DetectionStackError('DS-ROUTE-013', where, `'${redactUrl(url)}' sends alerts in clear text to a host outside the cluster`,
      'use https://, an in-cluster Service address (name.namespace.svc), or set allowInsecureHttp: { reason }');
  }
  return dest;
}

/** Parses `host:port`. */
export function requireHostPort(where: string, value: string, stackNamespace: string, defaultPort?: number): NetworkDestination {
  const m = /^([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?$/.exec(value ?? '');
  const port = m?.[2] !== undefined ? Number(m[2]) : defaultPort;
  if (!m || port === undefined || port < 1 || port > 65535) {
    throw new DetectionStackError('DS-ROUTE-023', where, `'${String(value)}' is not host:port`, 'write the address as host:port, e.g. smtp.example.com:587');
  }
  return classifyHost(m[1], port, stackNamespace);
}
