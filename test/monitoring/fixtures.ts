import { Testing } from 'cdk8s';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import type { FalcoCustomRule } from '../../lib/falco/sensor/props';
import type { MonitoringProps } from '../../lib/monitoring/props';
import type { DetectionStackProps } from '../../lib/stack/props';

/** A syscall rule owned by `owner`, with a name that is hostile to PromQL and regular expressions. */
export function ownedRule(name: string, owner: FalcoCustomRule['owner']): FalcoCustomRule {
  return {
    owner,
    rule: {
      kind: 'rule',
      name,
      desc: 'test rule',
      condition: 'evt.type = execve and proc.name = "nc"',
      output: 'nc ran (proc.cmdline=%proc.cmdline)',
      priority: 'WARNING',
    },
  };
}

export const HOSTILE_RULE = 'Shell "in" billing|.* (x) \\ end';

export const MONITORING: MonitoringProps = {
  prometheus: { namespace: 'monitoring', resourceLabels: { release: 'kube-prometheus-stack' } },
  alerts: { team: 'platform-security' },
};

/** EKS with every workload the stack can run around Falco: routing with a bundled Alertmanager, the shipper, k8saudit. */
export function fullEksProps(monitoring: MonitoringProps | null = MONITORING): DetectionStackProps {
  return {
    cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
    sensors: {
      falco: {
        customRules: [ownedRule('Netcat in payments', 'payments'), ownedRule(HOSTILE_RULE, 'payments'),
          ownedRule('Netcat in identity', 'identity'), ownedRule('Unowned netcat', { unowned: 'lab rule, nobody is paged' })],
      },
    },
    routing: {
      teams: ['payments', 'identity'].map((name) => ({
        name, namespaces: [name === 'payments' ? 'billing' : 'identity'], receivers: { webhook: [{ url: { name: 'hooks', key: name }, minimumPriority: 'Warning' as const }] },
      })),
      alertmanager: { mode: 'bundled' },
    },
    durable: { bucket: { name: 'detections-prod-eks', aws: { roleArn: 'arn:aws:iam::111122223333:role/shipper' } } },
    audit: { kubernetes: { falcoPlugin: {} } },
    monitoring: monitoring ?? undefined,
  };
}

/** Tetragon alone, with the shipper. */
export function tetragonProps(monitoring: MonitoringProps = MONITORING): DetectionStackProps {
  return {
    cluster: { name: 'prod-us', provider: 'eks', region: 'us-east-1' },
    namespace: 'tetragon',
    sensors: { tetragon: { productNamespaces: ['billing'], owner: 'platform-security' } },
    durable: { bucket: { name: 'detections-prod-us', aws: { roleArn: 'arn:aws:iam::111122223333:role/shipper' } } },
    monitoring,
  };
}

export function synth(props: DetectionStackProps): any[] {
  return Testing.synth(new DetectionStack(Testing.app(), 's', props));
}

export function stackPlan(props: DetectionStackProps) {
  return new DetectionStack(Testing.app(), 's', props).plan;
}
