import type { ProxyStatus, WorkerStatus } from '../../proxy/api/index.js';
import type { DashState, LinkState } from './dash-state.js';
import {
  ago,
  clockTime,
  formatAge,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatHashrate,
  truncate,
} from './format.js';
import { UNICODE_BARS, bucketCounts, sparkline } from './sparkline.js';
import type { Bars } from './sparkline.js';
import type { FeedKind } from './event-text.js';

/** How a line is drawn; the terminal front end maps these to colours. */
export type LineStyle = 'normal' | 'selected' | 'good' | 'warn' | 'bad' | 'dim';

export interface Line {
  text: string;
  style: LineStyle;
}

/** One share-sparkline bar per this many ms. */
export const DEFAULT_SPARK_BUCKET_MS = 10_000;

const line = (text: string, width: number, style: LineStyle = 'normal'): Line => ({
  text: truncate(text, width),
  style,
});

/** What the link state says, e.g. "live", "polling /status", "proxy unreachable: ...; retry in 3s". */
export function linkText(link: LinkState, now: number): { text: string; style: LineStyle } {
  switch (link.phase) {
    case 'connecting':
      return { text: 'connecting', style: 'dim' };
    case 'live':
      return { text: 'live', style: 'good' };
    case 'polling':
      return { text: 'polling /status', style: 'warn' };
    case 'down': {
      const retry =
        link.retryAt === null ? '' : `, retry in ${formatAge(Math.max(0, link.retryAt - now) + 999)}`;
      return { text: `PROXY UNREACHABLE${retry}${link.error ? `: ${link.error}` : ''}`, style: 'bad' };
    }
  }
}

/** Title, proxy, time and link state; how old the picture is once the proxy is lost. */
export function headerLine(state: DashState, url: string, now: number, width: number): Line {
  const link = linkText(state.link, now);
  const age =
    state.link.phase === 'down' && state.statusAt !== null
      ? `  (last status ${ago(state.statusAt, now)} ago)`
      : '';
  return line(`karoo dash  ${url}  ${clockTime(now)}  ${link.text}${age}`, width, link.style);
}

/** The upstream panel: pool, state, difficulty, last notify, extranonce1, totals. */
export function upstreamLines(status: ProxyStatus | null, now: number, width: number): Line[] {
  if (!status) return [line('waiting for the first /status', width, 'dim'), line('', width)];
  const u = status.upstream;
  const t = status.totals;
  const state = `${u.state} ${ago(u.since, now)}`;
  const first = line(
    `pool ${u.url.replace(/^stratum\+tcp:\/\//, '')}  ${state}  diff ${formatDifficulty(u.difficulty)}  en1 ${u.extranonce1 ?? '-'}  notify ${ago(u.last_notify_at, now)} ago`,
    width,
    u.connected ? 'normal' : 'bad',
  );
  const second =
    !u.connected && u.last_error
      ? line(`last error: ${u.last_error}`, width, 'bad')
      : line(
          `miners ${t.miners}  workers ${t.workers}  ${formatHashrate(t.hashrate, true)}  acc ${formatCount(t.accepted)}  rej ${formatCount(t.rejected)}  fwd ${formatCount(t.forwarded)}  pool ${formatCount(t.pool_accepted)}/${formatCount(t.pool_rejected)}`,
          width,
        );
  return [first, second];
}

/** The selected worker: identity, counts, share and latency sparklines, rejects, vardiff history. */
export function detailLines(
  state: DashState,
  w: WorkerStatus | undefined,
  now: number,
  width: number,
  height: number,
  bars: Bars = UNICODE_BARS,
  bucketMs = DEFAULT_SPARK_BUCKET_MS,
): Line[] {
  if (!w) return [line(state.status ? 'no worker selected' : '', width, 'dim')];
  const series = state.series[w.name] ?? { shareTimes: [], latencies: [] };
  const sparkWidth = Math.max(0, width - 8);
  const out: Line[] = [
    line(
      `${w.user_agent ?? w.kind}  ${w.remote ?? '-'}  ${w.connected ? `up ${ago(w.connected_at, now)}` : 'disconnected'}`,
      width,
      w.connected ? 'normal' : 'warn',
    ),
    line(
      `diff ${formatDifficulty(w.difficulty)}  acc ${formatCount(w.accepted)} rej ${formatCount(w.rejected)} stale ${formatCount(w.stale)} dup ${formatCount(w.duplicates)}  pool ${formatCount(w.pool.accepted)}/${formatCount(w.pool.rejected)}`,
      width,
    ),
    line(
      `shares  ${sparkline(bucketCounts(series.shareTimes, now, bucketMs, sparkWidth), sparkWidth, bars)}`,
      width,
    ),
    line(
      `latency ${sparkline(series.latencies, Math.max(0, sparkWidth - 20), bars)} p50 ${formatDuration(w.latency_ms.p50)} p95 ${formatDuration(w.latency_ms.p95)}`,
      width,
    ),
  ];
  const reasons = Object.entries(w.rejected_by_reason).sort((a, b) => b[1] - a[1]);
  if (reasons.length)
    out.push(line(`rejects: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}`, width, 'bad'));
  const history = [...w.vardiff_history].reverse();
  if (!history.length) out.push(line('vardiff: no changes', width, 'dim'));
  for (const h of history) {
    if (out.length >= height) break;
    out.push(
      line(
        `vardiff ${clockTime(h.at)} ${formatDifficulty(h.from)} -> ${formatDifficulty(h.to)} ${h.reason}`,
        width,
      ),
    );
  }
  return out.slice(0, Math.max(0, height));
}

const FEED_STYLE: Record<FeedKind, LineStyle> = {
  block: 'good',
  reject: 'bad',
  'pool-reject': 'bad',
  vardiff: 'normal',
  connect: 'dim',
  disconnect: 'warn',
  upstream: 'warn',
  proxy: 'warn',
};

/** The newest `height` feed entries, newest first. */
export function feedLines(state: DashState, width: number, height: number): Line[] {
  if (height <= 0) return [];
  if (!state.feed.length) return [line('no events yet', width, 'dim')];
  return state.feed
    .slice(-height)
    .reverse()
    .map((e) => line(`${clockTime(e.at)} ${e.text}`, width, FEED_STYLE[e.kind]));
}
