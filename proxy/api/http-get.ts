import http from 'node:http';
import https from 'node:https';

/** A /status answer larger than this is refused (10,000 workers is about 15 MB). */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
/** A request with no answer in this long fails. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

/** The proxy could not be asked or answered badly; `status` is the HTTP status when there was one. */
export class ProxyRequestError extends Error {
  readonly code = 'PROXY_REQUEST';
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'ProxyRequestError';
  }
}

export interface RequestTarget {
  /** The proxy's HTTP base, e.g. http://127.0.0.1:8080 */
  base: URL;
  token: string | null;
}

/** Starts a GET of `path` with the bearer token, if any. */
export function startGet(
  target: RequestTarget,
  path: string,
  headers: Record<string, string> = {},
): http.ClientRequest {
  const url = new URL(path, target.base);
  const client = url.protocol === 'https:' ? https : http;
  const all: Record<string, string> = { ...headers };
  if (target.token) all.authorization = `Bearer ${target.token}`;
  return client.get(url, { headers: all });
}

/** What a non-200 answer means, in one line. */
export function describeStatus(status: number, path: string): string {
  if (status === 401 || status === 403) return `HTTP ${status} on ${path}: unauthorized (check --token)`;
  if (status === 404) return `HTTP 404: the proxy has no ${path}`;
  return `HTTP ${status} on ${path}`;
}

/** GET `path` and parse the JSON body; bounded in size and time. */
export function getJson(
  target: RequestTarget,
  path: string,
  timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  maxBytes = DEFAULT_MAX_BODY_BYTES,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = startGet(target, path, { accept: 'application/json' });
    const fail = (err: Error): void => {
      req.destroy();
      reject(err instanceof ProxyRequestError ? err : new ProxyRequestError(oneLine(err)));
    };
    req.setTimeout(timeoutMs, () => fail(new ProxyRequestError(`no answer to ${path} in ${timeoutMs} ms`)));
    req.on('error', fail);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return fail(new ProxyRequestError(describeStatus(res.statusCode ?? 0, path), res.statusCode ?? null));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes)
          return fail(new ProxyRequestError(`${path} answer larger than ${maxBytes} bytes`));
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          fail(new ProxyRequestError(`${path} answer is not JSON`));
        }
      });
    });
  });
}

/** An error's message on one line, with the system error code (ECONNRESET...) when the message lacks it. */
export function oneLine(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const message = (e?.message ?? String(err)).split('\n')[0] ?? '';
  const code = typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code) ? e.code : undefined;
  return code && !message.includes(code) ? `${code} ${message}` : message || 'unknown error';
}
