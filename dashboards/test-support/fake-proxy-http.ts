import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProxyStatus } from '../../proxy/api/index.js';
import { statusFixture } from '../../proxy/api/test-support/status-fixture.js';

/**
 * A stand-in for the proxy's HTTP API: GET /status answers `status()`, GET /events is an SSE
 * stream the test writes to (or 404 / 401 when told), and every request's headers are kept.
 */
export class FakeProxyHttp {
  readonly requests: { path: string; authorization: string | undefined }[] = [];
  status: () => ProxyStatus = () => statusFixture();
  eventsMode: 'stream' | 'missing' = 'stream';
  /** When set, every request is refused with this status. */
  refuseWith: number | null = null;
  private readonly streams = new Set<http.ServerResponse>();
  private server: http.Server | undefined;
  port = 0;

  async listen(port = 0): Promise<this> {
    const server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get openStreams(): number {
    return this.streams.size;
  }

  /** Writes raw text to every open /events stream. */
  write(text: string): void {
    for (const res of this.streams) res.write(text);
  }

  send(type: string, data: object): void {
    this.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Stops listening and cuts every connection, as a dying proxy would. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const res of this.streams) res.destroy();
    this.streams.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    this.requests.push({ path, authorization: req.headers.authorization });
    if (this.refuseWith !== null) {
      res.writeHead(this.refuseWith, { 'content-type': 'application/json' });
      res.end('{"error":"refused"}\n');
      return;
    }
    if (path === '/status') {
      const body = JSON.stringify(this.status());
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    if (path === '/events' && this.eventsMode === 'stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      res.write(`event: hello\ndata: {"at":${Date.now()},"version":"test"}\n\n`);
      this.streams.add(res);
      res.on('close', () => this.streams.delete(res));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(`{"error":"no route ${path}"}\n`);
  }
}
