// Tetragon TracingPolicy support for `detection-stack validate`, registered by the CLI's main module.
import { CliDiagnostic, FileValidator, ValidatedFile } from './validate';
import { loadTracingPolicies } from '../tetragon/yaml';

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
    loadTracingPolicies(file.content, file.name).issues.map((i) => ({
      severity: 'error' as const,
      code: i.code,
      message: `${i.path ? `${i.path}: ` : ''}${i.message}. Fix: ${i.fix}`,
      file: i.file,
      line: i.line,
      col: i.col,
    }))),
};
