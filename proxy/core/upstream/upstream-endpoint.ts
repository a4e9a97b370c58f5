/** One pool the proxy may dial: the primary or a backup. */
export interface UpstreamEndpoint {
  host: string;
  port: number;
  user: string;
  pass: string;
  tls: boolean;
  insecureSkipVerify: boolean;
}

export function endpointLabel(e: UpstreamEndpoint): string {
  return `${e.tls ? 'stratum+ssl' : 'stratum+tcp'}://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}
