// falcoctl, which installs plugins and rules artifacts for the Falco instances of the stack.
/**
 * falcoctl 0.13.0 reads its configuration from `--config` (default `/etc/falcoctl/falcoctl.yaml`) on every command
 * and, when the file is missing, creates the directory and writes the defaults there; artifact state goes to
 * `--state-dir` (default `/var/lib/falcoctl`) (falcosecurity/falcoctl v0.13.0 internal/config/config.go `ConfigPath`,
 * `StateDir`, `Load`). Both are writable emptyDirs, as the chart mounts them.
 */
export const FALCOCTL_CONFIG_DIR = '/etc/falcoctl';
export const FALCOCTL_STATE_DIR = '/var/lib/falcoctl';
/** Requests and limits of falcoctl, which only downloads plugins and rules (the k8saudit Falco's and the node Falco's k8smeta). */
export const FALCOCTL_RESOURCES = { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } } as const;
