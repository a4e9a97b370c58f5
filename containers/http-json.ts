/** How long one HTTP request to a container may take. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface HttpAnswer {
  status: number;
  body: string;
}

/** GET `url`; the status and body text (never throws on an HTTP error status). */
export async function httpGet(url: string, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<HttpAnswer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}
