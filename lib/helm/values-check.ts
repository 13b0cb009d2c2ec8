/**
 * Where a values file departs from a chart's own values.yaml: keys the chart does not have (Helm keeps
 * them and no template reads them, so the setting is silently dead) and values of another type than the
 * chart's default (a string where a template pipes into `b64enc`, a map where it expects a list).
 * An empty map or a null default is free-form (labels, annotations, `customRules`, `podPriorityClassName`), and so
 * is a map the chart's templates copy as is into a Kubernetes object (`passThrough`: dotted paths such as
 * `podSecurityContext`, whose default may hold a few fields).
 */
export function valuesProblems(values: unknown, defaults: unknown, passThrough: readonly string[] = [], path = ''): string[] {
  if (!isMap(defaults) || Object.keys(defaults).length === 0 || passThrough.includes(path)) return [];
  if (!isMap(values)) return [`${path || '(root)'}: a map is expected, not ${kindOf(values)}`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const at = path ? `${path}.${key}` : key;
    if (!Object.prototype.hasOwnProperty.call(defaults, key)) {
      problems.push(`${at}: the chart has no such key`);
      continue;
    }
    const fallback = defaults[key];
    if (fallback === null || fallback === undefined) continue;
    if (isMap(fallback)) {
      problems.push(...valuesProblems(value, fallback, passThrough, at));
    } else if (kindOf(value) !== kindOf(fallback)) {
      problems.push(`${at}: the chart's default is ${kindOf(fallback)}, this is ${kindOf(value)}`);
    }
  }
  return problems;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'null';
  if (isMap(value)) return 'a map';
  return `a ${typeof value}`;
}
