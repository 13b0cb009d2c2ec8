/** CPU and memory of a container, Kubernetes quantities. */
export interface ResourceProps {
  /** @default per workload */
  readonly requests?: { readonly cpu: string; readonly memory: string };
  /** @default per workload */
  readonly limits?: { readonly cpu: string; readonly memory: string };
}
