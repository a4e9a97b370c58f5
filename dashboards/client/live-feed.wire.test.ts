import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../runtime/clock.js';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import { PATIENCE } from '../../test-support/patience.js';
import { FakeProxyHttp } from '../test-support/fake-proxy-http.js';
import { statusFixture, workerFixture } from '../../proxy/api/test-support/status-fixture.js';
import type { DashAction } from '../view/dash-state.js';
import { LiveFeed } from './live-feed.js';

const fakes: FakeProxyHttp[] = [];
const feeds: LiveFeed[] = [];

afterEach(async () => {
  for (const f of feeds.splice(0)) f.stop();
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fake(port = 0): Promise<FakeProxyHttp> {
  const f = await new FakeProxyHttp().listen(port);
  fakes.push(f);
  return f;
}

/** A feed with short delays, and a way to await the action a test expects. */
function startFeed(url: string, token: string | null = null, clock?: Clock) {
  const actions: DashAction[] = [];
  const feed = new LiveFeed(
    {
      base: new URL(url),
      token,
      refreshMs: 100,
      pollMs: 50,
      retryMinMs: 50,
      retryMaxMs: 200,
      eventsRetryMs: 100,
      ...(clock === undefined ? {} : { clock }),
    },
    (a) => actions.push(a),
  );
  feeds.push(feed);
  feed.start();
  /** The first action from index `from` on that passes `pred`, once it has come. */
  const waitFor = async (pred: (a: DashAction) => boolean, from = 0): Promise<DashAction> => {
    await vi.waitFor(
      () =>
        expect(actions.slice(from).some(pred), `actions so far: ${actions.map(kind).join(' ')}`).toBe(true),
      PATIENCE,
    );
    return actions.slice(from).find(pred) as DashAction;
  };
  return { feed, actions, waitFor };
}

const kind = (a: DashAction): string =>
  a.type === 'link' ? `link:${a.phase}` : a.type === 'event' ? `event:${a.event.type}` : 'status';
const isLink =
  (phase: string) =>
  (a: DashAction): boolean =>
    a.type === 'link' && a.phase === phase;

describe('LiveFeed', () => {
  it('takes the first picture from /status, then streams /events with the token on both', async () => {
    const proxy = await fake();
    proxy.status = () => statusFixture([workerFixture('rack.cpu-01')]);
    const { actions, waitFor } = startFeed(proxy.url, 's3cret');
    await waitFor(isLink('live'));
    expect(kind(actions[0]!)).toBe('status');
    proxy.send('share', {
      at: 1,
      worker: 'rack.cpu-01',
      accepted: true,
      reason: null,
      code: null,
      difficulty: 0.001,
      share_difficulty: 0.002,
      forwarded: true,
      job_id: '7',
    });
    proxy.write('event: from-the-future\ndata: {}\n\n: ping\n\n');
    proxy.send('vardiff', { at: 2, worker: 'rack.cpu-01', from: 0.001, to: 0.002, reason: 'too-fast' });
    await waitFor((a) => a.type === 'event' && a.event.type === 'vardiff');
    expect(actions.filter((a) => a.type === 'event').map(kind)).toEqual([
      'event:hello',
      'event:share',
      'event:vardiff',
    ]);
    expect(new Set(proxy.requests.map((r) => r.path))).toEqual(new Set(['/status', '/events']));
    expect(proxy.requests.every((r) => r.authorization === 'Bearer s3cret')).toBe(true);
    // /status is still re-read while live.
    const n = actions.filter((a) => a.type === 'status').length;
    await waitFor((a) => a.type === 'status', actions.length);
    expect(actions.filter((a) => a.type === 'status').length).toBeGreaterThan(n);
  });

  it('polls /status when the proxy has no /events', async () => {
    const proxy = await fake();
    proxy.eventsMode = 'missing';
    const { actions, waitFor } = startFeed(proxy.url);
    const link = await waitFor(isLink('polling'));
    expect(link).toMatchObject({ error: 'HTTP 404: the proxy has no /events' });
    const start = actions.length;
    await waitFor((a) => a.type === 'status', start);
    await waitFor((a) => a.type === 'status', actions.length);
    expect(actions.some(isLink('live'))).toBe(false);
    expect(proxy.requests.filter((r) => r.authorization !== undefined)).toEqual([]);
  });

  it('says when the proxy goes away, keeps trying, and goes live again when it is back', async () => {
    const first = await fake();
    const port = first.port;
    const { actions, waitFor } = startFeed(first.url);
    await waitFor(isLink('live'));
    await first.close();
    fakes.splice(fakes.indexOf(first), 1);
    const down = await waitFor(isLink('down'));
    // Refused if the next poll finds the port closed; reset if one was in flight as it closed.
    expect(down).toMatchObject({ error: expect.stringMatching(/ECONNREFUSED|ECONNRESET/) });
    if (down.type === 'link') expect(down.retryAt).toBeGreaterThan(down.at);
    const mark = actions.length;
    await fake(port);
    await waitFor(isLink('live'), mark);
    await waitFor((a) => a.type === 'status', mark);
  });

  it('reports a refused token as the reason it cannot read the proxy', async () => {
    const proxy = await fake();
    proxy.refuseWith = 401;
    const { waitFor } = startFeed(proxy.url, 'wrong');
    expect(await waitFor(isLink('down'))).toMatchObject({
      error: 'HTTP 401 on /status: unauthorized (check --token)',
    });
  });

  it('drops a stream whose line outgrows the cap and opens a new one', async () => {
    const proxy = await fake();
    const { actions, waitFor } = startFeed(proxy.url);
    await waitFor(isLink('live'));
    proxy.write(`data: ${'x'.repeat(70 * 1024)}`);
    const polling = await waitFor(isLink('polling'));
    expect(polling).toMatchObject({ error: 'event stream line longer than 65536 characters' });
    await waitFor(isLink('live'), actions.indexOf(polling));
  });

  it('stops asking when stopped: the stream closes and no timer is left to ask again', async () => {
    const proxy = await fake();
    const clock = new ManualClock();
    const { feed, waitFor } = startFeed(proxy.url, null, clock);
    await waitFor(isLink('live'));
    expect(clock.pending).toBeGreaterThan(0);
    feed.stop();
    await vi.waitFor(() => expect(proxy.openStreams).toBe(0), PATIENCE);
    expect(clock.pending).toBe(0);
    const count = proxy.requests.length;
    await clock.tick(60_000);
    expect(proxy.requests.length).toBe(count);
  });
});
