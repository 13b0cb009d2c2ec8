import { defineCodes } from './entry';

/** Monitoring the stack itself (lib/monitoring). */
export const MONITORING_CODES = defineCodes({
  'DS-MON-001': { level: 'error', meaning: 'the Prometheus that scrapes the stack is not named', fix: 'set monitoring.prometheus.namespace to the namespace your Prometheus runs in, e.g. \'monitoring\'' },
  'DS-MON-002': { level: 'error', meaning: 'a monitoring window or interval is not a Prometheus duration', fix: 'use a duration such as \'30s\', \'10m\' or \'24h\'' },
  'DS-MON-003': { level: 'error', meaning: 'the Grafana dashboard sidecar label is empty', fix: 'give the label Grafana\'s dashboard sidecar watches, e.g. { grafana_dashboard: \'1\' }' },
  'DS-MON-004': { level: 'error', meaning: 'the alerts\' runbook URL is not a usable https URL', fix: 'give an https URL without query or fragment, e.g. https://git.example.com/platform/detection/-/tree/main/runbooks' },
  'DS-MON-005': { level: 'error', meaning: 'an alert threshold (matches per day, drop ratio) is out of range', fix: 'use a positive whole number of matches per day, or a ratio between 0 and 1' },
});
