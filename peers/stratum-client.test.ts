import { Duplex, PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../runtime/test-support/manual-clock.js';
import { StratumClient, type StratumClientOptions } from './stratum-client.js';

/** A client over an in-memory stream: `peer.say` is what it receives, `peer.heard` what it sent. */
function clientInMemory(options: StratumClientOptions = {}) {
  const toClient = new PassThrough();
  const fromClient = new PassThrough();
  const heard: string[] = [];
  fromClient.on('data', (chunk: Buffer) => heard.push(chunk.toString()));
  const stream = Duplex.from({ readable: toClient, writable: fromClient });
  const client = StratumClient.over(stream, options);
  clients.push(client);
  return {
    client,
    stream,
    say: (...lines: string[]) => toClient.write(lines.map((l) => `${l}\n`).join('')),
    heard,
  };
}

const clients: StratumClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients.length = 0;
});

describe('StratumClient', () => {
  it('answers a request by its id, whatever came in between', async () => {
    const { client, say, heard } = clientInMemory();
    const answer = client.request('mining.subscribe', ['test/1']);
    say('{"id":null,"method":"mining.set_difficulty","params":[2]}', '{"id":7,"result":false,"error":null}');
    say('{"id":1,"result":[[],"aa",4],"error":null}');
    expect(await answer).toEqual({
      id: 1,
      result: [[], 'aa', 4],
      error: null,
      line: '{"id":1,"result":[[],"aa",4],"error":null}',
    });
    expect(heard.join('')).toBe('{"id":1,"method":"mining.subscribe","params":["test/1"]}\n');
  });

  it('hands each notification of a method out once, in order, and lists them all', async () => {
    const { client, say } = clientInMemory();
    say(
      '{"id":null,"method":"mining.notify","params":["a"]}',
      '{"id":null,"method":"mining.notify","params":["b"]}',
    );
    expect((await client.notification('mining.notify')).params).toEqual(['a']);
    expect((await client.notification('mining.notify')).params).toEqual(['b']);
    const third = client.notification('mining.notify');
    say('{"id":null,"method":"mining.notify","params":["c"]}');
    expect((await third).params).toEqual(['c']);
    expect(client.notifications('mining.notify').map((n) => n.params[0])).toEqual(['a', 'b', 'c']);
  });

  it('keeps raw lines, JSON or not, and writes bytes exactly as given', async () => {
    const { client, say, heard } = clientInMemory();
    client.write('{"id":1,"meth');
    client.write('od":"x"}\n');
    say('not json', '[1,2]');
    const last = await client.line('the array', (r) => r.line === '[1,2]');
    expect(last.json).toBeUndefined();
    expect(client.received.map((r) => r.line)).toEqual(['not json', '[1,2]']);
    expect(heard.join('')).toBe('{"id":1,"method":"x"}\n');
  });

  it('keeps only the most recent lines, counting every one', async () => {
    const { client, say } = clientInMemory({ keepLines: 8 });
    say(...Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: i, result: true, error: null })));
    await client.answer(19);
    expect(client.receivedCount).toBe(20);
    expect(client.received.length).toBeLessThanOrEqual(8);
    expect(client.received.at(-1)?.seq).toBe(19);
    expect(client.answersTo(0)).toEqual([]);
  });

  it('records both directions and remarks in its transcript, on its clock', async () => {
    const clock = new ManualClock(1000);
    const { client, say } = clientInMemory({ clock, transcriptLines: 3 });
    client.sendLine('{"id":1,"method":"mining.ping","params":[]}');
    say('{"id":1,"result":"pong","error":null}');
    await client.answer(1);
    client.note('done');
    client.note('over the bound');
    expect(client.transcript).toEqual([
      { at: 1000, dir: 'sent', line: '{"id":1,"method":"mining.ping","params":[]}' },
      { at: 1000, dir: 'received', line: '{"id":1,"result":"pong","error":null}' },
      { at: 1000, dir: 'note', line: 'done' },
    ]);
    expect(client.droppedFromTranscript).toBe(1);
  });

  it('fails a wait after its bound, naming what it waited for and the last lines', async () => {
    const clock = new ManualClock();
    const { client, say } = clientInMemory({ clock, waitMs: 5000 });
    say('{"id":null,"method":"mining.set_difficulty","params":[1]}');
    await client.line('the difficulty', (r) => r.json?.method === 'mining.set_difficulty');
    const answer = client.answer(3);
    const missed = expect(answer).rejects.toThrow(
      /^client: timed out after 5000 ms waiting for an answer to id 3; last lines:\n.*set_difficulty/,
    );
    await clock.tick(4999);
    expect(clock.pending).toBe(1);
    await clock.tick(1);
    await missed;
  });

  it('fails a wait when the peer closes, and sees the close', async () => {
    const { client, stream } = clientInMemory();
    const answer = client.answer(1);
    stream.push(null);
    await expect(answer).rejects.toThrow(/connection closed \(peer-closed\) waiting for an answer to id 1/);
    await client.waitClosed();
    expect(client.isClosed).toBe(true);
    expect(client.closeReason).toBe('peer-closed');
    expect(client.sendLine('{}')).toBe(false);
  });

  it('drops its pending waits unsettled when closed by its owner', async () => {
    const clock = new ManualClock();
    const { client } = clientInMemory({ clock });
    let settled = false;
    void client.answer(1).finally(() => (settled = true));
    await client.close();
    expect(clock.pending).toBe(0);
    expect(settled).toBe(false);
    expect(client.closeReason).toBe('local');
  });
});
