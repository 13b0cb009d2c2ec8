/**
 * Pinned images of the routing and durable layers: the latest upstream release at the time of writing.
 * Digests are the multi-arch index digests published for each tag.
 */
export const ROUTING_IMAGES = {
  /** falcosecurity/falcosidekick release 2.34.1. */
  falcosidekick: 'docker.io/falcosecurity/falcosidekick:2.34.1@sha256:d4f0d7c538ede3fe4a491143c45c0787bf4fc24e6fcac6d39dff6721d75a9419',
  /** prometheus/alertmanager release v0.34.0. */
  alertmanager: 'quay.io/prometheus/alertmanager:v0.34.0@sha256:690c7b525f4367aa91f73e2f91c632206d32e97c6384bdbf2fb7a861b420340d',
  /** fluent/fluent-bit release 5.1.1. */
  fluentBit: 'docker.io/fluent/fluent-bit:5.1.1@sha256:a941bdd5ca552b2c6597fc7b3bccf2e61d30873939bab5700963de0e94ac6169',
} as const;
