/**
 * Entry of a rack worker thread: runs its share of a rack (RackOptions.select) on its own event
 * loop and hash scheduler, so the hashing never delays the process that runs the pool or proxy.
 * Events, console lines and stats go to the parent as messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { startRack } from './rack.js';
import type { Rack } from './rack.js';
import type { FromRackThread, RackThreadData, ToRackThread } from './rack-messages.js';

function main(): void {
  const port = parentPort;
  if (port === null) throw new Error('rack-thread.js runs as a worker thread only');
  const data = workerData as RackThreadData;
  const send = (message: FromRackThread): void => port.postMessage(message);
  let rack: Rack;
  try {
    rack = startRack({
      ...data.options,
      select: data.select,
      logger: threadLogger(data),
      ...(data.console && { console: (worker, line) => send({ type: 'console', worker, line }) }),
    });
  } catch (err) {
    send({ type: 'failed', message: (err as Error).message });
    return;
  }
  rack.on('event', (event) => send({ type: 'event', event }));
  const timer = setInterval(() => send({ type: 'stats', stats: rack.stats() }), data.statsEveryMs);
  send({ type: 'stats', stats: rack.stats() });
  port.on('message', (message: ToRackThread) => {
    if (message.type !== 'stop') return;
    clearInterval(timer);
    void rack.stop().then(() => {
      send({ type: 'stopped', stats: rack.stats() });
      port.close();
    });
  });
}

function threadLogger(data: RackThreadData): Logger {
  if (data.logFile === undefined || data.logLevel === 'silent') return pino({ level: 'silent' });
  return pino(
    { level: data.logLevel, name: 'miners' },
    pino.destination({ dest: data.logFile, append: true }),
  );
}

main();
