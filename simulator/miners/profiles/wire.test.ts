import { describe, expect, test } from 'vitest';
import { parseMessage } from '../../../stratum/message-parser.js';
import {
  axeAuthorize,
  axeConfigure,
  axePong,
  axeSubmit,
  axeSubscribe,
  axeSuggestDifficulty,
  axeVersion,
} from './bitaxe-wire.js';
import {
  cpuAuthorize,
  cpuGetVersionReply,
  cpuSubmit,
  cpuSubscribe,
  cpuSubscribeRetry,
} from './cpuminer-wire.js';
import { gpuAuthorize, gpuConfigure, gpuSubmit, gpuSubscribe } from './gpu-wire.js';
import {
  nerdAuthorize,
  nerdExtranonce2,
  nerdNonceHex,
  nerdSubmit,
  nerdSubscribe,
  nerdSuggestDifficulty,
} from './nerdminer-wire.js';

// Expected strings are the firmware's sprintf formats filled in by hand.
describe('NerdMiner lines (src/stratum.cpp)', () => {
  test('subscribe, authorize and suggest keep the firmware spacing', () => {
    expect(nerdSubscribe(1, 'V1.8.3')).toBe(
      '{"id": 1, "method": "mining.subscribe", "params": ["NerdMinerV2/V1.8.3"]}',
    );
    expect(nerdAuthorize(2, 'bc1q.nerd', 'x')).toBe(
      '{"params": ["bc1q.nerd", "x"], "id": 2, "method": "mining.authorize"}',
    );
    expect(nerdSuggestDifficulty(3, 0.00015)).toBe(
      '{"id":3,"method":"mining.suggest_difficulty","params":[0.00015]}',
    );
    expect(nerdSuggestDifficulty(9, 1e-5)).toBe(
      '{"id":9,"method":"mining.suggest_difficulty","params":[1e-05]}',
    );
  });

  test('submit sends the nonce without leading zeros', () => {
    expect(nerdSubmit(4, 'w', 'j1', '00000001', '6700aa00', nerdNonceHex(0x1a2b))).toBe(
      '{"id":4,"method":"mining.submit","params":["w","j1","00000001","6700aa00","1a2b"]}',
    );
    const parsed = parseMessage(nerdSubmit(4, 'w', 'j1', '00000001', '6700aa00', nerdNonceHex(0x1a2b)));
    expect(parsed.type === 'request' && parsed.method === 'mining.submit' && parsed.params.nonce).toBe(
      '00001a2b',
    );
  });

  test('extranonce2 is a constant for sizes 2, 4 and 8 and "00000001" otherwise', () => {
    expect(nerdExtranonce2(2)).toEqual({ extranonce2: '0001', known: true });
    expect(nerdExtranonce2(4)).toEqual({ extranonce2: '00000001', known: true });
    expect(nerdExtranonce2(8)).toEqual({ extranonce2: '0000000000000001', known: true });
    expect(nerdExtranonce2(3)).toEqual({ extranonce2: '00000001', known: false });
    expect(nerdExtranonce2(16)).toEqual({ extranonce2: '00000001', known: false });
  });
});

describe('ESP-Miner lines (components/stratum/stratum_api.c)', () => {
  test('configure asks for mask ffffffff; subscribe names the ASIC and firmware', () => {
    expect(axeConfigure(1)).toBe(
      '{"id":1,"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"ffffffff"}]}',
    );
    expect(axeSubscribe(2, 'BM1370', 'v2.9.0')).toBe(
      '{"id":2,"method":"mining.subscribe","params":["bitaxe/BM1370/v2.9.0"]}',
    );
    expect(axeAuthorize(3, 'w', 'x')).toBe('{"id":3,"method":"mining.authorize","params":["w","x"]}');
    expect(axeSuggestDifficulty(4, 1000)).toBe(
      '{"id":4,"method":"mining.suggest_difficulty","params":[1000]}',
    );
  });

  test('submit has six %08lx-style params; pong and version answers', () => {
    expect(axeSubmit(7, 'w', 'j', '01000000', '6700aa00', '0000abcd', '00e02000')).toBe(
      '{"id":7,"method":"mining.submit","params":["w","j","01000000","6700aa00","0000abcd","00e02000"]}',
    );
    expect(axePong(42)).toBe('{"id":42,"method":"pong","params":[]}');
    expect(axeVersion(5, 'v2.9.0')).toBe('{"id":5,"result":"v2.9.0","error":null}');
  });
});

describe('cpuminer lines (util.c, cpu-miner.c)', () => {
  test('fixed ids 1, 2 and 4, jansson-style spacing', () => {
    expect(cpuSubscribe()).toBe('{"id": 1, "method": "mining.subscribe", "params": ["cpuminer/2.5.1"]}');
    expect(cpuSubscribeRetry()).toBe('{"id": 1, "method": "mining.subscribe", "params": []}');
    expect(cpuAuthorize('w', 'x')).toBe('{"id": 2, "method": "mining.authorize", "params": ["w", "x"]}');
    expect(cpuSubmit('w', 'j', '00000000', '6700aa00', '0000abcd')).toBe(
      '{"method": "mining.submit", "params": ["w", "j", "00000000", "6700aa00", "0000abcd"], "id":4}',
    );
    expect(cpuGetVersionReply('7')).toBe('{"id": 7, "error": null, "result": "cpuminer/2.5.1"}');
  });
});

describe('gpu rig lines (cgminer layout)', () => {
  test('configure, subscribe, authorize and both submit forms', () => {
    expect(gpuConfigure(1)).toBe(
      '{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "1fffe000", "version-rolling.min-bit-count": 2}]}',
    );
    expect(gpuSubscribe(2)).toBe('{"id": 2, "method": "mining.subscribe", "params": ["cgminer/4.12.1"]}');
    expect(gpuAuthorize(3, 'w', 'x')).toBe('{"id": 3, "method": "mining.authorize", "params": ["w", "x"]}');
    expect(gpuSubmit(4, 'w', 'j', '00', '6700aa00', '0000abcd')).toBe(
      '{"params": ["w", "j", "00", "6700aa00", "0000abcd"], "id": 4, "method": "mining.submit"}',
    );
    expect(gpuSubmit(5, 'w', 'j', '00', '6700aa00', '0000abcd', '00002000')).toBe(
      '{"params": ["w", "j", "00", "6700aa00", "0000abcd", "00002000"], "id": 5, "method": "mining.submit"}',
    );
  });

  test('every line parses as the Stratum message it claims to be', () => {
    for (const line of [gpuConfigure(1), axeConfigure(1), nerdSubscribe(1, 'V1.8.3'), cpuSubscribe()]) {
      expect(parseMessage(line).type).toBe('request');
    }
  });
});
