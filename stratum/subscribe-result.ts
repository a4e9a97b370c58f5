import { InvalidParamsError } from './errors.js';
import { byteHex } from './hex.js';
import type { JsonValue } from './messages.js';

export interface SubscribeResult {
  extranonce1: string;
  extranonce2Size: number;
  /** Subscription ids the pool named (set_difficulty, notify), kept for logs. */
  subscriptions: JsonValue;
}

/** `[[["mining.set_difficulty", id], ["mining.notify", id]], extranonce1, extranonce2_size]` */
export function buildSubscribeResult(
  subscriptionId: string,
  extranonce1: string,
  extranonce2Size: number,
): JsonValue {
  return [
    [
      ['mining.set_difficulty', subscriptionId],
      ['mining.notify', subscriptionId],
    ],
    extranonce1,
    extranonce2Size,
  ];
}

export function parseSubscribeResult(result: JsonValue): SubscribeResult {
  if (!Array.isArray(result) || result.length < 3) {
    throw new InvalidParamsError(
      'mining.subscribe result',
      '[subscriptions, extranonce1, extranonce2_size]',
      result,
    );
  }
  const extranonce1 = byteHex(result[1], 'mining.subscribe result[1] (extranonce1)', 64);
  const size = result[2];
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 16) {
    throw new InvalidParamsError(
      'mining.subscribe result[2] (extranonce2 size)',
      'an integer from 1 to 16',
      size,
    );
  }
  return { extranonce1, extranonce2Size: size, subscriptions: result[0] ?? null };
}

/**
 * The id a pool gave the mining.notify subscription in its subscribe answer
 * (`[["mining.notify", id], ...]` or a lone `["mining.notify", id]`): what a client offers as the
 * second mining.subscribe param to resume the session (cgminer's get_sessionid; ckpool looks a
 * disconnected session up by it, stratifier.c parse_subscribe). Undefined when there is none.
 */
export function notifySubscriptionId(subscriptions: JsonValue): string | undefined {
  if (!Array.isArray(subscriptions)) return undefined;
  const pairs =
    subscriptions.length > 0 && !Array.isArray(subscriptions[0]) ? [subscriptions] : subscriptions;
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair[0] !== 'mining.notify') continue;
    const id = pair[1];
    if (typeof id === 'string' && id.length > 0 && id.length <= 64) return id;
  }
  return undefined;
}

/** The version-rolling mask granted in a mining.configure answer, or null when not granted. */
export function parseConfigureResult(result: JsonValue): number | null {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return null;
  if (result['version-rolling'] !== true) return null;
  const mask = result['version-rolling.mask'];
  if (typeof mask !== 'string' || !/^[0-9a-fA-F]{1,8}$/.test(mask)) return null;
  return Number.parseInt(mask, 16) >>> 0;
}

/** The mask a miner asked for in mining.configure (BIP310 default ffffffff when absent). */
export function requestedVersionMask(options: { [key: string]: JsonValue }): number {
  const mask = options['version-rolling.mask'];
  if (mask === undefined) return 0xffffffff;
  if (typeof mask !== 'string' || !/^[0-9a-fA-F]{1,8}$/.test(mask)) {
    throw new InvalidParamsError('mining.configure version-rolling.mask', '1 to 8 hex characters', mask);
  }
  return Number.parseInt(mask, 16) >>> 0;
}

export function buildConfigureResult(extensions: string[], grantedMask: number | null): JsonValue {
  const out: { [key: string]: JsonValue } = {};
  for (const ext of extensions) {
    if (ext === 'version-rolling') {
      out['version-rolling'] = grantedMask !== null;
      if (grantedMask !== null)
        out['version-rolling.mask'] = (grantedMask >>> 0).toString(16).padStart(8, '0');
    } else {
      out[ext] = false;
    }
  }
  return out;
}
