export * from './charts';
export * from './model';
export * from './values-check';
export { falcoChartRelease, helmSidekickUrl, sidekickChartRelease, FALCO_CHART_FALCO_YAML_KEYS, FALCO_RELEASE_NAME, SIDEKICK_RELEASE_NAME } from './falco-values';
export { tetragonChartRelease, TETRAGON_RELEASE_NAME } from './tetragon-values';
export { helmDelivery, helmInstallCommand, renderHelmFiles, valuesFileName } from './releases';
export type { HelmDelivery, HelmFile } from './releases';
