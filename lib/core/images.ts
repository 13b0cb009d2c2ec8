/** A container image the stack deploys by default: what, which release, and where the pin comes from. */
export interface ImagePin {
  /** Repository, registry included. */
  readonly repository: string;
  /** Release tag. */
  readonly version: string;
  /** Multi-arch index digest of the tag; absent only where no published digest could be verified. */
  readonly digest?: string;
  /** Where this version and digest come from. */
  readonly source: string;
}

/** Every default image of the stack, in one place. */
export const IMAGE_PINS = {
  falco: {
    repository: 'docker.io/falcosecurity/falco',
    version: '0.44.1',
    digest: 'sha256:d0cfe422d6ac0e0f20857798f46c7d7273210e1b064b22821e4e6e7f843cde6b',
    source: 'the image the falcosecurity/charts falco chart 9.1.0 deploys; digest of the multi-arch index',
  },
  falcoctl: {
    repository: 'docker.io/falcosecurity/falcoctl',
    version: '0.13.0',
    digest: 'sha256:0eeb79adc580ae6a5abfdefd7f8f0fed9151fcb545f015c84e8f1d7b2d8a6b02',
    source: 'falcosecurity/charts falco 9.1.0 values.yaml (falcoctl.image.tag "0.13.0"); digest of the multi-arch index as deployed with that chart',
  },
  falcosidekick: {
    repository: 'docker.io/falcosecurity/falcosidekick',
    version: '2.34.1',
    digest: 'sha256:d4f0d7c538ede3fe4a491143c45c0787bf4fc24e6fcac6d39dff6721d75a9419',
    source: 'falcosecurity/falcosidekick release 2.34.1; digest of the multi-arch index',
  },
  alertmanager: {
    repository: 'quay.io/prometheus/alertmanager',
    version: 'v0.34.0',
    digest: 'sha256:690c7b525f4367aa91f73e2f91c632206d32e97c6384bdbf2fb7a861b420340d',
    source: 'prometheus/alertmanager release v0.34.0; digest of the multi-arch index',
  },
  fluentBit: {
    repository: 'docker.io/fluent/fluent-bit',
    version: '5.1.1',
    digest: 'sha256:a941bdd5ca552b2c6597fc7b3bccf2e61d30873939bab5700963de0e94ac6169',
    source: 'fluent/fluent-bit release 5.1.1 (the version the conformance tests run); digest of the multi-arch index',
  },
  tetragon: {
    repository: 'quay.io/cilium/tetragon',
    version: 'v1.7.0',
    digest: 'sha256:deda51c3f88e4d26b4d76c99ea207f2b05f9e40c210e0f04a37ca632ab7bf527',
    source: 'cilium/tetragon v1.7.0 (install/kubernetes/tetragon/Chart.yaml appVersion 1.7.0)',
  },
  tetragonOperator: {
    repository: 'quay.io/cilium/tetragon-operator',
    version: 'v1.7.0',
    digest: 'sha256:074ffbd19208eed79f68e191ed606e05009f910b4bb5148efcf2973e13504b82',
    source: 'cilium/tetragon v1.7.0, the operator of the same release',
  },
  k8sMetacollector: {
    repository: 'docker.io/falcosecurity/k8s-metacollector',
    version: '0.1.1',
    source: 'falcosecurity/charts falco 9.1.0 Chart.yaml depends on k8s-metacollector 0.1.* (newest 0.1.10, appVersion 0.1.1); '
      + 'no published digest could be verified from here, so the opt-in needs sensors.falco.kubernetesMetadata.collector.image.digest (or a tag given on purpose)',
  },
  hubbleExportStdout: {
    repository: 'quay.io/cilium/hubble-export-stdout',
    version: 'v1.1.1',
    source: 'cilium/tetragon v1.7.0 chart values.yaml (export.stdout.image); no published digest found, so it is never a default: '
      + 'the export-stdout sidecar is an opt-in that needs images.exportStdout with its digest',
  },
} as const satisfies Readonly<Record<string, ImagePin>>;

/** The reference a pod spec uses: `repository:version@digest` (or `repository:version` without a digest). */
export function imageReference(pin: ImagePin): string {
  return `${pin.repository}:${pin.version}${pin.digest ? `@${pin.digest}` : ''}`;
}

/** An OCI artifact falcoctl or the Falco Operator installs (a plugin or a rules file), not a container image. */
export interface ArtifactPin {
  readonly kind: 'plugin' | 'ruleset';
  /** Repository, registry included. */
  readonly repository: string;
  /** Tag: an exact release, or a floating minor or major tag where upstream's installers use one. */
  readonly version: string;
  /** Where this version comes from, and why there is no digest. */
  readonly source: string;
}

const NO_ARTIFACT_DIGEST = 'pinned by tag (falcoctl and the operator pull artifacts by tag), no digest could be verified from here';

/** Every plugin and rules artifact the stack installs, in one place beside the images. */
export const ARTIFACT_PINS = {
  k8smeta: {
    kind: 'plugin',
    repository: 'ghcr.io/falcosecurity/plugins/plugin/k8smeta',
    version: '0.4.1',
    source: `falcosecurity/charts falco 9.1.0 values.yaml collectors.kubernetes.pluginRef; ${NO_ARTIFACT_DIGEST}`,
  },
  containerPlugin: {
    kind: 'plugin',
    repository: 'ghcr.io/falcosecurity/plugins/plugin/container',
    version: '0.7.1',
    source: `the container plugin Falco 0.44.1 bundles (falco chart 9.1.0 collectors.containerEngine.pluginRef); ${NO_ARTIFACT_DIGEST}`,
  },
  falcoRules: {
    kind: 'ruleset',
    repository: 'ghcr.io/falcosecurity/rules/falco-rules',
    version: '5',
    source: `falcosecurity/charts falco 9.1.0 values.yaml falcoctl.config.artifact.install.refs [falco-rules:5] (the major follows the chart); ${NO_ARTIFACT_DIGEST}`,
  },
  k8sauditRules: {
    kind: 'ruleset',
    repository: 'ghcr.io/falcosecurity/plugins/ruleset/k8saudit',
    version: '0.18',
    source: `the k8saudit ruleset of the series upstream k8s_audit_rules.yaml requires (required_plugin_versions k8saudit 0.18.0), minor floating tag; ${NO_ARTIFACT_DIGEST}`,
  },
  json: {
    kind: 'plugin',
    repository: 'ghcr.io/falcosecurity/plugins/plugin/json',
    version: '0.7',
    source: `upstream k8s_audit_rules.yaml required_plugin_versions json 0.7.0, minor floating tag; ${NO_ARTIFACT_DIGEST}`,
  },
  k8sauditEks: {
    kind: 'plugin',
    repository: 'ghcr.io/falcosecurity/plugins/plugin/k8saudit-eks',
    version: '0.12',
    source: `upstream k8s_audit_rules.yaml required_plugin_versions (alternative k8saudit-eks 0.12.0), minor floating tag; ${NO_ARTIFACT_DIGEST}`,
  },
  k8sauditAks: {
    kind: 'plugin',
    repository: 'ghcr.io/falcosecurity/plugins/plugin/k8saudit-aks',
    version: '0.6',
    source: `upstream k8s_audit_rules.yaml required_plugin_versions (alternative k8saudit-aks 0.6.0), minor floating tag; ${NO_ARTIFACT_DIGEST}`,
  },
} as const satisfies Readonly<Record<string, ArtifactPin>>;

/** The reference falcoctl installs: `repository:version`. */
export function artifactReference(pin: ArtifactPin): string {
  return `${pin.repository}:${pin.version}`;
}

/** The pin as the Falco Operator's `ociArtifact` takes it: registry host, repository below it, tag. */
export function artifactParts(pin: ArtifactPin): { readonly registry: string; readonly repository: string; readonly tag: string } {
  const slash = pin.repository.indexOf('/');
  return { registry: pin.repository.slice(0, slash), repository: pin.repository.slice(slash + 1), tag: pin.version };
}
