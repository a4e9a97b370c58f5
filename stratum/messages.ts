/**
 * Every Stratum V1 message Karoo meets, as one discriminated union. Parsed messages hold
 * normalised values (hex lowercase and padded), so comparisons downstream are byte-exact.
 * IDs are kept as whatever JSON value the peer sent: NerdMiner uses numbers, stratum-client strings.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type RpcId = JsonValue;

interface Req<M extends string, P> {
  type: 'request';
  id: RpcId;
  method: M;
  params: P;
}

/** A mining.notify job, hex normalised to lowercase. */
export interface JobParams {
  jobId: string;
  /** Previous block hash in Stratum's word-swapped order, 64 hex. */
  prevhash: string;
  coinb1: string;
  coinb2: string;
  /** Branch hashes, internal byte order, 64 hex each. */
  merkleBranches: string[];
  /** Big-endian hex, 8 characters each. */
  version: string;
  nbits: string;
  ntime: string;
  cleanJobs: boolean;
}

export interface SubmitParams {
  worker: string;
  jobId: string;
  /** Lowercase hex of whole bytes; its length is judged against the session's extranonce2 size. */
  extranonce2: string;
  /** 8 lowercase hex characters (left-padded if the miner dropped leading zeros). */
  ntime: string;
  nonce: string;
  /** BIP310 version bits, 8 lowercase hex characters, when the miner sent six params. */
  versionBits?: string;
}

// Client to server
export type SubscribeRequest = Req<'mining.subscribe', { userAgent?: string; sessionId?: string }>;
export type AuthorizeRequest = Req<'mining.authorize', { user: string; password?: string }>;
export type SubmitRequest = Req<'mining.submit', SubmitParams>;
export type ConfigureRequest = Req<
  'mining.configure',
  { extensions: string[]; options: { [key: string]: JsonValue } }
>;
export type SuggestDifficultyRequest = Req<'mining.suggest_difficulty', { difficulty: number }>;
export type ExtranonceSubscribeRequest = Req<'mining.extranonce.subscribe', Record<string, never>>;
/**
 * ESP-Miner answers mining.ping with a request-shaped `{"method":"pong"}`; both spellings are kept.
 * One Req per spelling, so `RequestOf<'pong'>` and `request('pong', {})` resolve to a real type.
 */
export type PongRequest = Req<'mining.pong', Record<string, never>> | Req<'pong', Record<string, never>>;

// Either direction
export type PingRequest = Req<'mining.ping', Record<string, never>>;

// Server to client
export type NotifyRequest = Req<'mining.notify', JobParams>;
export type SetDifficultyRequest = Req<'mining.set_difficulty', { difficulty: number }>;
export type SetExtranonceRequest = Req<
  'mining.set_extranonce',
  { extranonce1: string; extranonce2Size: number }
>;
export type SetVersionMaskRequest = Req<'mining.set_version_mask', { mask: string }>;
export type ReconnectRequest = Req<
  'client.reconnect',
  { host?: string; port?: number; waitSeconds?: number }
>;
export type ShowMessageRequest = Req<'client.show_message', { message: string }>;
export type GetVersionRequest = Req<'client.get_version', Record<string, never>>;

export type ClientRequest =
  | SubscribeRequest
  | AuthorizeRequest
  | SubmitRequest
  | ConfigureRequest
  | SuggestDifficultyRequest
  | ExtranonceSubscribeRequest
  | PingRequest
  | PongRequest;

export type ServerRequest =
  | NotifyRequest
  | SetDifficultyRequest
  | SetExtranonceRequest
  | SetVersionMaskRequest
  | ReconnectRequest
  | ShowMessageRequest
  | GetVersionRequest
  | PingRequest;

export type KnownRequest = ClientRequest | ServerRequest;
export type Method = KnownRequest['method'];

/** A method Karoo does not know; kept whole so a proxy can pass it on or answer "method not found". */
export interface UnknownRequest {
  type: 'unknown';
  id: RpcId;
  method: string;
  params: JsonValue;
}

export interface Response {
  type: 'response';
  id: RpcId;
  result: JsonValue;
  /** `null` on success; usually `[code, message, traceback]`, kept as the peer sent it. */
  error: JsonValue;
}

export type StratumMessage = KnownRequest | UnknownRequest | Response;

export type RequestOf<M extends Method> = Extract<KnownRequest, { method: M }>;

export const CLIENT_METHODS = [
  'mining.subscribe',
  'mining.authorize',
  'mining.submit',
  'mining.configure',
  'mining.suggest_difficulty',
  'mining.extranonce.subscribe',
  'mining.ping',
  'mining.pong',
  'pong',
] as const satisfies readonly ClientRequest['method'][];

export const SERVER_METHODS = [
  'mining.notify',
  'mining.set_difficulty',
  'mining.set_extranonce',
  'mining.set_version_mask',
  'client.reconnect',
  'client.show_message',
  'client.get_version',
  'mining.ping',
] as const satisfies readonly ServerRequest['method'][];
