import {
  kqlString, logsInsightsList, logsInsightsString, ociLogStream, ociString, sqlIdentifier, sqlString,
} from './escape';
import { DetectionStackError } from '../core/errors';
import type { CloudProvider } from '../core/providers';

/** Where the stack's audit data lives and what the product is: what the queries are filled with. */
export interface InvestigationSettings {
  readonly provider: CloudProvider;
  /** The cluster's name as the provider knows it. */
  readonly cluster: string;
  /** Product namespaces the packs watch. */
  readonly namespaces: readonly string[];
  /**
   * How far back the queries look, in hours.
   * @default 24
   */
  readonly lookbackHours?: number;
  /**
   * EKS: the Athena table over the CloudTrail logs, `<database>.<table>`.
   * @default 'default.cloudtrail_logs'
   */
  readonly cloudTrailTable?: string;
  /**
   * OKE: the OCID of the compartment whose `_Audit` log group is searched.
   * @default a `<compartment-ocid>` placeholder the responder fills in
   */
  readonly ociCompartmentId?: string;
  /**
   * AKS: the audit table, as the diagnostic setting's category decides (`kube-audit` -> AKSAudit,
   * `kube-audit-admin` -> AKSAuditAdmin, which has no get/list).
   * @default 'AKSAudit'
   */
  readonly aksAuditTable?: 'AKSAudit' | 'AKSAuditAdmin';
}

/** The first questions of every runbook. */
export type InvestigationQuestion =
  | 'redeployed'
  | 'privileged-change'
  | 'image-changed'
  | 'secret-or-binding-change'
  | 'identity-activity'
  | 'cloud-identity-change';

export const QUESTION_TEXT: Readonly<Record<InvestigationQuestion, string>> = {
  'redeployed': 'Was the pod recently redeployed (workload objects created, updated or deleted)?',
  'privileged-change': 'Did a privileged identity (system:masters, a human admin) change the workload?',
  'image-changed': 'Did the image (and so its digest) change in the workload spec?',
  'secret-or-binding-change': 'Did a secret, service account or role binding change nearby?',
  'identity-activity': 'What else did the identity in the alert do?',
  'cloud-identity-change': 'Did a cloud identity or the cluster\'s access configuration change?',
};

export type QueryLanguage = 'CloudWatch Logs Insights' | 'Athena SQL' | 'OCI Logging search' | 'KQL';

/** One query a responder runs, ready to paste. */
export interface InvestigationQuery {
  readonly question: InvestigationQuestion;
  readonly language: QueryLanguage;
  /** Where to run it: a log group, a table, a log stream. */
  readonly target: string;
  readonly text: string;
}

/** What responders replace with values from the alert (kept inside quoted literals). */
export const ALERT_PLACEHOLDERS = {
  user: '<user from the alert>',
} as const;

const WORKLOAD_RESOURCES = ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'pods'];
const ACCESS_RESOURCES = ['secrets', 'serviceaccounts', 'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'];
const WRITE_VERBS = ['create', 'update', 'patch', 'delete'];

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function validate(s: InvestigationSettings): number {
  const hours = s.lookbackHours ?? 24;
  if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 90) {
    throw new DetectionStackError('DS-PACK-022', 'investigation.lookbackHours', `${hours} is not a usable look-back`,
      'give a whole number of hours between 1 and 2160');
  }
  s.namespaces.forEach((ns, i) => {
    if (!DNS_LABEL.test(ns)) {
      throw new DetectionStackError('DS-PACK-002', `investigation.namespaces[${i}]`, `'${ns}' is not a valid namespace name`,
        'use 1-63 lowercase letters, digits or \'-\'');
    }
  });
  return hours;
}

/** The queries answering the first questions, on the stack's provider, filled with its real names. */
export function investigationQueries(settings: InvestigationSettings): InvestigationQuery[] {
  const hours = validate(settings);
  switch (settings.provider) {
    case 'eks': return eksQueries(settings, hours);
    case 'aks': return aksQueries(settings, hours);
    case 'oke': return okeQueries(settings, hours);
  }
}

// ------------------------------------------------------------------------------------------ EKS

function eksQueries(s: InvestigationSettings, hours: number): InvestigationQuery[] {
  const logGroup = `/aws/eks/${s.cluster}/cluster`;
  const audit = (question: InvestigationQuestion, filter: string, fields: string, tail = '| sort @timestamp desc\n| limit 200'): InvestigationQuery => ({
    question,
    language: 'CloudWatch Logs Insights',
    target: `log group ${logGroup} (last ${hours} h)`,
    text: [
      `fields @timestamp, ${fields}`,
      '| filter @logStream like /^kube-apiserver-audit/',
      `| filter ${filter}`,
      tail,
    ].join('\n'),
  });
  const ns = `objectRef.namespace in ${logsInsightsList(s.namespaces)}`;
  const writes = `verb in ${logsInsightsList(WRITE_VERBS)}`;
  const table = sqlIdentifier(s.cloudTrailTable ?? 'default.cloudtrail_logs');
  return [
    audit('redeployed', `${ns} and objectRef.resource in ${logsInsightsList(WORKLOAD_RESOURCES)} and ${writes}`,
      'verb, user.username, objectRef.resource, objectRef.namespace, objectRef.name'),
    audit('privileged-change',
      `${ns} and objectRef.resource in ${logsInsightsList(WORKLOAD_RESOURCES)} and ${writes} and user.username not like /^system:(serviceaccount:kube-system|kube-controller-manager|node)/`,
      'verb, user.username, user.groups.0, user.groups.1, sourceIPs.0, objectRef.resource, objectRef.name'),
    audit('image-changed',
      `${ns} and objectRef.resource in ${logsInsightsList(WORKLOAD_RESOURCES)} and verb in ${logsInsightsList(['create', 'update', 'patch'])} and @message like /"image"/`,
      'verb, user.username, objectRef.resource, objectRef.name, requestObject.spec.template.spec.containers.0.image, requestObject.spec.containers.0.image'),
    audit('secret-or-binding-change',
      `(${ns} or objectRef.resource in ${logsInsightsList(['clusterroles', 'clusterrolebindings'])}) and objectRef.resource in ${logsInsightsList(ACCESS_RESOURCES)} and ${writes}`,
      'verb, user.username, objectRef.resource, objectRef.namespace, objectRef.name'),
    audit('identity-activity', `user.username = ${logsInsightsString(ALERT_PLACEHOLDERS.user)}`,
      'verb, objectRef.resource, objectRef.namespace, objectRef.name, objectRef.subresource, sourceIPs.0, responseStatus.code'),
    {
      question: 'cloud-identity-change',
      language: 'Athena SQL',
      target: `CloudTrail table ${table}`,
      text: [
        'SELECT eventtime, eventsource, eventname, useridentity.arn, sourceipaddress, requestparameters',
        `FROM ${table}`,
        `WHERE from_iso8601_timestamp(eventtime) > current_timestamp - INTERVAL '${hours}' HOUR`,
        `  AND (eventsource = ${sqlString('iam.amazonaws.com')}`,
        `       OR (eventsource = ${sqlString('eks.amazonaws.com')} AND strpos(requestparameters, ${sqlString(s.cluster)}) > 0))`,
        `  AND eventname NOT LIKE ${sqlString('Get%')} AND eventname NOT LIKE ${sqlString('List%')} AND eventname NOT LIKE ${sqlString('Describe%')}`,
        'ORDER BY eventtime DESC',
        'LIMIT 200',
      ].join('\n'),
    },
  ];
}

// ------------------------------------------------------------------------------------------ AKS

function kqlIn(values: readonly string[]): string {
  return `(${values.map(kqlString).join(', ')})`;
}

function aksQueries(s: InvestigationSettings, hours: number): InvestigationQuery[] {
  const table = s.aksAuditTable ?? 'AKSAudit';
  const clusterFilter = `| where tolower(_ResourceId) endswith ${kqlString(`/providers/microsoft.containerservice/managedclusters/${s.cluster.toLowerCase()}`)}`;
  const audit = (question: InvestigationQuestion, filter: string, project: string): InvestigationQuery => ({
    question,
    language: 'KQL',
    target: `Log Analytics table ${table} (last ${hours} h)`,
    text: [
      table,
      `| where TimeGenerated > ago(${hours}h)`,
      clusterFilter,
      `| where ${filter}`,
      `| project TimeGenerated, ${project}`,
      '| order by TimeGenerated desc',
      '| take 200',
    ].join('\n'),
  });
  const ns = `tostring(ObjectRef.namespace) in ${kqlIn(s.namespaces)}`;
  const writes = `Verb in ${kqlIn(WRITE_VERBS)}`;
  const who = 'User = tostring(User.username), Groups = User.groups, SourceIps';
  const what = 'Verb, Resource = tostring(ObjectRef.resource), Namespace = tostring(ObjectRef.namespace), Name = tostring(ObjectRef.name)';
  return [
    audit('redeployed', `${ns} and tostring(ObjectRef.resource) in ${kqlIn(WORKLOAD_RESOURCES)} and ${writes}`, `${what}, ${who}`),
    audit('privileged-change',
      `${ns} and tostring(ObjectRef.resource) in ${kqlIn(WORKLOAD_RESOURCES)} and ${writes} and not(tostring(User.username) startswith ${kqlString('system:')})`,
      `${who}, ${what}`),
    audit('image-changed',
      `${ns} and tostring(ObjectRef.resource) in ${kqlIn(WORKLOAD_RESOURCES)} and Verb in ${kqlIn(['create', 'update', 'patch'])} and tostring(RequestObject) has ${kqlString('image')}`,
      `${what}, ${who}, Images = extract_all(${kqlString('"image":"([^"]+)"')}, tostring(RequestObject))`),
    audit('secret-or-binding-change',
      `(${ns} or tostring(ObjectRef.resource) in ${kqlIn(['clusterroles', 'clusterrolebindings'])}) and tostring(ObjectRef.resource) in ${kqlIn(ACCESS_RESOURCES)} and ${writes}`,
      `${what}, ${who}`),
    audit('identity-activity', `tostring(User.username) == ${kqlString(ALERT_PLACEHOLDERS.user)}`,
      `${what}, SourceIps, Code = tostring(ResponseStatus.code)`),
    {
      question: 'cloud-identity-change',
      language: 'KQL',
      target: `Log Analytics table AzureActivity (last ${hours} h)`,
      text: [
        'AzureActivity',
        `| where TimeGenerated > ago(${hours}h)`,
        `| where OperationNameValue startswith ${kqlString('Microsoft.Authorization/roleAssignments')}`,
        `    or OperationNameValue startswith ${kqlString('Microsoft.ManagedIdentity/')}`,
        `    or (OperationNameValue startswith ${kqlString('Microsoft.ContainerService/managedClusters')} and _ResourceId has ${kqlString(s.cluster)})`,
        '| project TimeGenerated, Caller, CallerIpAddress, OperationNameValue, ActivityStatusValue, _ResourceId',
        '| order by TimeGenerated desc',
        '| take 200',
      ].join('\n'),
    },
  ];
}

// ------------------------------------------------------------------------------------------ OKE

function okeQueries(s: InvestigationSettings, hours: number): InvestigationQuery[] {
  const stream = ociLogStream(s.ociCompartmentId ?? '<compartment-ocid>', '_Audit');
  const anyOf = (clauses: readonly string[]) => `(${clauses.join(' or ')})`;
  const inNamespaces = anyOf(s.namespaces.map((ns) => `data.request.path = ${ociString(`*/namespaces/${ns}/*`)}`));
  const pathHas = (resources: readonly string[]) => anyOf(resources.map((r) => `data.request.path = ${ociString(`*/${r}*`)}`));
  const actions = (names: readonly string[]) => anyOf(names.map((a) => `data.request.action = ${ociString(a)}`));
  const writes = actions(['POST', 'PUT', 'PATCH', 'DELETE']);
  const query = (question: InvestigationQuestion, where: string): InvestigationQuery => ({
    question,
    language: 'OCI Logging search',
    target: `log group _Audit of the cluster's compartment (last ${hours} h)`,
    text: [
      `search ${stream}`,
      `| where ${where}`,
      '| select datetime, data.eventName, data.identity.principalName, data.identity.ipAddress, data.request.action, data.request.path',
      '| sort by datetime desc',
    ].join('\n'),
  });
  return [
    query('redeployed', `${inNamespaces} and ${pathHas(WORKLOAD_RESOURCES)} and ${writes}`),
    query('privileged-change', `${inNamespaces} and ${pathHas(WORKLOAD_RESOURCES)} and ${writes} and data.identity.principalName != ${ociString('system:serviceaccount:kube-system:replicaset-controller')}`),
    query('image-changed', `${inNamespaces} and ${pathHas(['deployments', 'statefulsets', 'daemonsets'])} and ${actions(['PATCH', 'PUT'])}`),
    query('secret-or-binding-change', `${pathHas(ACCESS_RESOURCES)} and ${writes}`),
    query('identity-activity', `data.identity.principalName = ${ociString(ALERT_PLACEHOLDERS.user)}`),
    query('cloud-identity-change', `${anyOf(['CreatePolicy', 'UpdatePolicy', 'AddUserToGroup', 'CreateDynamicGroup', 'UpdateDynamicGroup', 'UpdateCluster']
      .map((e) => `data.eventName = ${ociString(e)}`))} or data.resourceName = ${ociString(s.cluster)}`),
  ];
}
