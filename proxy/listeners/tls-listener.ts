import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import type { Listening, StreamSink } from './tcp-listener.js';
import { formatRemote, listenOn } from './tcp-listener.js';

/** A TLS handshake that takes longer than this is abandoned (a client that never starts one). */
export const DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export interface TlsListening extends Listening {
  /** Re-reads the certificate and key; handshakes from now on use them (open ones keep theirs). */
  reloadCertificate(files: TlsFiles): void;
}

/** Named so a wrong path or a bad PEM says which file is at fault. */
export class TlsFilesError extends Error {
  readonly code = 'TLS_FILES';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TlsFilesError';
  }
}

/** Reads and checks a PEM certificate and key pair. */
export function loadTlsFiles(files: TlsFiles): { cert: Buffer; key: Buffer } {
  const read = (label: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new TlsFilesError(`tls: cannot read the ${label} file ${path} (${code})`, { cause: err });
    }
  };
  const cert = read('certificate', files.certFile);
  const key = read('key', files.keyFile);
  try {
    tls.createSecureContext({ cert, key });
  } catch (err) {
    throw new TlsFilesError(
      `tls: ${files.certFile} / ${files.keyFile}: not a usable certificate and key (${(err as Error).message})`,
      { cause: err },
    );
  }
  return { cert, key };
}

/**
 * Miners over TLS (stratum+ssl): each socket goes to the sink once its handshake is done, so the
 * session code sees the same Duplex as over plain TCP.
 */
export async function listenTls(
  sink: StreamSink,
  host: string,
  port: number,
  files: TlsFiles,
  options: { handshakeTimeoutMs?: number; onHandshakeError?: (err: Error, remote: string) => void } = {},
): Promise<TlsListening> {
  const server = tls.createServer(
    {
      ...loadTlsFiles(files),
      handshakeTimeout: options.handshakeTimeoutMs ?? DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
      minVersion: 'TLSv1.2',
    },
    (socket) => {
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 60_000);
      sink.accept(socket, formatRemote(socket.remoteAddress, socket.remotePort));
    },
  );
  server.on('tlsClientError', (err, socket) => {
    options.onHandshakeError?.(err, formatRemote(socket.remoteAddress, socket.remotePort));
    socket.destroy();
  });
  // Sockets still in their handshake are nobody's yet: close() must end them itself.
  const raw = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    raw.add(socket);
    socket.once('close', () => raw.delete(socket));
  });
  const listening = await listenOn(server, host, port);
  return {
    ...listening,
    close() {
      const closed = listening.close();
      for (const socket of raw) socket.destroy();
      return closed;
    },
    reloadCertificate(next) {
      server.setSecureContext(loadTlsFiles(next));
    },
  };
}
