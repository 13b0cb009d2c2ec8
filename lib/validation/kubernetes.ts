// Kubernetes' own rules for values that end up in object names, labels, annotations and selectors, as the API
// server applies them (kubernetes/apimachinery pkg/util/validation/validation.go: IsDNS1123Label,
// IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue). A value that breaks them would fail at apply time.
import { z } from 'zod';
import { patterned, rule } from './build';
import { quote } from './report';
import type { StackCode } from '../core/error-codes';

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const QUALIFIED_NAME_MAX = 63;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL_MAX = 63;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_SUBDOMAIN_MAX = 253;
const LABEL_VALUE_MAX = 63;

/** Code of every Kubernetes naming rule of the schema layer. */
export const KUBERNETES_NAME_CODE = 'DS-PROPS-020' satisfies StackCode;

export function isDns1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(value);
}

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(value);
}

/** A label or annotation key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
export function isQualifiedName(value: string): boolean {
  const parts = value.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && !isDns1123Subdomain(parts[0])) return false;
  return name.length <= QUALIFIED_NAME_MAX && QUALIFIED_NAME.test(name);
}

/** A label value (also a nodeSelector value): empty, or a qualified name without prefix. */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= LABEL_VALUE_MAX && QUALIFIED_NAME.test(value));
}

export const dns1123Label = (what: string): z.ZodString => patterned(DNS1123_LABEL, DNS1123_LABEL_MAX, KUBERNETES_NAME_CODE,
  `a valid ${what} (a Kubernetes DNS-1123 label)`,
  'use at most 63 lowercase letters, digits or \'-\', starting and ending with a letter or digit');

export const dns1123Subdomain = (what: string): z.ZodString => patterned(DNS1123_SUBDOMAIN, DNS1123_SUBDOMAIN_MAX,
  KUBERNETES_NAME_CODE, `a valid ${what} (a Kubernetes DNS-1123 subdomain)`,
  'use at most 253 lowercase letters, digits, \'-\' or \'.\', each dot-separated part starting and ending with a letter or digit');

const LABEL_KEY_FIX = 'use an optional DNS subdomain prefix and \'/\', then at most 63 letters, digits, \'-\', \'_\' or \'.\' starting and ending with a letter or digit (e.g. \'kubernetes.io/os\')';

export const labelKey = (): z.ZodString => rule(z.string(), KUBERNETES_NAME_CODE, isQualifiedName,
  (v) => `${quote(v)} is not a valid Kubernetes label key`, LABEL_KEY_FIX);

export const labelValue = (): z.ZodString => rule(z.string(), KUBERNETES_NAME_CODE, isLabelValue,
  (v) => `${quote(v)} is not a valid Kubernetes label value`,
  'use at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit (or an empty value)');

/** Labels or a node selector: qualified-name keys, label values. */
export const labels = () => z.record(labelKey(), labelValue());
