import { describe, expect, it } from 'vitest';
import { BenchError, UnknownScenarioError } from '../errors.js';
import { runHil } from './run-hil.js';

describe('runHil', () => {
  it('says so when no board is connected', async () => {
    const err = await runHil({ listPorts: async () => [], listen: '127.0.0.1:0' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BenchError);
    expect((err as Error).message).toMatch(/^no boards: .*--port.*--virtual N/);
  });

  it('names the port it could not open', async () => {
    const err = await runHil({
      ports: ['/nonexistent/ttyKAROO'],
      listPorts: async () => [],
      listen: '127.0.0.1:0',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BenchError);
    expect((err as Error).message).toMatch(/^cannot open \/nonexistent\/ttyKAROO: /);
  });

  it('refuses mixed or unknown choices before starting anything', async () => {
    await expect(runHil({ virtual: 1, ports: ['/dev/ttyUSB0'] })).rejects.toThrow(/cannot be mixed/);
    await expect(runHil({ virtual: 1, proxyUrl: 'http://127.0.0.1:1', direct: true })).rejects.toThrow(
      /--proxy and --direct/,
    );
    await expect(runHil({ virtual: 1, scenarios: ['nope'] })).rejects.toBeInstanceOf(UnknownScenarioError);
  });

  it('reports a proxy that does not answer', async () => {
    const err = await runHil({ virtual: 1, proxyUrl: 'http://127.0.0.1:1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BenchError);
    expect((err as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:1\/status: connect ECONNREFUSED/);
  });
});
