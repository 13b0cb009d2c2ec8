// Tetragon TracingPolicy support for `detection-stack validate`, registered by the CLI's main module.
import { CliDiagnostic, FileValidator, ValidatedFile } from './validate';
import type * as TetragonYaml from '../tetragon/yaml';

/** The TracingPolicy reader (and the whole `yaml` library), loaded only when a file is a policy. */
function tetragonYaml(): typeof TetragonYaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../tetragon/yaml') as typeof TetragonYaml;
}

/** A top-level `apiVersion: cilium.io/...` line: the file holds Tetragon policies (other documents in it are skipped). */
const CILIUM_API_VERSION = /^apiVersion:\s*["']?cilium\.io\//m;

/**
 * Checks TracingPolicy and TracingPolicyNamespaced files: structure against the CRD, then Tetragon's load-time limits.
 * Enforcement actions are accepted in files (the opt-in applies to stacks), but only on hooks that support them.
 */
export const TETRAGON_FILE_VALIDATOR: FileValidator = {
  kind: 'TracingPolicy',
  accepts: (file: ValidatedFile) => CILIUM_API_VERSION.test(file.content),
  validate: (files: readonly ValidatedFile[]): CliDiagnostic[] => files.flatMap((file) =>
    tetragonYaml().loadTracingPolicies(file.content, file.name).issues.map((i) => ({
      severity: 'error' as const,
      code: i.code,
      message: `${i.path ? `${i.path}: ` : ''}${i.message}. Fix: ${i.fix}`,
      file: i.file,
      line: i.line,
      col: i.col,
    }))),
};
