import type { AuditProps } from '../audit/props';
import type { Suppression } from '../checks/finding';
import type { IpFamily } from '../core/ip-family';
import type { CloudProvider } from '../core/providers';
import type { DurableStorageProps } from '../durable/props';
import type { FalcoSensorProps } from '../falco/sensor/props';
import type { MonitoringProps } from '../monitoring/props';
import type { DetectionPackProps } from '../packs/props';
import type { RoutingProps } from '../routing/props';
import type { SensorOwnershipProps, TetragonSensorProps } from '../tetragon/props';

/** The cluster the stack protects. */
export interface ClusterProps {
  /** Cluster name as the provider knows it (used in log group names, queries, labels). */
  readonly name: string;
  /** Managed Kubernetes service. */
  readonly provider: CloudProvider;
  /** Cloud region (e.g. `eu-west-1`, `eu-frankfurt-1`, `westeurope`). @default none; required by layers that address cloud resources */
  readonly region?: string;
  /**
   * The family of the pods' addresses (`status.podIP`): on a dual-stack cluster, its first (primary) family. `IPv6`
   * binds Falco's webserver and the shipper's HTTP server to `::` and writes Alertmanager's cluster addresses in
   * brackets (`[$(POD_IP)]:9094`). @default 'IPv4'
   */
  readonly ipFamily?: IpFamily;
}

/** The runtime sensors. At least one must be enabled. */
export interface SensorsProps {
  /** Falco DaemonSet. @default enabled with defaults when no sensor is given */
  readonly falco?: FalcoSensorProps;
  /** Tetragon DaemonSet. @default not deployed */
  readonly tetragon?: TetragonSensorProps;
  /** Which sensor owns each detection when both run. @default none (required when both run) */
  readonly ownership?: SensorOwnershipProps;
}

/** A whole runtime-detection stack for one cluster. */
export interface DetectionStackProps {
  readonly cluster: ClusterProps;
  /**
   * Namespace of the workloads that need the node: the sensors (Falco, Tetragon), the k8saudit Falco and the
   * alert shipper. @default 'falco'
   */
  readonly namespace?: string;
  /**
   * Namespace of the routing workloads, which need nothing of the node (Falcosidekick, the bundled Alertmanager).
   * Must differ from `namespace`. @default `<namespace>-routing`
   */
  readonly routingNamespace?: string;
  /**
   * Create the namespaces, labelled for Pod Security Admission: `namespace` at `privileged` (the sensors need host
   * access and capabilities that the baseline and restricted levels refuse), `routingNamespace` (when there is
   * routing) at `restricted` (enforce, warn and audit). Set false when the namespaces are managed elsewhere; they must then allow the same.
   * @default true
   */
  readonly createNamespace?: boolean;
  /** Runtime sensors. @default { falco: {} } */
  readonly sensors?: SensorsProps;
  /**
   * The project's detection packs bound to the product: their syscall rules run in the node Falco after
   * `sensors.falco.customRules`, their k8s_audit rules in the k8saudit Falco, each with its owner; the report
   * and the runbooks read them from the plan. A pack detection with a Tetragon form runs in Tetragon instead
   * when Tetragon runs alone or `sensors.ownership` gives it its pattern (README "Which sensor runs a pack detection").
   * @default none
   */
  readonly packs?: DetectionPackProps;
  /** Alert routing (Falcosidekick outputs, teams, Alertmanager). @default none */
  readonly routing?: RoutingProps;
  /** Durable storage of every alert. @default none (fails synth unless waived) */
  readonly durable?: DurableStorageProps;
  /** Cloud and Kubernetes audit layers. @default the provider's defaults */
  readonly audit?: AuditProps;
  /** Monitoring of the stack itself (PodMonitors, health alerts, Grafana dashboards) for prometheus-operator users. @default none */
  readonly monitoring?: MonitoringProps;
  /** Guardrail suppressions, each with a reason. @default none */
  readonly suppressions?: readonly Suppression[];
}
