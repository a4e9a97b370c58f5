import type { Firmware } from '../serial/console-events.js';

/** What a board did with client.reconnect. */
export type ReconnectReaction = 'ignored' | 'followed' | 'unclear';
/** What a board did with mining.set_extranonce. */
export type ExtranonceReaction = 'ignored' | 'applied' | 'unclear';

export interface FirmwareExpectation {
  reconnect: Exclude<ReconnectReaction, 'unclear'>;
  setExtranonce: Exclude<ExtranonceReaction, 'unclear'>;
  /** Where that comes from. */
  source: string;
}

/**
 * Documented behaviour (shared/reference/firmware.md): a board doing this is "expected"; anything
 * else is a "finding" to look at, not a failure.
 */
export const FIRMWARE_EXPECTATIONS: Readonly<Record<Firmware, FirmwareExpectation>> = {
  nerdminer: {
    reconnect: 'ignored',
    setExtranonce: 'ignored',
    source:
      'NerdMiner_v2 V1.8.3 prints "Parsed JSON: unknown" for both and keeps its connection and extranonce1',
  },
  bitaxe: {
    reconnect: 'followed',
    setExtranonce: 'applied',
    source: 'ESP-Miner honours client.reconnect (host and port ignored) and mining.set_extranonce',
  },
};

/** "expected" when the firmware is known and did what it is documented to do, "finding" otherwise. */
export function judgeReaction(
  firmware: Firmware | undefined,
  message: 'reconnect' | 'setExtranonce',
  reaction: ReconnectReaction | ExtranonceReaction,
): { kind: 'expected' | 'finding'; expected: string | undefined } {
  const expected = firmware === undefined ? undefined : FIRMWARE_EXPECTATIONS[firmware][message];
  return { kind: expected !== undefined && expected === reaction ? 'expected' : 'finding', expected };
}
