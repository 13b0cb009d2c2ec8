/**
 * Falcosidekick settings whose value is a map (falcosidekick 2.34.1 types/types.go); every other nested map is
 * a section (`aws.s3`, `azure.eventHub`).
 */
const MAP_SETTINGS = ['extralabels', 'extraannotations', 'customheaders', 'customseveritymap', 'customattributes', 'extensions'];

/**
 * One output's settings as the subchart takes them: its Secret holds each as an env var, so maps are written as
 * Falcosidekick parses them from env (`key:value,key:value`, falcosidekick 2.34.1 config.go) and lists comma-joined.
 */
export function chartSettings(settings: unknown): unknown {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return settings;
  return Object.fromEntries(Object.entries(settings).map(([key, value]) => {
    if (Array.isArray(value)) return [key, value.join(',')];
    if (typeof value === 'object' && value !== null) return [key, MAP_SETTINGS.includes(key) ? keyValues(value) : chartSettings(value)];
    return [key, value];
  }));
}

export function keyValues(map: unknown): string {
  if (typeof map !== 'object' || map === null) return '';
  return Object.entries(map).map(([k, v]) => `${k}:${String(v)}`).join(',');
}

/**
 * Falcosidekick's settings as the environment it reads them from (viper: `a.b.c` is `A_B_C`): every value a string,
 * maps and lists written as for the chart. The operator's Falcosidekick Component has no config file.
 */
export function sidekickEnvSettings(config: Readonly<Record<string, unknown>>): Record<string, string> {
  const env: Record<string, string> = {};
  const walk = (value: unknown, path: string[]): void => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && !MAP_SETTINGS.includes(path[path.length - 1] ?? '')
      && path.join('.') !== 'customfields') {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      return;
    }
    const flat = Array.isArray(value) ? value.join(',') : typeof value === 'object' && value !== null ? keyValues(value) : String(value);
    env[path.join('_').toUpperCase()] = flat;
  };
  walk(config, []);
  return env;
}
