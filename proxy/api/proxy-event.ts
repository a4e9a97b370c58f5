import { z } from 'zod';

/**
 * The reading side of the /events contract (events-contract.ts): each event parsed and checked.
 * Unknown fields are dropped and a missing nullable field reads as null, so an older or newer
 * proxy still works; an unknown event type or a malformed body is ignored.
 */

const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);
const at = z.number().finite();
const id = z.union([z.string(), z.number()]).transform(String);

const schemas = {
  hello: z.object({
    at,
    version: z
      .string()
      .nullish()
      .transform((v) => v ?? ''),
  }),
  share: z.object({
    at,
    worker: z.string(),
    accepted: z.boolean(),
    reason: nullable(z.string()),
    code: nullable(z.number()),
    difficulty: z.number(),
    share_difficulty: nullable(z.number()),
    forwarded: z.boolean().default(false),
    block_candidate: z.boolean().default(false),
    job_id: nullable(z.string()),
  }),
  'pool-share': z.object({
    at,
    worker: z.string(),
    accepted: z.boolean(),
    reason: nullable(z.string()),
    difficulty: z.number(),
    latency_ms: nullable(z.number()),
  }),
  vardiff: z.object({
    at,
    worker: z.string(),
    from: z.number(),
    to: z.number(),
    reason: nullable(z.string()),
  }),
  connect: z.object({ at, conn: id, remote: nullable(z.string()) }),
  disconnect: z.object({
    at,
    conn: id,
    worker: nullable(z.string()),
    remote: nullable(z.string()),
    reason: nullable(z.string()),
  }),
  upstream: z.object({ at, state: z.string(), url: nullable(z.string()), last_error: nullable(z.string()) }),
} as const;

export type ProxyEventType = keyof typeof schemas;
export const PROXY_EVENT_TYPES = Object.keys(schemas) as ProxyEventType[];

export type ProxyEvent = {
  [K in ProxyEventType]: { type: K } & z.output<(typeof schemas)[K]>;
}[ProxyEventType];

export type ProxyEventOf<K extends ProxyEventType> = Extract<ProxyEvent, { type: K }>;

/** One SSE message as a typed event, or undefined for an unknown type or a body that does not fit. */
export function parseProxyEvent(type: string, data: string): ProxyEvent | undefined {
  if (!Object.hasOwn(schemas, type)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const result = schemas[type as ProxyEventType].safeParse(json);
  return result.success ? ({ type, ...result.data } as ProxyEvent) : undefined;
}
