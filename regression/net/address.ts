/** Where to listen or connect. */
export interface HostPort {
  host: string;
  port: number;
}

/** A command-line address or URL that does not parse; the message names the option. */
export class AddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AddressError';
  }
}

const HOST_PORT_RE = /^(\[[^\]]+\]|[^:/\s[\]]*):(\d{1,5})$/;

/** `HOST:PORT`, `[v6]:PORT` or `:PORT` (every interface); port 0 picks a free one when allowed. */
export function parseHostPort(text: string, field: string, allowZero = true): HostPort {
  const m = HOST_PORT_RE.exec(text.trim());
  if (m === null) throw new AddressError(`${field}: expected HOST:PORT, got ${JSON.stringify(text)}`);
  const host = (m[1] as string).replace(/^\[|\]$/g, '') || '0.0.0.0';
  return { host, port: checkPort(Number(m[2]), field, allowZero) };
}

/** `stratum+tcp://HOST:PORT` (a trailing slash is allowed). */
export function parseStratumUrl(text: string, field: string): HostPort {
  const m = /^stratum\+tcp:\/\/(.+?)\/?$/.exec(text.trim());
  if (m === null) {
    throw new AddressError(`${field}: expected stratum+tcp://HOST:PORT, got ${JSON.stringify(text)}`);
  }
  const hp = parseHostPort(m[1] as string, field, false);
  if (m[1]?.startsWith(':')) {
    throw new AddressError(`${field}: expected stratum+tcp://HOST:PORT, got ${JSON.stringify(text)}`);
  }
  return hp;
}

export function formatStratumUrl({ host, port }: HostPort): string {
  return `stratum+tcp://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function checkPort(port: number, field: string, allowZero: boolean): number {
  if (!Number.isInteger(port) || port > 65535 || port < (allowZero ? 0 : 1)) {
    throw new AddressError(`${field}: port must be ${allowZero ? 0 : 1} to 65535, got ${port}`);
  }
  return port;
}
