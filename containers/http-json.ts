/** How long one HTTP request to a container may take. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Pause between two looks while polling. */
export const DEFAULT_POLL_INTERVAL_MS = 250;

export interface HttpAnswer {
  status: number;
  body: string;
}

/** GET `url`; the status and body text (never throws on an HTTP error status). */
export async function httpGet(url: string, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<HttpAnswer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}

/** GET `url` and parse its JSON body; throws on a status other than 200. */
export async function getJson<T>(url: string): Promise<T> {
  const { status, body } = await httpGet(url);
  if (status !== 200) throw new Error(`GET ${url}: HTTP ${status}: ${body.slice(0, 200)}`);
  return JSON.parse(body) as T;
}

/**
 * Calls `look` until it returns a value other than undefined, and returns that value; throws with
 * `what` and the last error after `timeoutMs`.
 */
export async function pollUntil<T>(
  what: string,
  look: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = DEFAULT_POLL_INTERVAL_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await look();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
