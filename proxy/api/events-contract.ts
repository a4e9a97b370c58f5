/**
 * What the proxy sends on GET /events (server-sent events, one JSON object per `data:` line): the
 * contract between proxy/events (which builds these) and their readers. proxy-event.ts parses
 * them tolerantly on the reading side (an older or newer proxy still works); a test proves every
 * event the proxy builds reads back unchanged.
 */
/** The data of each server-sent event (`at`: ms since the epoch). The dashboard depends on these. */
export interface ProxyEventData {
  hello: { at: number; version: string };
  share: {
    at: number;
    worker: string;
    accepted: boolean;
    reason: string | null;
    code: number | null;
    difficulty: number;
    share_difficulty: number | null;
    forwarded: boolean;
    /** The share meets the network target: it went upstream as a block. */
    block_candidate: boolean;
    job_id: string;
  };
  'pool-share': {
    at: number;
    worker: string;
    accepted: boolean;
    reason: string | null;
    difficulty: number;
    latency_ms: number;
  };
  vardiff: { at: number; worker: string; from: number; to: number; reason: string };
  connect: { at: number; conn: number; remote: string };
  disconnect: { at: number; conn: number; worker: string | null; remote: string; reason: string };
  upstream: { at: number; state: string; url: string; last_error: string | null };
}

export type ProxyEventType = keyof ProxyEventData;

/** One event as it goes on the wire. */
export type ProxyEvent = { [T in ProxyEventType]: { type: T; data: ProxyEventData[T] } }[ProxyEventType];
