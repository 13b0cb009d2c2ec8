import { DetectionStackError } from '../core/errors';

/**
 * Literal quoting for each query language a runbook writes. Every value placed into a query
 * (cluster names, namespaces, table names, OCIDs) goes through one of these, so no value can
 * end its literal and add query text.
 */

function rejectControl(language: string, value: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new DetectionStackError('DS-PACK-020', `investigation (${language})`,
      `the value ${JSON.stringify(value)} contains a control character`, 'remove control characters (newlines, tabs, NUL) from the name');
  }
}

/** CloudWatch Logs Insights: a double-quoted string, `\` and `"` escaped with a backslash. */
export function logsInsightsString(value: string): string {
  rejectControl('CloudWatch Logs Insights', value);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Athena (Trino SQL): a single-quoted string, `'` doubled. */
export function sqlString(value: string): string {
  rejectControl('Athena SQL', value);
  return `'${value.replace(/'/g, "''")}'`;
}

/** Athena (Trino SQL): a quoted identifier (`"db"."table"` for a dotted name), `"` doubled. */
export function sqlIdentifier(name: string): string {
  rejectControl('Athena SQL', name);
  if (name.length === 0) {
    throw new DetectionStackError('DS-PACK-020', 'investigation (Athena SQL)', 'the table name is empty', 'give the CloudTrail table as <database>.<table>');
  }
  return name.split('.').map((part) => `"${part.replace(/"/g, '""')}"`).join('.');
}

/** KQL: a double-quoted string with backslash escapes. */
export function kqlString(value: string): string {
  rejectControl('KQL', value);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** KQL: a dynamic array of strings, `dynamic(["a", "b"])`. */
export function kqlDynamicList(values: readonly string[]): string {
  return `dynamic([${values.map(kqlString).join(', ')}])`;
}

/**
 * OCI Logging query language. Its documentation specifies quoted identifiers (`"` doubled) but
 * not how a quote inside a string literal is escaped, so values are restricted to characters that
 * cannot end a literal (letters, digits, spaces, `. - _ : / * @ < >`: enough for Kubernetes names,
 * OCIDs and e-mail principals) and single-quoted; anything else is refused rather than guessed.
 */
export function ociString(value: string): string {
  if (!/^[A-Za-z0-9._:/*@<> -]*$/.test(value)) {
    throw new DetectionStackError('DS-PACK-021', 'investigation (OCI Logging search)',
      `the value ${JSON.stringify(value)} cannot be placed in an OCI Logging query safely`,
      'use only letters, digits, spaces and . - _ : / * @ < > (Kubernetes names and OCIDs always do)');
  }
  return `'${value}'`;
}

/** OCI Logging: the log stream of `search "<compartment>/<log group>"`. */
export function ociLogStream(compartment: string, logGroup: string): string {
  const stream = `${compartment}/${logGroup}`;
  if (!/^[A-Za-z0-9._:<> -]*\/[A-Za-z0-9._-]+$/.test(stream)) {
    throw new DetectionStackError('DS-PACK-021', 'investigation (OCI Logging search)',
      `the log stream ${JSON.stringify(stream)} cannot be placed in an OCI Logging query safely`,
      'give the compartment as its OCID (ocid1.compartment.oc1..)');
  }
  return `"${stream}"`;
}

/** A CloudWatch Logs Insights list: `["a", "b"]`. */
export function logsInsightsList(values: readonly string[]): string {
  return `[${values.map(logsInsightsString).join(', ')}]`;
}

/** A SQL list: `('a', 'b')`. */
export function sqlList(values: readonly string[]): string {
  return `(${values.map(sqlString).join(', ')})`;
}
