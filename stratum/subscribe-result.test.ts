import { describe, expect, it } from 'vitest';
import { InvalidParamsError } from './errors.js';
import { encodeResult } from './message-encoder.js';
import { parseMessage } from './message-parser.js';
import {
  buildConfigureResult,
  buildSubscribeResult,
  notifySubscriptionId,
  parseConfigureResult,
  parseSubscribeResult,
  requestedVersionMask,
} from './subscribe-result.js';

describe('subscribe result', () => {
  it('builds the answer NerdMiner reads result[1] and result[2] from, byte for byte', () => {
    expect(encodeResult(1, buildSubscribeResult('ae6812eb', '08000002', 4))).toBe(
      '{"id":1,"result":[[["mining.set_difficulty","ae6812eb"],["mining.notify","ae6812eb"]],"08000002",4],"error":null}',
    );
  });

  it('reads a pool answer, lower-casing extranonce1', () => {
    const msg = parseMessage('{"result":[[["mining.notify","ae68"]],"08A00002",8],"id":1,"error":null}');
    if (msg.type !== 'response') throw new Error('not a response');
    expect(parseSubscribeResult(msg.result)).toEqual({
      extranonce1: '08a00002',
      extranonce2Size: 8,
      subscriptions: [['mining.notify', 'ae68']],
    });
  });

  it('finds the mining.notify subscription id a client resumes with, in each shape pools send', () => {
    // ckpool: [[["mining.notify", "%08x session id"]], enonce1 (16 hex), n2len].
    const ckpool = parseMessage(
      '{"id":1,"result":[[["mining.notify","0000002a"]],"1a2b3c4d5e6f7081",8],"error":null}',
    );
    if (ckpool.type !== 'response') throw new Error('not a response');
    expect(notifySubscriptionId(parseSubscribeResult(ckpool.result).subscriptions)).toBe('0000002a');
    expect(
      notifySubscriptionId([
        ['mining.set_difficulty', 'd1'],
        ['mining.notify', 'n1'],
      ]),
    ).toBe('n1');
    expect(notifySubscriptionId(['mining.notify', 'lone'])).toBe('lone');
    for (const none of [
      null,
      [],
      [['mining.set_difficulty', 'd1']],
      [['mining.notify', 7]],
      [['mining.notify', '']],
      'x',
    ])
      expect(notifySubscriptionId(none as never)).toBeUndefined();
  });

  it('names the bad part of a malformed answer', () => {
    const cases: [unknown, string][] = [
      [true, 'mining.subscribe result: expected [subscriptions, extranonce1, extranonce2_size]'],
      [[[], '0800000', 4], 'result[1] (extranonce1)'],
      [[[], '08000002', 0], 'result[2] (extranonce2 size): expected an integer from 1 to 16'],
      [[[], '08000002', '4'], 'result[2] (extranonce2 size)'],
    ];
    for (const [result, text] of cases) {
      expect(() => parseSubscribeResult(result as never)).toThrow(InvalidParamsError);
      expect(() => parseSubscribeResult(result as never)).toThrow(text);
    }
  });
});

describe('configure result and version mask', () => {
  it('reads the mask a miner asked for, BIP310 default ffffffff when absent', () => {
    expect(requestedVersionMask({ 'version-rolling.mask': 'ffffffff' })).toBe(0xffffffff);
    expect(requestedVersionMask({ 'version-rolling.mask': '1FFFE000' })).toBe(0x1fffe000);
    expect(requestedVersionMask({})).toBe(0xffffffff);
    expect(() => requestedVersionMask({ 'version-rolling.mask': 'xyz' })).toThrow(/version-rolling\.mask/);
    expect(() => requestedVersionMask({ 'version-rolling.mask': 536862720 })).toThrow(InvalidParamsError);
  });

  it('grants, refuses and ignores extensions, and reads the grant back', () => {
    const granted = buildConfigureResult(['version-rolling', 'minimum-difficulty'], 0x1fffe000);
    expect(encodeResult(1, granted)).toBe(
      '{"id":1,"result":{"version-rolling":true,"version-rolling.mask":"1fffe000","minimum-difficulty":false},"error":null}',
    );
    expect(parseConfigureResult(granted)).toBe(0x1fffe000);
    expect(buildConfigureResult(['version-rolling'], null)).toEqual({ 'version-rolling': false });
    expect(parseConfigureResult(buildConfigureResult(['version-rolling'], null))).toBeNull();
  });

  it('treats anything but a proper grant as no rolling', () => {
    for (const result of [null, true, [], { 'version-rolling': false }, { 'version-rolling': true }]) {
      expect(parseConfigureResult(result)).toBeNull();
    }
    expect(parseConfigureResult({ 'version-rolling': true, 'version-rolling.mask': 'nothex' })).toBeNull();
    expect(parseConfigureResult({ 'version-rolling': true, 'version-rolling.mask': '1fffe000' })).toBe(
      0x1fffe000,
    );
  });
});
