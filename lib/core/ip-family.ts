/**
 * The address family of the cluster's pod addresses (`status.podIP`: on a dual-stack cluster, the first family of
 * its pod CIDRs), and how a listener of the stack is written for it.
 */
export type IpFamily = 'IPv4' | 'IPv6';

/**
 * The address to bind to every interface: `0.0.0.0` on IPv4, `::` on IPv6. Falco 0.44.1 (`webserver.listen_address`,
 * checked as an IP address, brackets refused) and Fluent Bit 5.1.1 (`HTTP_Listen`) take the bare address; on a
 * Linux pod `::` also accepts IPv4 connections (dual-stack socket), `0.0.0.0` accepts no IPv6 ones.
 */
export function anyAddress(family: IpFamily | undefined): string {
  return family === 'IPv6' ? '::' : '0.0.0.0';
}

/**
 * `host:port` as Go's `net.SplitHostPort` reads it: an IPv6 address is written in brackets (`[fd00::7]:9094`),
 * unbracketed it is refused ("too many colons in address"). IPv4 stays `10.0.0.7:9094`.
 */
export function hostPort(host: string, port: number, family: IpFamily | undefined): string {
  return family === 'IPv6' ? `[${host}]:${port}` : `${host}:${port}`;
}
