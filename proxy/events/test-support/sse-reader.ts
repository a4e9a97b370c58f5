import http from 'node:http';
import { createParser } from 'eventsource-parser';

export interface SseRecord {
  /** `event:` field, or '' for a comment. */
  type: string;
  /** The `data:` line as sent, or the comment text. */
  data: string;
}

/**
 * A server-sent-events client over a real HTTP request: collects records (and `:` comments),
 * parsed by eventsource-parser, and resolves waits as they arrive. Holds the raw text too, to
 * check the exact framing.
 */
export class SseReader {
  readonly records: SseRecord[] = [];
  raw = '';
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  private readonly parser = createParser({
    onEvent: (e) => this.records.push({ type: e.event ?? 'message', data: e.data }),
    onComment: (comment) => this.records.push({ type: '', data: comment.trim() }),
  });
  private readonly waiters = new Set<() => void>();
  private request: http.ClientRequest | undefined;
  private ended = false;

  static open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const reader = new SseReader();
    return new Promise((resolve, reject) => {
      reader.request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        reader.status = res.statusCode ?? 0;
        reader.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => reader.push(chunk));
        res.on('close', () => {
          reader.ended = true;
          reader.poke();
        });
        resolve(reader);
      });
      reader.request.on('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** The first record (from `from` on) of this type whose parsed data matches. */
  next(
    type: string,
    match: (data: Record<string, unknown>) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `timed out waiting for event ${type}; got ${this.records.map((r) => r.type || ':').join(',')}`,
          ),
        );
      }, timeoutMs);
      const check = (): void => {
        for (const r of this.records) {
          if (r.type !== type) continue;
          const data = JSON.parse(r.data) as Record<string, unknown>;
          if (!match(data)) continue;
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(data);
          return;
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(probe);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const probe = (): void => {
        if (!check()) return;
        this.waiters.delete(probe);
        clearTimeout(timer);
        resolve();
      };
      this.waiters.add(probe);
      probe();
    });
  }

  close(): void {
    this.request?.destroy();
  }

  private push(chunk: string): void {
    this.raw += chunk;
    this.parser.feed(chunk);
    this.poke();
  }

  private poke(): void {
    for (const w of [...this.waiters]) w();
  }
}
