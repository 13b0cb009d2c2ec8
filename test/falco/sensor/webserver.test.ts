import { isIP } from 'net';
import { parse } from 'yaml';
import { falcoConfig } from '../../../lib/falco/sensor/render';
import { falcoWorkload } from '../../../lib/falco/sensor/workload';
import { falcoChartRelease } from '../../../lib/helm/falco-values';
import { operatorDelivery } from '../../../lib/operator/resources';
import type { StackPlan } from '../../../lib/stack/plan';
import { fullEksProps, stackPlan } from '../../monitoring/fixtures';

/**
 * Falco 0.44.1's webserver (health, /versions and Prometheus /metrics on one server) and the address it binds, from
 * the source at the pinned tag (github.com/falcosecurity/falco, tag 0.44.1):
 * - userspace/falco/configuration.cpp l.479-485: `webserver.listen_address` (default "0.0.0.0") must FullMatch
 *   `ip_address_re` (l.43), a bare IPv4 or IPv6 literal; anything else, `[::]` included, stops Falco with
 *   "webserver listen address ... is not a valid IP address" (the real 0.44.1 says so in
 *   test/conformance/ipv6-listeners.test.ts).
 * - userspace/falco/webserver.cpp l.69-71: `m_server->listen(m_listen_address, m_listen_port)` on one httplib::Server;
 *   `/healthz` (`k8s_healthz_endpoint`) is registered on it (l.48-52) and `/metrics` too (`enable_prometheus_metrics`,
 *   l.104-111, when `metrics.enabled` and `webserver.prometheus_metrics_enabled`): one address and port for the
 *   kubelet's probes and Prometheus.
 * - cmake/modules/cpp-httplib.cmake: cpp-httplib v0.23.1, and Falco defines no CPPHTTPLIB_IPV6_V6ONLY. In its httplib.h,
 *   `Server::listen` -> `bind_to_port` -> `detail::create_socket` (l.3812-3952): `getaddrinfo(host)` with AF_UNSPEC and
 *   no AI_ADDRCONFIG, one socket of the family of the literal, and for AF_INET6
 *   `setsockopt(IPV6_V6ONLY, CPPHTTPLIB_IPV6_V6ONLY ? 1 : 0)` with the default `false` (l.144-145, l.3939-3941).
 * So `::` is one dual-stack socket whatever `net.ipv6.bindv6only` says (IPv6 and IPv4-mapped connections), and
 * `0.0.0.0` is IPv4 only: on an IPv6-only pod Falco starts, but the kubelet's probes of the pod's IPv6 address are
 * refused and the pod is restarted. On a node with IPv6 turned off, `socket(AF_INET6)` fails, `listen` returns false
 * and Falco stops ("an error occurred while starting webserver", webserver.cpp l.77-88): IPv4 keeps `0.0.0.0`.
 * Measured with those exact calls compiled against httplib.h v0.23.1 (ss -ltn, curl): `::` listens as `*:port` and
 * answers on [::1] and 127.0.0.1; `0.0.0.0` answers on 127.0.0.1 only; `[::]` does not bind.
 */
function withFamily(ipFamily: 'IPv4' | 'IPv6'): StackPlan {
  const props = fullEksProps();
  return stackPlan({ ...props, cluster: { ...props.cluster, ipFamily } });
}

/** Every `webserver` object anywhere in a rendered value (Helm values, Operator resources). */
function webservers(value: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) {value.forEach((v) => webservers(v, found));} else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'webserver' && v && typeof v === 'object') found.push(v as Record<string, unknown>);
      else webservers(v, found);
    }
  } else if (typeof value === 'string' && /^\s*webserver:/m.test(value)) {
    webservers(parse(value), found);
  }
  return found;
}

/** The address of every Falco webserver the stack renders: node Falco (manifests, Helm, Operator) and k8saudit Falco. */
function renderedAddresses(plan: StackPlan): unknown[] {
  return [
    falcoConfig(plan.falco!).webserver,
    ...webservers(falcoChartRelease(plan)!.values),
    ...webservers(operatorDelivery(plan).objects),
    parse(plan.k8sauditFalco!.falcoYaml).webserver,
  ].map((w) => (w as Record<string, unknown>).listen_address);
}

describe('Falco 0.44.1 webserver: listen_address per family (configuration.cpp, webserver.cpp, cpp-httplib v0.23.1)', () => {
  test('IPv6: every Falco webserver binds :: (one dual-stack socket), a bare literal as ip_address_re wants', () => {
    const addresses = renderedAddresses(withFamily('IPv6'));
    expect(addresses.length).toBeGreaterThanOrEqual(4);
    expect(new Set(addresses)).toEqual(new Set(['::']));
    expect(isIP('::')).toBe(6);
  });

  test('IPv4: every Falco webserver binds 0.0.0.0 (Falco\'s and the chart\'s default; :: fails where IPv6 is off)', () => {
    const addresses = renderedAddresses(withFamily('IPv4'));
    expect(addresses.length).toBeGreaterThanOrEqual(4);
    expect(new Set(addresses)).toEqual(new Set(['0.0.0.0']));
  });

  test('health and metrics share that server: probes and the metrics endpoint are on the webserver port', () => {
    const plan = withFamily('IPv6');
    const config = falcoConfig(plan.falco!);
    const web = config.webserver as Record<string, unknown>;
    expect(web).toMatchObject({ enabled: true, prometheus_metrics_enabled: true, ssl_enabled: false, k8s_healthz_endpoint: '/healthz' });
    expect((config.metrics as Record<string, unknown>).enabled).toBe(true);
    const container = falcoWorkload(plan.falco!).pod.containers[0];
    const webPort = container.ports!.find((p) => p.containerPort === web.listen_port)!;
    expect(webPort).toBeDefined();
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
      expect(probe!.httpGet).toEqual({ path: '/healthz', port: webPort.name });
    }
    const k8saudit = parse(plan.k8sauditFalco!.falcoYaml);
    expect(k8saudit.webserver).toMatchObject({ enabled: true, listen_address: '::', prometheus_metrics_enabled: true });
    expect(k8saudit.metrics.enabled).toBe(true);
  });
});
