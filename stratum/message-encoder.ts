import type { WireError } from './errors.js';
import { StratumError } from './errors.js';
import type { JsonValue, KnownRequest, Response, RpcId, StratumMessage } from './messages.js';

/** One message as a JSON line, without the trailing newline. */
export function encodeMessage(msg: StratumMessage): string {
  switch (msg.type) {
    case 'response':
      return JSON.stringify({ id: msg.id, result: msg.result, error: msg.error });
    case 'unknown':
      return JSON.stringify({ id: msg.id, method: msg.method, params: msg.params });
    case 'request':
      return JSON.stringify({ id: msg.id, method: msg.method, params: paramsToWire(msg) });
  }
}

/** The wire params array of a typed request. */
export function paramsToWire(msg: KnownRequest): JsonValue[] {
  switch (msg.method) {
    case 'mining.subscribe': {
      const { userAgent, sessionId } = msg.params;
      if (sessionId !== undefined) return [userAgent ?? null, sessionId];
      return userAgent === undefined ? [] : [userAgent];
    }
    case 'mining.authorize':
      return msg.params.password === undefined ? [msg.params.user] : [msg.params.user, msg.params.password];
    case 'mining.submit': {
      const s = msg.params;
      const out = [s.worker, s.jobId, s.extranonce2, s.ntime, s.nonce];
      if (s.versionBits !== undefined) out.push(s.versionBits);
      return out;
    }
    case 'mining.configure':
      return [msg.params.extensions, msg.params.options];
    case 'mining.suggest_difficulty':
    case 'mining.set_difficulty':
      return [msg.params.difficulty];
    case 'mining.notify': {
      const j = msg.params;
      return [
        j.jobId,
        j.prevhash,
        j.coinb1,
        j.coinb2,
        j.merkleBranches,
        j.version,
        j.nbits,
        j.ntime,
        j.cleanJobs,
      ];
    }
    case 'mining.set_extranonce':
      return [msg.params.extranonce1, msg.params.extranonce2Size];
    case 'mining.set_version_mask':
      return [msg.params.mask];
    case 'client.reconnect': {
      const { host, port, waitSeconds } = msg.params;
      if (waitSeconds !== undefined) return [host ?? '', port ?? null, waitSeconds];
      if (port !== undefined) return [host ?? '', port];
      return host === undefined ? [] : [host];
    }
    case 'client.show_message':
      return [msg.params.message];
    case 'mining.extranonce.subscribe':
    case 'mining.ping':
    case 'mining.pong':
    case 'pong':
    case 'client.get_version':
      return [];
  }
}

export function encodeResult(id: RpcId, result: JsonValue): string {
  return encodeMessage({ type: 'response', id, result, error: null });
}

export function encodeError(id: RpcId, error: StratumError | WireError): string {
  const wire = error instanceof StratumError ? error.toWire() : error;
  return encodeMessage({ type: 'response', id, result: null, error: wire });
}

export function response(id: RpcId, result: JsonValue, error: JsonValue = null): Response {
  return { type: 'response', id, result, error };
}

/** Builds a typed request; `id` defaults to null, as pools send notifications. */
export function request<M extends KnownRequest['method']>(
  method: M,
  params: Extract<KnownRequest, { method: M }>['params'],
  id: RpcId = null,
): Extract<KnownRequest, { method: M }> {
  return { type: 'request', id, method, params } as Extract<KnownRequest, { method: M }>;
}
