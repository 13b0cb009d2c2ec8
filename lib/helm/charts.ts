import type { HelmChartPin } from './model';

/** The official charts the Helm values are written for. */
export const HELM_CHARTS = {
  falco: {
    name: 'falco',
    version: '9.1.0',
    repository: 'https://falcosecurity.github.io/charts',
    source: 'falcosecurity/charts tag falco-9.1.0, charts/falco (appVersion 0.44.1; falcosidekick subchart 0.12.*, resolved to 0.12.1)',
  },
  // Its own release in the routing namespace: the falco chart's subchart would run in the falco release's namespace.
  falcosidekick: {
    name: 'falcosidekick',
    version: '0.12.1',
    repository: 'https://falcosecurity.github.io/charts',
    source: 'falcosecurity/charts tag falcosidekick-0.12.1, charts/falcosidekick (the version falco chart 9.1.0 resolves its falcosidekick 0.12.* dependency to)',
  },
  tetragon: {
    name: 'tetragon',
    version: '1.7.0',
    repository: 'https://helm.cilium.io',
    source: 'cilium/tetragon tag v1.7.0, install/kubernetes/tetragon (appVersion 1.7.0)',
  },
} as const satisfies Readonly<Record<string, HelmChartPin>>;
