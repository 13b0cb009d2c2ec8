// Stack definitions the guardrail tests (one file per check) share.
import type { FalcoCustomRule } from '../../lib/falco/sensor/props';
import { planStack } from '../../lib/stack/plan';
import type { DetectionStackProps, SensorsProps } from '../../lib/stack/props';

/** A stack on EKS with a bucket, and helpers for Slack receivers and custom rules (routing guardrails). */
export const DURABLE: DetectionStackProps['durable'] = { bucket: { name: 'detections-prod-eks', aws: { podIdentity: true } } };
export const BASE: DetectionStackProps = { cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' }, durable: DURABLE };
export const slackAt = (minimumPriority: 'Critical' | 'Warning', allow?: string): DetectionStackProps['routing'] => ({
  teams: [{
    name: 'payments',
    namespaces: ['billing'],
    receivers: {
      slack: [{ webhookUrl: { name: 'payments-slack', key: 'url' }, minimumPriority, ...(allow ? { allowBelowChatThreshold: { reason: allow } } : {}) }],
    },
  }],
});
export const ownedRule = (owner: FalcoCustomRule['owner']): FalcoCustomRule => ({
  owner,
  rule: {
    kind: 'rule',
    name: 'Shell in billing',
    desc: 'A shell ran in a billing container.',
    condition: 'evt.type = execve and proc.name = bash',
    output: 'shell (proc.cmdline=%proc.cmdline)',
    priority: 'WARNING',
  },
});

/** A Falco sensor with custom rules only (no default rules), and a rule builder (Falco guardrails). */
export const namedRule = (name: string, condition: string, extra: Partial<FalcoCustomRule['rule']> = {}): FalcoCustomRule => ({
  owner: 'payments',
  rule: { kind: 'rule', name, desc: 'd', condition, output: 'x (proc.cmdline=%proc.cmdline)', priority: 'WARNING', ...extra },
});
export const customRulesStack = (customRules: FalcoCustomRule[], extra: Partial<DetectionStackProps> = {}): DetectionStackProps => ({
  cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
  sensors: { falco: { customRules, loadDefaultRules: false } },
  ...extra,
});
export const SHELL = 'evt.type = execve and proc.name = bash';

/** Falco and Tetragon together on EKS, with the ownership of their overlapping detections (sensor ownership). */
export const both = (ownership?: SensorsProps['ownership']): SensorsProps => ({
  falco: {},
  tetragon: { productNamespaces: ['billing'], seedPatterns: ['shell-in-container', 'ptrace', 'privilege-change'] },
  ownership,
});
export const plan = (sensors: SensorsProps) => planStack({ cluster: { name: 'prod', provider: 'eks' }, namespace: 'security', sensors }, 'S');
