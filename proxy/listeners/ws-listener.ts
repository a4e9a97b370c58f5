import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { Listening, StreamSink } from './tcp-listener.js';
import { formatRemote, listenOn } from './tcp-listener.js';
import type { TlsFiles } from './tls-listener.js';
import { loadTlsFiles } from './tls-listener.js';

/** Close code for an orderly end (RFC 6455). */
const NORMAL_CLOSURE = 1000;
/** Headers of the upgrade request must arrive within this time. */
export const DEFAULT_WS_HEADERS_TIMEOUT_MS = 10_000;

/**
 * A WebSocket seen as a byte stream of Stratum lines: each incoming frame is one line (a newline
 * is added), each outgoing line is one text frame (the newline dropped). The write callback waits
 * for the frame to reach the socket, so a slow reader backs up into `writableLength` and the
 * LineConnection's send-queue cap applies exactly as over TCP.
 */
export class WebSocketLineStream extends Duplex {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  private pending = '';

  constructor(
    private readonly ws: WebSocket,
    /** The underlying socket, for the remote address (absent on the client side). */
    socket: Partial<Pick<Socket, 'remoteAddress' | 'remotePort'>> = {},
  ) {
    super({ allowHalfOpen: false, decodeStrings: true });
    this.remoteAddress = socket.remoteAddress;
    this.remotePort = socket.remotePort;
    ws.on('message', (data) => {
      if (this.destroyed) return;
      const text = frameText(data);
      if (!this.push(text.endsWith('\n') ? text : `${text}\n`)) ws.pause();
    });
    ws.on('close', () => {
      if (this.destroyed) return;
      this.push(null);
      this.destroy();
    });
    ws.on('error', (err) => this.destroy(err));
  }

  override _read(): void {
    if (this.ws.isPaused) this.ws.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.sendLines(chunk.toString('utf8'), callback);
  }

  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    callback: (err?: Error | null) => void,
  ): void {
    this.sendLines(chunks.map((c) => c.chunk.toString('utf8')).join(''), callback);
  }

  override _final(callback: (err?: Error | null) => void): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(NORMAL_CLOSURE);
    callback();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    if (this.ws.readyState !== this.ws.CLOSED) this.ws.terminate();
    callback(err);
  }

  private sendLines(text: string, callback: (err?: Error | null) => void): void {
    const parts = (this.pending + text).split('\n');
    this.pending = parts.pop() ?? '';
    const lines = parts.filter((l) => l !== '');
    if (lines.length === 0 || this.ws.readyState !== this.ws.OPEN) {
      callback();
      return;
    }
    lines.forEach((line, i) => {
      this.ws.send(line, { binary: false }, i === lines.length - 1 ? (err) => callback(err) : undefined);
    });
  }
}

function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export interface WsListenOptions {
  /** The longest line a miner may send; frames up to twice this reach the line framer (which
   * closes on an over-long line), larger ones are refused by the WebSocket layer (close 1009). */
  lineCap: number;
  /** Serve wss:// with this certificate and key. */
  tls?: TlsFiles;
}

export interface WsListening extends Listening {
  readonly secure: boolean;
  reloadCertificate(files: TlsFiles): void;
}

/**
 * Stratum over WebSocket (browser-side miners) on its own port: any path, one JSON-RPC message per
 * text frame. Each connection is handed to the sink as a WebSocketLineStream, so it runs the
 * same session code as TCP.
 */
export async function listenWebSocket(
  sink: StreamSink,
  host: string,
  port: number,
  options: WsListenOptions,
): Promise<WsListening> {
  const refuse = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
    res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
    res.end('Stratum over WebSocket: connect with a WebSocket client\n');
  };
  const server = options.tls
    ? https.createServer({ ...loadTlsFiles(options.tls), minVersion: 'TLSv1.2' }, refuse)
    : http.createServer(refuse);
  server.headersTimeout = DEFAULT_WS_HEADERS_TIMEOUT_MS;
  server.requestTimeout = DEFAULT_WS_HEADERS_TIMEOUT_MS;
  const wss = new WebSocketServer({
    server,
    maxPayload: options.lineCap * 2,
    perMessageDeflate: false,
    clientTracking: true,
  });
  wss.on('connection', (ws, req) => {
    const socket = req.socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    sink.accept(new WebSocketLineStream(ws, socket), formatRemote(socket.remoteAddress, socket.remotePort));
  });
  wss.on('error', () => undefined);
  const listening = await listenOn(server, host, port);
  return {
    ...listening,
    secure: options.tls !== undefined,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await listening.close();
    },
    reloadCertificate(files) {
      if (server instanceof https.Server) server.setSecureContext(loadTlsFiles(files));
    },
  };
}
