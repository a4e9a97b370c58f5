import { z } from 'zod';

/** Longest line the oversize fault will build (it is queued whole). */
export const MAX_OVERSIZE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_OVERSIZE_BYTES = 300_000;
export const DEFAULT_HUGE_NOTIFY_BRANCHES = 1000;
export const MAX_HUGE_NOTIFY_BRANCHES = 100_000;
export const DEFAULT_GARBAGE_TEXT = 'this is not JSON }{ \u00ff\u00fe';
export const DEFAULT_INJECTED_REJECT_CODE = 20;

const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Seconds as a number, or a string with a unit: "250ms", "10s", "2m", "1h". Parsed to milliseconds. */
export const durationSchema = z
  .union([
    z.number().finite().min(0),
    z.string().regex(DURATION_RE, 'expected a duration such as 10, "250ms", "10s", "2m"'),
  ])
  .transform((v) => {
    if (typeof v === 'number') return v * 1000;
    const m = DURATION_RE.exec(v) as RegExpExecArray;
    return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  });

export const targetSchema = z.union([
  z.literal('all'),
  z.literal('each'),
  z.object({ session: z.string().min(1) }).strict(),
  z.object({ worker: z.string().min(1) }).strict(),
  z.object({ connection: z.number().int().min(1) }).strict(),
]);
export type FaultTarget = z.output<typeof targetSchema>;

const base = {
  /** A name for logs and `clear(id)`; one is made up when absent. */
  id: z.string().min(1).max(64).optional(),
  /** Fire this long after the fault is armed (at load, or when the connection opens for `each`). */
  at: durationSchema.optional(),
  /** Fire again at this interval (after `at`, or first after one interval). */
  every: durationSchema.optional(),
  /** Fire when the N-th share arrives (pool-wide for `all`, per connection for `each`). */
  afterShares: z.number().int().min(1).optional(),
  target: targetSchema.default('all'),
};
const lasting = { ...base, duration: durationSchema.optional() };
const hexString = (chars: number) =>
  z.string().regex(new RegExp(`^[0-9a-fA-F]{1,${chars}}$`), `expected 1 to ${chars} hex characters`);

const actions = [
  z.object({ action: z.literal('drop'), ...base }).strict(),
  z.object({ action: z.literal('stall'), ...lasting }).strict(),
  z.object({ action: z.literal('delay'), ...lasting, delay: durationSchema }).strict(),
  z
    .object({
      action: z.literal('reject'),
      ...lasting,
      fraction: z.number().gt(0).max(1),
      code: z.number().int().min(20).max(25).default(DEFAULT_INJECTED_REJECT_CODE),
    })
    .strict(),
  z
    .object({
      action: z.literal('garbage'),
      ...base,
      text: z.string().max(65536).default(DEFAULT_GARBAGE_TEXT),
    })
    .strict(),
  z
    .object({
      action: z.literal('oversize'),
      ...base,
      bytes: z.number().int().min(64).max(MAX_OVERSIZE_BYTES).default(DEFAULT_OVERSIZE_BYTES),
    })
    .strict(),
  z
    .object({
      action: z.literal('reconnect'),
      ...base,
      host: z.string().min(1).optional(),
      port: z.number().int().min(1).max(65535).optional(),
      waitSeconds: z.number().finite().min(0).default(0),
      closeAfter: durationSchema.optional(),
    })
    .strict(),
  z
    .object({
      action: z.literal('set-extranonce'),
      ...base,
      extranonce1: z
        .string()
        .regex(/^([0-9a-fA-F]{2}){1,8}$/, 'expected 1 to 8 bytes of hex')
        .optional(),
      extranonce2Size: z.number().int().min(1).max(8).optional(),
    })
    .strict(),
  z.object({ action: z.literal('set-version-mask'), ...base, mask: hexString(8) }).strict(),
  z
    .object({
      action: z.literal('difficulty'),
      ...lasting,
      difficulty: z.number().finite().positive().optional(),
      factor: z.number().finite().positive().optional(),
    })
    .strict()
    .refine((o) => (o.difficulty === undefined) !== (o.factor === undefined), {
      message: 'expected exactly one of difficulty or factor',
      path: ['difficulty'],
    }),
  z
    .object({
      action: z.literal('huge-notify'),
      ...base,
      branches: z.number().int().min(1).max(MAX_HUGE_NOTIFY_BRANCHES).default(DEFAULT_HUGE_NOTIFY_BRANCHES),
    })
    .strict(),
  z
    .object({
      action: z.literal('refuse'),
      ...lasting,
      mode: z.enum(['refuse', 'reset']).default('refuse'),
    })
    .strict(),
] as const;

export const FAULT_ACTIONS = [
  'drop',
  'stall',
  'delay',
  'reject',
  'garbage',
  'oversize',
  'reconnect',
  'set-extranonce',
  'set-version-mask',
  'difficulty',
  'huge-notify',
  'refuse',
] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

/** Actions whose effect lasts until `duration` ends or the fault is cleared. */
export const LASTING_ACTIONS: ReadonlySet<FaultAction> = new Set([
  'stall',
  'delay',
  'reject',
  'difficulty',
  'refuse',
]);

export const faultSpecSchema = z
  .discriminatedUnion('action', [...actions])
  .refine((f) => !(f.at !== undefined && f.afterShares !== undefined), {
    message: 'expected at most one of at or afterShares',
    path: ['afterShares'],
  })
  .refine((f) => !(f.every !== undefined && f.afterShares !== undefined), {
    message: 'every repeats time triggers only; expected no every with afterShares',
    path: ['every'],
  });

/** A fault as given (durations in seconds or with units, defaults optional). */
export type FaultSpecInput = z.input<typeof faultSpecSchema>;
/** A fault after validation: durations in milliseconds, defaults filled in. */
export type FaultSpec = z.output<typeof faultSpecSchema>;
export type FaultSpecOf<A extends FaultAction> = Extract<FaultSpec, { action: A }>;

export const scenarioSchema = z
  .object({
    description: z.string().optional(),
    faults: z.array(faultSpecSchema),
  })
  .strict();
