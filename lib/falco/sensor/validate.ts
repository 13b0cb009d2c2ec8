import { DEFAULT_RESOURCES } from './defaults';
import type { FalcoImageProps, FalcoResourcesProps, FalcoSensorProps, FalcoToleration } from './props';
import { DetectionStackError } from '../../core/errors';
import { ImagePin, IMAGE_PINS } from '../../core/images';

const IMAGE_REPOSITORY = /^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?(:[0-9]{1,5}(\/[a-z0-9]([a-z0-9._/-]*[a-z0-9])?)?)?$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const FLOATING_TAGS: ReadonlySet<string> = new Set(['latest', 'master', 'main', 'dev', 'edge', 'nightly', 'stable']);
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const TEAM_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const MIN_UNOWNED_REASON = 10;

/** Validates an image of the sensor's (Falco's, or the k8s-metacollector's with its `pin`) and resolves its reference. */
export function validateImage(where: string, image: FalcoImageProps = {}, pin: ImagePin = IMAGE_PINS.falco): {
  repository: string; tag: string; digest?: string; reference: string;
} {
  const repository = image.repository ?? pin.repository;
  const tag = image.tag ?? pin.version;
  if (!IMAGE_REPOSITORY.test(repository)) {
    throw new DetectionStackError('DS-FALCO-001', `${where}.repository`, `'${repository}' is not an image repository`,
      `give the repository without tag or digest, e.g. '${pin.repository}'`);
  }
  if (!IMAGE_TAG.test(tag) || FLOATING_TAGS.has(tag.toLowerCase())) {
    throw new DetectionStackError('DS-FALCO-001', `${where}.tag`, `'${tag}' is not a pinned release tag`,
      `pin a release such as '${pin.version}' (and its digest), never a floating tag`);
  }
  const usesDefaultImage = repository === pin.repository && tag === pin.version;
  const digest = image.digest ?? (usesDefaultImage ? pin.digest : undefined);
  if (digest !== undefined && !DIGEST.test(digest)) {
    throw new DetectionStackError('DS-FALCO-002', `${where}.digest`, `'${digest}' is not an image digest`,
      'give the digest as sha256: followed by 64 lowercase hex digits (as `crane digest` or `docker buildx imagetools inspect` print it)');
  }
  return { repository, tag, digest, reference: `${repository}:${tag}${digest ? `@${digest}` : ''}` };
}

export function validatePort(where: string, port: number | undefined): void {
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    throw new DetectionStackError('DS-FALCO-006', where, `${port} is not a TCP port`, 'use an integer from 1 to 65535');
  }
}

export function validateResources(where: string, resources: FalcoResourcesProps = {}, defaults: {
  readonly requests: { readonly cpu: string; readonly memory: string }; readonly limits: { readonly cpu: string; readonly memory: string };
} = DEFAULT_RESOURCES): {
    requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string };
  } {
  const resolved = {
    requests: { ...defaults.requests, ...resources.requests },
    limits: { ...defaults.limits, ...resources.limits },
  };
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory'] as const) {
      const value = resolved[kind][resource];
      if (typeof value !== 'string' || !QUANTITY.test(value)) {
        throw new DetectionStackError('DS-FALCO-014', `${where}.${kind}.${resource}`, `'${String(value)}' is not a Kubernetes quantity`,
          resource === 'cpu' ? 'write CPU as e.g. \'100m\' or \'1\'' : 'write memory as e.g. \'512Mi\' or \'1Gi\'');
      }
    }
  }
  return resolved;
}

export function validateTolerations(where: string, tolerations: readonly FalcoToleration[] | undefined): void {
  (tolerations ?? []).forEach((t, i) => {
    if (t.operator === 'Exists' && t.value !== undefined) {
      throw new DetectionStackError('DS-FALCO-011', `${where}[${i}].value`, 'a toleration with operator Exists cannot have a value',
        'remove value, or use operator \'Equal\'');
    }
    if (t.key === undefined && t.operator !== 'Exists') {
      throw new DetectionStackError('DS-FALCO-011', `${where}[${i}].operator`, 'a toleration without key must use operator Exists',
        'set operator: \'Exists\' (tolerates every taint), or give a key');
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      throw new DetectionStackError('DS-FALCO-011', `${where}[${i}].tolerationSeconds`, 'tolerationSeconds applies only to effect NoExecute',
        'set effect: \'NoExecute\' or remove tolerationSeconds');
    }
  });
}

export function validatePriorityClass(where: string, name: string | undefined): void {
  if (name !== undefined && (name.length > 253 || !DNS_SUBDOMAIN.test(name))) {
    throw new DetectionStackError('DS-FALCO-012', where, `'${name}' is not a PriorityClass name`,
      'use a lowercase DNS subdomain name such as \'system-node-critical\'');
  }
}

export function validateSocketPath(where: string, path: string): void {
  if (!path.startsWith('/') || path.endsWith('/') || /\s/.test(path) || path.split('/').some((s) => s === '..' || s === '.')) {
    throw new DetectionStackError('DS-FALCO-005', where, `'${path}' is not an absolute socket path`,
      'give the socket\'s absolute path on the node, e.g. \'/run/containerd/containerd.sock\'');
  }
}

export function validateCustomRules(where: string, props: FalcoSensorProps): void {
  const seen = new Set<string>();
  (props.customRules ?? []).forEach((custom, i) => {
    const at = `${where}.customRules[${i}]`;
    const rule = custom.rule;
    if (!rule || typeof rule.name !== 'string' || rule.name.trim() === '') {
      throw new DetectionStackError('DS-FALCO-004', `${at}.rule.name`, 'the custom rule has no name', 'give every rule a unique name');
    }
    validateOwner(`${at}.owner`, rule.name, custom.owner);
    const changesEarlierRule = rule.append === true || rule.override !== undefined || isOnlyEnabled(rule);
    if (!changesEarlierRule) {
      const missing = (['desc', 'condition', 'output', 'priority'] as const).filter((k) => rule[k] === undefined || rule[k] === '');
      if (missing.length > 0) {
        throw new DetectionStackError('DS-FALCO-028', `${at}.rule`, `rule '${rule.name}' lacks ${missing.join(', ')}`,
          'a new rule needs desc, condition, output and priority (or use override to change an existing rule)');
      }
      if (seen.has(rule.name)) {
        throw new DetectionStackError('DS-FALCO-029', `${at}.rule.name`, `rule '${rule.name}' is defined twice`,
          'give each custom rule a unique name, or use override to change the earlier one');
      }
      seen.add(rule.name);
    }
  });
}

function isOnlyEnabled(rule: { readonly enabled?: boolean; readonly condition?: string; readonly output?: string }): boolean {
  return rule.enabled !== undefined && rule.condition === undefined && rule.output === undefined;
}

function validateOwner(where: string, ruleName: string, owner: unknown): void {
  if (typeof owner === 'string') {
    if (!TEAM_NAME.test(owner)) {
      throw new DetectionStackError('DS-FALCO-003', where, `owner '${owner}' of rule '${ruleName}' is not a team name`,
        'use the team\'s name in lowercase letters, digits and \'-\' (e.g. \'payments\'), or { unowned: \'<reason>\' }');
    }
    return;
  }
  const reason = typeof owner === 'object' && owner !== null ? (owner as { unowned?: unknown }).unowned : undefined;
  if (typeof reason !== 'string') {
    throw new DetectionStackError('DS-FALCO-003', where, `rule '${ruleName}' has no owner`,
      'set owner to the team that answers its alerts, or to { unowned: \'<reason of at least 10 characters>\' }');
  }
  if (reason.trim().length < MIN_UNOWNED_REASON) {
    throw new DetectionStackError('DS-FALCO-003', `${where}.unowned`,
      `rule '${ruleName}' is declared unowned with a reason of ${reason.trim().length} characters, too short to tell a reviewer why`,
      `say in at least ${MIN_UNOWNED_REASON} characters why no team answers its alerts, or set owner to the team that does`);
  }
}

export function validateHttpOutputUrl(where: string, url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new DetectionStackError('DS-FALCO-009', where, `'${url}' is not an http(s) URL`,
      'give the receiver\'s full URL, e.g. \'http://falcosidekick.falco.svc:2801/\'');
  }
  if (parsed.username || parsed.password) {
    throw new DetectionStackError('DS-FALCO-033', where, 'the http_output URL carries credentials, which would end up in a ConfigMap',
      'remove the credentials from the URL; authenticate the receiver by network policy or mTLS instead');
  }
}
