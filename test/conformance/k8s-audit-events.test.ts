import { readdirSync, readFileSync } from 'fs';
import { corpusPath } from './corpora';
import { EventsFileError, loadRulesForEvaluation, parseEventsText, RuleEvaluator } from '../../lib';

/**
 * The audit events of Falco's own k8s audit tests (most without `apiVersion`, as older API servers
 * wrote them) are read as k8s_audit events, as the k8saudit plugin reads them by `kind` alone
 * (falcosecurity/plugins @ 0809a56b54b4, plugins/k8saudit/pkg/k8saudit/source.go, ParseAuditEventsJSON),
 * and the upstream k8saudit rules fire on them.
 */

const EVENTS_DIR = 'k8s-audit-events';
const NOT_AN_EVENT = 'fal_01_003.json'; // {"kind": 0}: the plugin's "data not recognized as a k8s audit event"

const rules = loadRulesForEvaluation([{
  name: 'k8s_audit_rules.yaml', content: readFileSync(corpusPath('falco-plugin-rules', 'k8s_audit_rules.yaml'), 'utf8'),
}]);
const evaluator = new RuleEvaluator(rules.rules, { ruleMatching: 'all' });
const files = readdirSync(corpusPath(EVENTS_DIR)).filter((f) => f.endsWith('.json')).sort();
const eventsOf = (file: string) => parseEventsText(readFileSync(corpusPath(EVENTS_DIR, file), 'utf8'), file);
const firedOn = (file: string) => new Set(eventsOf(file).flatMap((e) => evaluator.evaluate(e.event, e.source).map((d) => d.rule)));

test('the corpus has audit events without apiVersion', () => {
  const withoutApiVersion = files.filter((f) => f !== NOT_AN_EVENT && eventsOf(f).some((e) => e.event.apiVersion === undefined));
  expect(withoutApiVersion.length).toBeGreaterThan(20);
  expect(rules.errors).toEqual([]);
});

test.each(files.filter((f) => f !== NOT_AN_EVENT))('%s is read as k8s_audit events', (file) => {
  const events = eventsOf(file);
  expect(events.length).toBeGreaterThan(0);
  expect(events.every((e) => e.source === 'k8s_audit')).toBe(true);
});

test.each([
  ['attach_pod.json', 'Attach/Exec Pod'],
  ['exec_pod.json', 'Attach/Exec Pod'],
  ['create_nginx_pod_privileged.json', 'Create Privileged Pod'],
  ['create_nginx_pod_hostnetwork.json', 'Create HostNetwork Pod'],
  ['create_nginx_pod_sensitive_mount.json', 'Create Sensitive Mount Pod'],
  ['create_configmap_sensitive_values.json', 'Create/Modify Configmap With Private Credentials'],
  ['create_cluster_role_wildcard_verbs.json', 'ClusterRole With Wildcard Created'],
  ['attach_cluster_admin_role.json', 'Attach to cluster-admin Role'],
])('%s fires %s', (file, rule) => {
  expect(firedOn(file).has(rule)).toBe(true);
});

test('an event that fits no source format is an error naming its line', () => {
  let caught: unknown;
  try {
    eventsOf(NOT_AN_EVENT);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(EventsFileError);
  expect((caught as EventsFileError).message).toMatch(/^fal_01_003\.json:1:1: error EVENTS_UNKNOWN_FORMAT /);
});
