/** One pool the proxy may dial: the primary or a backup. */
export interface UpstreamEndpoint {
  host: string;
  port: number;
  user: string;
  pass: string;
  tls: boolean;
  insecureSkipVerify: boolean;
  /**
   * Reach the pool through this SOCKS5 proxy (e.g. Tor); absent = directly. A username means
   * username/password authentication. Only the dialler reads it.
   */
  socks?: { host: string; port: number; username?: string; password?: string };
  /** What to ask this pool for (mining.suggest_difficulty); absent = the core's upstreamSuggest. */
  suggest?: 'auto' | 'off' | number;
}

export function endpointLabel(e: UpstreamEndpoint): string {
  return `${e.tls ? 'stratum+ssl' : 'stratum+tcp'}://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}
