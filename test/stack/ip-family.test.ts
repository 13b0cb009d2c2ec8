import { parse } from 'yaml';
import { falcoConfig } from '../../lib/falco/sensor/render';
import type { StackPlan } from '../../lib/stack/plan';
import type { DetectionStackProps } from '../../lib/stack/props';
import { fullEksProps, stackPlan } from '../monitoring/fixtures';

/** What each listener of the stack is bound to: the webservers of both Falcos, the shipper, Alertmanager's gossip. */
function listeners(plan: StackPlan) {
  const args = plan.routing!.alertmanager!.workload!.pod.containers[0]?.args ?? [];
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return {
    falco: (falcoConfig(plan.falco!).webserver as Record<string, unknown>).listen_address,
    k8saudit: parse(plan.k8sauditFalco!.falcoYaml).webserver.listen_address,
    shipper: /^\s*HTTP_Listen\s+(\S+)$/m.exec(plan.durable!.shipper!.files['fluent-bit.conf'])?.[1],
    alertmanagerWeb: flag('web.listen-address'),
    alertmanagerCluster: flag('cluster.listen-address'),
    alertmanagerAdvertise: flag('cluster.advertise-address'),
    // The headless Service that the --cluster.peer names resolve through.
    alertmanagerPeersFamily: plan.routing!.alertmanager!.workload!.services.find((s) => s.headless)?.ipFamily,
  };
}

function withFamily(ipFamily: 'IPv4' | 'IPv6' | undefined): DetectionStackProps {
  const props = fullEksProps();
  return { ...props, cluster: { ...props.cluster, ...(ipFamily ? { ipFamily } : {}) } };
}

describe('cluster.ipFamily: the listeners of an IPv4, IPv6-only or dual-stack cluster', () => {
  test('IPv4 (the default): 0.0.0.0 and an unbracketed pod IP', () => {
    const expected = {
      falco: '0.0.0.0',
      k8saudit: '0.0.0.0',
      shipper: '0.0.0.0',
      alertmanagerWeb: ':9093',
      alertmanagerCluster: '0.0.0.0:9094',
      alertmanagerAdvertise: '$(POD_IP):9094',
      alertmanagerPeersFamily: 'IPv4',
    };
    expect(listeners(stackPlan(withFamily(undefined)))).toEqual(expected);
    expect(listeners(stackPlan(withFamily('IPv4')))).toEqual(expected);
  });

  test('IPv6 (IPv6-only, or dual-stack with IPv6 first): :: and Go\'s bracketed host:port', () => {
    expect(listeners(stackPlan(withFamily('IPv6')))).toEqual({
      falco: '::',
      k8saudit: '::',
      shipper: '::',
      // Go's ":port" is every address of both families already.
      alertmanagerWeb: ':9093',
      alertmanagerCluster: '[::]:9094',
      alertmanagerAdvertise: '[$(POD_IP)]:9094',
      alertmanagerPeersFamily: 'IPv6',
    });
  });

  test('the family reaches the Helm and Operator renderings too (they render falcoConfig of the plan)', () => {
    const plan = stackPlan(withFamily('IPv6'));
    expect(plan.falco!.webserver.listenAddress).toBe('::');
  });

  test('an unknown family is refused at cluster.ipFamily', () => {
    const props = { ...fullEksProps(), cluster: { ...fullEksProps().cluster, ipFamily: 'ipv6' as never } };
    expect(() => stackPlan(props)).toThrow(/ipFamily/);
  });
});
