import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** A Prometheus exposition: one proxy's metrics, or a cluster's aggregated over its processes. */
export interface MetricsText {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** GET /metrics: the Prometheus text exposition. */
export function metricsRoute(metrics: MetricsText, logger: Logger) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    metrics.metrics().then(
      (text) => {
        res.writeHead(200, {
          'content-type': metrics.contentType,
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      },
      (err: unknown) => {
        logger.error({ err }, 'collecting metrics failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('collecting metrics failed\n');
      },
    );
  };
}
