import { defineCodes } from './entry';

/** The stack's own props and their checks at the entry (lib/validation, lib/core/names, lib/stack). */
export const PROPS_CODES = defineCodes({
  'DS-PROPS-001': { level: 'error', meaning: 'a value that becomes a Kubernetes object name (namespace, stack name) is not a valid DNS-1123 label', fix: 'use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit' },
  'DS-PROPS-002': { level: 'error', meaning: 'the cluster name is not a name the provider gives clusters', fix: 'use 1-63 letters, digits, \'-\' or \'_\', starting with a letter or digit, exactly as the provider names the cluster' },
  'DS-PROPS-003': { level: 'error', meaning: 'the cluster provider is not one the stack supports', fix: 'set cluster.provider to \'oke\', \'eks\' or \'aks\'' },
  'DS-PROPS-004': { level: 'error', meaning: 'a required prop is missing (or the props themselves)', fix: 'give the prop; the message names it and its type' },
  'DS-PROPS-005': { level: 'error', meaning: 'no runtime sensor is enabled', fix: 'set sensors.falco and/or sensors.tetragon' },
  'DS-PROPS-006': { level: 'error', meaning: 'the region is not a region identifier', fix: 'use the provider\'s region identifier in lowercase, e.g. \'eu-west-1\' (EKS), \'eu-frankfurt-1\' (OKE), \'westeurope\' (AKS)' },
  'DS-PROPS-007': { level: 'error', meaning: 'the routing namespace is the sensors\' namespace: the routing workloads would run at Pod Security `privileged`', fix: 'give routingNamespace a namespace of its own, or leave it unset (`<namespace>-routing`)' },
  'DS-PROPS-010': { level: 'error', meaning: 'a prop has the wrong type (a string for a list, a number for a string, null, ...)', fix: 'give the type the message names' },
  'DS-PROPS-011': { level: 'error', meaning: 'a prop the props type does not have (often a misspelling)', fix: 'remove it, or use the known prop the message suggests' },
  'DS-PROPS-012': { level: 'error', meaning: 'a value that is not one of the values the prop allows', fix: 'use one of the values the message lists' },
  'DS-PROPS-013': { level: 'error', meaning: 'a prop no Kubernetes object or props type can hold: a string over 1 MiB, or objects and lists nested deeper than 64 levels', fix: 'keep each string under 1 MiB and give the shape the props type documents' },
  'DS-PROPS-020': { level: 'error', meaning: 'a value that ends up in a Kubernetes label, annotation, selector or name breaks Kubernetes\' own rules for it', fix: 'follow the rule the message names (qualified name, label value, DNS-1123); no newlines, quotes or spaces' },
  'DS-PROPS-021': { level: 'error', meaning: 'a cloud identifier (IAM role ARN, Entra client ID, ...) does not follow the provider\'s format', fix: 'give the identifier exactly as the provider prints it' },
});
