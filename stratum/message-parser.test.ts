import { describe, expect, it } from 'vitest';
import { ERROR_TABLE, InvalidParamsError, StratumError } from './errors.js';
import { parseMessage } from './message-parser.js';
import { CLIENT_METHODS, SERVER_METHODS, type StratumMessage } from './messages.js';

/**
 * Lines as real peers put them on the wire (see /work/shared/reference/firmware.md):
 * NerdMiner V1.8.3 writes `{"id": %u, ...}` with spaces and its authorize with params first,
 * Bitaxe ESP-Miner writes compact configure/pong, cpuminer puts "id" last on its submit.
 */
const WALLET = 'bc1qvv469gmw4zz6qa4u4dsezvrlmqcqszwyfzhgwj';

function parse(line: string): StratumMessage {
  return parseMessage(line);
}

function parseError(line: string): StratumError {
  try {
    parseMessage(line);
  } catch (err) {
    expect(err).toBeInstanceOf(StratumError);
    return err as StratumError;
  }
  throw new Error(`expected ${line} to be rejected`);
}

describe('parseMessage: client to server, real firmware lines', () => {
  it('NerdMiner mining.subscribe', () => {
    expect(parse('{"id": 1, "method": "mining.subscribe", "params": ["NerdMinerV2/V1.8.3"]}')).toEqual({
      type: 'request',
      id: 1,
      method: 'mining.subscribe',
      params: { userAgent: 'NerdMinerV2/V1.8.3' },
    });
  });

  it('cpuminer mining.subscribe resuming a session, and an empty subscribe', () => {
    expect(
      parse('{"id": 1, "method": "mining.subscribe", "params": ["cpuminer/2.5.1", "f8002a5c"]}'),
    ).toEqual({
      type: 'request',
      id: 1,
      method: 'mining.subscribe',
      params: { userAgent: 'cpuminer/2.5.1', sessionId: 'f8002a5c' },
    });
    expect(parse('{"id":1,"method":"mining.subscribe","params":[]}')).toMatchObject({ params: {} });
  });

  it('NerdMiner mining.authorize with params before id and method', () => {
    expect(parse(`{"params": ["${WALLET}", "x"], "id": 2, "method": "mining.authorize"}`)).toEqual({
      type: 'request',
      id: 2,
      method: 'mining.authorize',
      params: { user: WALLET, password: 'x' },
    });
  });

  it('mining.authorize without a password', () => {
    expect(parse('{"id": 2, "method": "mining.authorize", "params": ["user.worker"]}')).toMatchObject({
      params: { user: 'user.worker' },
    });
  });

  it('NerdMiner mining.submit: 5 params, nonce not zero-padded', () => {
    const line = `{"id": 5, "method": "mining.submit", "params": ["${WALLET}","1b4","00000001","6523f2b1","a2b3c"]}`;
    expect(parse(line)).toEqual({
      type: 'request',
      id: 5,
      method: 'mining.submit',
      params: { worker: WALLET, jobId: '1b4', extranonce2: '00000001', ntime: '6523f2b1', nonce: '000a2b3c' },
    });
  });

  it('Bitaxe mining.submit: 6 params with version bits', () => {
    const line =
      '{"id": 12, "method": "mining.submit", "params": ["user.bitaxe", "1b4", "0100000000000000", "6523f2b1", "0a1b2c3d", "0e596000"]}';
    expect(parse(line)).toEqual({
      type: 'request',
      id: 12,
      method: 'mining.submit',
      params: {
        worker: 'user.bitaxe',
        jobId: '1b4',
        extranonce2: '0100000000000000',
        ntime: '6523f2b1',
        nonce: '0a1b2c3d',
        versionBits: '0e596000',
      },
    });
  });

  it('cpuminer mining.submit with "id" last', () => {
    const line =
      '{"method": "mining.submit", "params": ["user.cpu", "1b4", "00000000", "6523f2b1", "1a2b3c4d"], "id":4}';
    expect(parse(line)).toMatchObject({ id: 4, method: 'mining.submit', params: { nonce: '1a2b3c4d' } });
  });

  it('normalises submit hex: upper case to lower case, short ntime/nonce/version bits padded', () => {
    const line = '{"id":9,"method":"mining.submit","params":["w","J1","ABCDEF01","6523F2B1","A","E000"]}';
    expect(parse(line)).toMatchObject({
      params: {
        jobId: 'J1',
        extranonce2: 'abcdef01',
        ntime: '6523f2b1',
        nonce: '0000000a',
        versionBits: '0000e000',
      },
    });
  });

  it('Bitaxe mining.configure asking for version rolling', () => {
    const line =
      '{"id":1,"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"ffffffff"}]}';
    expect(parse(line)).toEqual({
      type: 'request',
      id: 1,
      method: 'mining.configure',
      params: { extensions: ['version-rolling'], options: { 'version-rolling.mask': 'ffffffff' } },
    });
  });

  it('mining.configure without the options object gets empty options', () => {
    expect(parse('{"id":1,"method":"mining.configure","params":[["version-rolling"]]}')).toMatchObject({
      params: { extensions: ['version-rolling'], options: {} },
    });
  });

  it('mining.suggest_difficulty from NerdMiner (new and <=1.7.0), Bitaxe and a string-typed one', () => {
    expect(parse('{"id":3,"method":"mining.suggest_difficulty","params":[0.00015]}')).toEqual({
      type: 'request',
      id: 3,
      method: 'mining.suggest_difficulty',
      params: { difficulty: 0.00015 },
    });
    expect(parse('{"id": 3, "method": "mining.suggest_difficulty", "params": [1e-4]}')).toMatchObject({
      params: { difficulty: 0.0001 },
    });
    expect(parse('{"id": 4, "method": "mining.suggest_difficulty", "params": [1000]}')).toMatchObject({
      params: { difficulty: 1000 },
    });
    expect(parse('{"id": 4, "method": "mining.suggest_difficulty", "params": ["0.001"]}')).toMatchObject({
      params: { difficulty: 0.001 },
    });
  });

  it('mining.extranonce.subscribe', () => {
    expect(parse('{"id": 5, "method": "mining.extranonce.subscribe", "params": []}')).toEqual({
      type: 'request',
      id: 5,
      method: 'mining.extranonce.subscribe',
      params: {},
    });
  });

  it('Bitaxe answers mining.ping with a request-shaped "pong"; "mining.pong" is kept too', () => {
    expect(parse('{"id":7,"method":"pong","params":[]}')).toEqual({
      type: 'request',
      id: 7,
      method: 'pong',
      params: {},
    });
    expect(parse('{"id":7,"method":"mining.pong","params":[]}')).toMatchObject({ method: 'mining.pong' });
  });
});

describe('parseMessage: server to client', () => {
  it('mining.notify from a pool, hex normalised to lower case', () => {
    const prevhash = '8A6AC9E3FE15CA70F8995E21434CB64AC4D2B5E10001543B0000000000000000';
    const line = JSON.stringify({
      params: [
        'd730f',
        prevhash,
        '01000000010000',
        'ffffffff01',
        ['4282357AB0A2F4E8E562C8C5EAE1D63B559068F9072374B72E26B88AC841908F'],
        '20000000',
        '17029A8A',
        '679AC169',
        true,
      ],
      id: null,
      method: 'mining.notify',
    });
    expect(parse(line)).toEqual({
      type: 'request',
      id: null,
      method: 'mining.notify',
      params: {
        jobId: 'd730f',
        prevhash: prevhash.toLowerCase(),
        coinb1: '01000000010000',
        coinb2: 'ffffffff01',
        merkleBranches: ['4282357ab0a2f4e8e562c8c5eae1d63b559068f9072374b72e26b88ac841908f'],
        version: '20000000',
        nbits: '17029a8a',
        ntime: '679ac169',
        cleanJobs: true,
      },
    });
  });

  it('mining.set_difficulty as ckpool writes it (params first, integer)', () => {
    expect(parse('{"params": [10000], "id": null, "method": "mining.set_difficulty"}')).toEqual({
      type: 'request',
      id: null,
      method: 'mining.set_difficulty',
      params: { difficulty: 10000 },
    });
  });

  it('mining.set_extranonce', () => {
    expect(parse('{"id":null,"method":"mining.set_extranonce","params":["08000002",4]}')).toEqual({
      type: 'request',
      id: null,
      method: 'mining.set_extranonce',
      params: { extranonce1: '08000002', extranonce2Size: 4 },
    });
  });

  it('mining.set_version_mask', () => {
    expect(parse('{"id":null,"method":"mining.set_version_mask","params":["1FFFE000"]}')).toMatchObject({
      method: 'mining.set_version_mask',
      params: { mask: '1fffe000' },
    });
  });

  it('client.reconnect with host, port (number or string) and wait, and with no params', () => {
    expect(parse('{"id":null,"method":"client.reconnect","params":["pool.example.net",3333,5]}')).toEqual({
      type: 'request',
      id: null,
      method: 'client.reconnect',
      params: { host: 'pool.example.net', port: 3333, waitSeconds: 5 },
    });
    expect(
      parse('{"id":null,"method":"client.reconnect","params":["pool.example.net","3334"]}'),
    ).toMatchObject({
      params: { host: 'pool.example.net', port: 3334 },
    });
    expect(parse('{"id":null,"method":"client.reconnect","params":[]}')).toMatchObject({ params: {} });
  });

  it('client.show_message', () => {
    expect(
      parse('{"id":null,"method":"client.show_message","params":["Pool maintenance in 10 minutes"]}'),
    ).toMatchObject({ params: { message: 'Pool maintenance in 10 minutes' } });
  });

  it('client.get_version and mining.ping carry the id to answer', () => {
    expect(parse('{"id":6,"method":"client.get_version","params":[]}')).toEqual({
      type: 'request',
      id: 6,
      method: 'client.get_version',
      params: {},
    });
    expect(parse('{"id":"ping-1","method":"mining.ping","params":[]}')).toEqual({
      type: 'request',
      id: 'ping-1',
      method: 'mining.ping',
      params: {},
    });
  });

  it('every listed method parses', () => {
    const minimal: Record<string, unknown[]> = {
      'mining.authorize': ['u'],
      'mining.submit': ['w', 'j', '00', '1', '1'],
      'mining.configure': [[]],
      'mining.suggest_difficulty': [1],
      'mining.notify': ['j', '0'.repeat(64), '', '', [], '00000001', '1d00ffff', '495fab29', false],
      'mining.set_difficulty': [1],
      'mining.set_extranonce': ['', 1],
      'mining.set_version_mask': ['0'],
      'client.show_message': ['hi'],
    };
    for (const method of new Set([...CLIENT_METHODS, ...SERVER_METHODS])) {
      const line = JSON.stringify({ id: 1, method, params: minimal[method] ?? [] });
      expect(parse(line)).toMatchObject({ type: 'request', method });
    }
  });
});

describe('parseMessage: responses and unknown methods', () => {
  it('a subscribe result from a pool', () => {
    const line =
      '{"result":[[["mining.notify","ae6812eb4cd7735a302a8a9dd95cf71f"]],"08000002",4],"id":1,"error":null}';
    expect(parse(line)).toEqual({
      type: 'response',
      id: 1,
      result: [[['mining.notify', 'ae6812eb4cd7735a302a8a9dd95cf71f']], '08000002', 4],
      error: null,
    });
  });

  it('a rejection keeps the peer error as sent, array or object', () => {
    expect(parse('{"id":4,"result":null,"error":[23,"Low difficulty share",null]}')).toEqual({
      type: 'response',
      id: 4,
      result: null,
      error: [23, 'Low difficulty share', null],
    });
    expect(parse('{"id":4,"result":false,"error":{"code":23,"message":"Difficulty too low"}}')).toMatchObject(
      {
        result: false,
        error: { code: 23, message: 'Difficulty too low' },
      },
    );
  });

  it('a response with only "result" or a null method is still a response', () => {
    expect(parse('{"id":2,"result":true}')).toEqual({ type: 'response', id: 2, result: true, error: null });
    expect(parse('{"id":2,"method":null,"result":true,"error":null}')).toMatchObject({ type: 'response' });
  });

  it('keeps an unknown method whole', () => {
    expect(parse('{"id":3,"method":"mining.get_transactions","params":["1b4"]}')).toEqual({
      type: 'unknown',
      id: 3,
      method: 'mining.get_transactions',
      params: ['1b4'],
    });
    // Inherited object keys are not methods.
    expect(parse('{"id":3,"method":"toString","params":[]}')).toMatchObject({ type: 'unknown' });
  });

  it('keeps ids of every JSON type, and a missing id becomes null', () => {
    const ids = [0, 17, -1, 1.5, 'abc', '', null, true, { n: 1 }, [1, 'a']];
    for (const id of ids) {
      expect(parse(JSON.stringify({ id, method: 'mining.ping', params: [] })).id).toEqual(id);
      expect(parse(JSON.stringify({ id, result: true, error: null })).id).toEqual(id);
    }
    expect(parse('{"method":"mining.ping","params":[]}').id).toBeNull();
  });
});

describe('parseMessage: errors', () => {
  it('a line that is not JSON is -32700 with no request id', () => {
    const err = parseError('{"id": 1, "method": "mining.subscribe"');
    expect(err.code).toBe(ERROR_TABLE.PARSE_ERROR.code);
    expect(err.requestId).toBeUndefined();
  });

  it('JSON that is not an object is -32600', () => {
    for (const line of ['[1,2]', '"mining.subscribe"', '42', 'null']) {
      expect(parseError(line).code).toBe(ERROR_TABLE.INVALID_REQUEST.code);
    }
  });

  it('an object with neither method nor result/error is -32600 and keeps the id', () => {
    const err = parseError('{"id":{"seq":8},"params":[]}');
    expect(err.code).toBe(ERROR_TABLE.INVALID_REQUEST.code);
    expect(err.requestId).toEqual({ seq: 8 });
    expect(err.message).toContain('"method"');
  });

  it('a non-string method is -32600 and names "method"', () => {
    const err = parseError('{"id":"a","method":5,"params":[]}');
    expect(err.code).toBe(ERROR_TABLE.INVALID_REQUEST.code);
    expect(err.requestId).toBe('a');
    expect(err.message).toContain('"method" must be a string');
  });

  /** [line, field the message must name, what it must say was expected] */
  const invalid: [string, string, string][] = [
    ['{"id":1,"method":"mining.subscribe","params":{"agent":"x"}}', 'mining.subscribe params', 'an array'],
    ['{"id":1,"method":"mining.subscribe","params":[5]}', 'params[0] (user agent)', 'a string'],
    ['{"id":1,"method":"mining.subscribe","params":["a",7]}', 'params[1] (session id)', 'a string'],
    ['{"id":2,"method":"mining.authorize","params":[]}', 'mining.authorize params[0] (user)', 'a string'],
    [
      `{"id":2,"method":"mining.authorize","params":["${'u'.repeat(257)}"]}`,
      'params[0] (user)',
      'at most 256',
    ],
    ['{"id":2,"method":"mining.authorize","params":["u",1]}', 'params[1] (password)', 'a string'],
    [
      '{"id":4,"method":"mining.submit","params":["w","j","00","1"]}',
      'mining.submit params',
      '5 or 6 params',
    ],
    [
      '{"id":4,"method":"mining.submit","params":["w","j","00","1","1","0","x"]}',
      'mining.submit params',
      '5 or 6 params',
    ],
    ['{"id":4,"method":"mining.submit","params":[1,"j","00","1","1"]}', 'params[0] (worker)', 'a string'],
    ['{"id":4,"method":"mining.submit","params":["w",7,"00","1","1"]}', 'params[1] (job id)', 'a string'],
    [
      '{"id":4,"method":"mining.submit","params":["w","j","000","1","1"]}',
      'params[2] (extranonce2)',
      'whole bytes',
    ],
    [
      '{"id":4,"method":"mining.submit","params":["w","j","","1","1"]}',
      'params[2] (extranonce2)',
      'hex bytes',
    ],
    ['{"id":4,"method":"mining.submit","params":["w","j","zz","1","1"]}', 'params[2] (extranonce2)', 'hex'],
    [
      `{"id":4,"method":"mining.submit","params":["w","j","${'00'.repeat(17)}","1","1"]}`,
      'params[2] (extranonce2)',
      'whole bytes',
    ],
    [
      '{"id":4,"method":"mining.submit","params":["w","j","00","123456789","1"]}',
      'params[3] (ntime)',
      '1 to 8 hex',
    ],
    ['{"id":4,"method":"mining.submit","params":["w","j","00","","1"]}', 'params[3] (ntime)', '1 to 8 hex'],
    [
      '{"id":4,"method":"mining.submit","params":["w","j","00","1","xyz"]}',
      'params[4] (nonce)',
      '1 to 8 hex',
    ],
    [
      '{"id":4,"method":"mining.submit","params":["w","j","00","1",12345]}',
      'params[4] (nonce)',
      '1 to 8 hex',
    ],
    [
      '{"id":4,"method":"mining.submit","params":["w","j","00","1","1","0x1"]}',
      'params[5] (version bits)',
      'hex',
    ],
    [
      '{"id":1,"method":"mining.configure","params":["version-rolling"]}',
      'params[0] (extensions)',
      'array of strings',
    ],
    ['{"id":1,"method":"mining.configure","params":[[1]]}', 'params[0] (extensions)', 'array of strings'],
    [
      '{"id":1,"method":"mining.configure","params":[[],[]]}',
      'params[1] (extension parameters)',
      'an object',
    ],
    ['{"id":3,"method":"mining.suggest_difficulty","params":[0]}', 'params[0] (difficulty)', 'above 0'],
    ['{"id":3,"method":"mining.suggest_difficulty","params":[-1]}', 'params[0] (difficulty)', 'above 0'],
    [
      '{"id":3,"method":"mining.suggest_difficulty","params":["abc"]}',
      'params[0] (difficulty)',
      'a finite number',
    ],
    [
      '{"id":3,"method":"mining.suggest_difficulty","params":[]}',
      'params[0] (difficulty)',
      'a finite number',
    ],
    ['{"id":null,"method":"mining.notify","params":["j"]}', 'mining.notify params', '9 params'],
    [notifyWith(1, '00'), 'params[1] (prevhash)', '64 hex characters'],
    [notifyWith(2, 'abc'), 'params[2] (coinb1)', 'whole bytes'],
    [notifyWith(3, 'xx'), 'params[3] (coinb2)', 'whole bytes'],
    [notifyWith(4, 'abcd'), 'params[4] (merkle branches)', 'an array'],
    [notifyWith(4, ['0'.repeat(64), '0'.repeat(62)]), 'params[4][1] (merkle branch)', '64 hex characters'],
    [notifyWith(5, '2000000'), 'params[5] (version)', '8 hex characters'],
    [notifyWith(6, '1d00fffg'), 'params[6] (nbits)', '8 hex characters'],
    [notifyWith(7, 495), 'params[7] (ntime)', '8 hex characters'],
    [notifyWith(8, 'true'), 'params[8] (clean_jobs)', 'true or false'],
    ['{"id":null,"method":"mining.set_difficulty","params":[null]}', 'params[0] (difficulty)', 'above 0'],
    [
      '{"id":null,"method":"mining.set_extranonce","params":["abc",4]}',
      'params[0] (extranonce1)',
      'whole bytes',
    ],
    [
      '{"id":null,"method":"mining.set_extranonce","params":["ab",0]}',
      'params[1] (extranonce2 size)',
      '1 to 16',
    ],
    [
      '{"id":null,"method":"mining.set_extranonce","params":["ab",2.5]}',
      'params[1] (extranonce2 size)',
      '1 to 16',
    ],
    [
      '{"id":null,"method":"mining.set_version_mask","params":["fffffffff"]}',
      'params[0] (mask)',
      '1 to 8 hex',
    ],
    ['{"id":null,"method":"client.reconnect","params":[7]}', 'params[0] (host)', 'a string'],
    ['{"id":null,"method":"client.reconnect","params":["h",70000]}', 'params[1] (port)', '1 to 65535'],
    ['{"id":null,"method":"client.reconnect","params":["h","http"]}', 'params[1] (port)', '1 to 65535'],
    ['{"id":null,"method":"client.reconnect","params":["h",3333,-1]}', 'params[2] (wait seconds)', '>= 0'],
    ['{"id":null,"method":"client.show_message","params":[]}', 'params[0] (message)', 'a string'],
    [
      `{"id":null,"method":"client.show_message","params":["${'m'.repeat(4097)}"]}`,
      'params[0] (message)',
      'at most 4096',
    ],
  ];

  it.each(invalid)('%s -> names %s', (line, field, expected) => {
    const err = parseError(line);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect(err.code).toBe(ERROR_TABLE.INVALID_PARAMS.code);
    expect(err.message).toContain(field);
    expect(err.message).toMatch(/: expected /);
    expect(err.message).toContain(expected);
    expect((err as InvalidParamsError).field).toContain(field);
    expect(err.requestId).toEqual(JSON.parse(line).id);
    expect(err.toWire()).toEqual([-32602, err.message, null]);
  });

  it('says what it got, shortened when long', () => {
    const err = parseError(
      `{"id":1,"method":"mining.submit","params":["w","j","00","1","${'z'.repeat(200)}"]}`,
    );
    expect(err.message).toContain('got "zzz');
    expect(err.message).toContain('...');
    expect(err.message.length).toBeLessThan(200);
  });
});

function notifyWith(index: number, value: unknown): string {
  const params: unknown[] = ['j', '0'.repeat(64), '01', '02', [], '00000001', '1d00ffff', '495fab29', true];
  params[index] = value;
  return JSON.stringify({ id: null, method: 'mining.notify', params });
}
