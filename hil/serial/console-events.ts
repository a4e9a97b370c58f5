import type { JsonPayload } from './json-payload.js';

export type EspLogLevel = 'E' | 'W' | 'I' | 'D' | 'V';

/** The header of an ESP-IDF log line: `I (1234) tag: message` (or `I (12:34:56.789) tag: ...`). */
export interface EspLogHeader {
  readonly level: EspLogLevel;
  /** The timestamp as printed. */
  readonly time: string;
  /** Milliseconds since boot, when the timestamp is the default tick count. */
  readonly ms?: number;
  readonly tag: string;
}

export type Firmware = 'nerdminer' | 'bitaxe';
export type BootStage = 'rom' | 'bootloader' | 'app';
export type PoolSettingKey = 'pool' | 'port' | 'password' | 'wallet' | 'timezone';

interface EventBase {
  /** The console line, ANSI colours removed. */
  readonly line: string;
  /** Present when the line was an ESP-IDF log line (Bitaxe). */
  readonly esp?: EspLogHeader;
}

type Ev<K extends string, F = object> = EventBase & { readonly kind: K } & Readonly<F>;

export type BootEvent = Ev<'boot', { stage: BootStage; firmware?: Firmware; resetReason?: string }>;
export type ConfigLoadedEvent = Ev<'config-loaded', { source: 'spiffs' }>;
export type WifiConnectedEvent = Ev<'wifi-connected', { ssid?: string; ip?: string }>;
export type WifiStatusEvent = Ev<'wifi-status', { status: number }>;
export type IpAddressEvent = Ev<'ip-address', { ip: string }>;
export type PoolSettingEvent = Ev<'pool-setting', { key: PoolSettingKey; value: string }>;
export type TasksInitiatingEvent = Ev<'tasks-initiating'>;
export type TaskStartedEvent = Ev<
  'task-started',
  { task: 'monitor' | 'stratum' | 'miner'; core?: number; minerId?: number; engine?: 'sw' | 'hw' }
>;
export type PoolConnectingEvent = Ev<'pool-connecting', { host?: string; port?: number; ip?: string }>;
export type PoolResolvedEvent = Ev<'pool-resolved', { ip: string; first: boolean }>;
export type PoolConnectFailedEvent = Ev<'pool-connect-failed', { pool?: string }>;
export type PoolDisconnectedEvent = Ev<'pool-disconnected', { reason: string }>;
export type PoolStallEvent = Ev<'pool-stall'>;
export type SubscribeSentEvent = Ev<'subscribe-sent'>;
export type AuthorizeSentEvent = Ev<'authorize-sent'>;
export type KeepaliveEvent = Ev<'keepalive'>;
export type StratumTxEvent = Ev<'stratum-tx', { payload: JsonPayload }>;
export type StratumRxEvent = Ev<'stratum-rx', { payload: JsonPayload }>;
export type SubscribeDetailsEvent = Ev<'subscribe-details', { details: string }>;
export type ExtranonceEvent = Ev<'extranonce', { extranonce1?: string; extranonce2Size?: number }>;
export type SubscribeAbortedEvent = Ev<'subscribe-aborted'>;
export type VersionMaskEvent = Ev<'version-mask', { mask: string }>;
export type ParsingMethodEvent = Ev<'parsing-method', { method: 'mining.notify' | 'mining.set_difficulty' }>;
export type TargetEvent = Ev<'target', { target: string }>;
/** Arduino prints doubles above 4294967040 as "ovf": that is reported as Infinity. */
export type DifficultyEvent = Ev<'difficulty', { difficulty: number }>;
export type ShareDiffEvent = Ev<'share-diff', { difficulty: number }>;
export type SharePoolDiffEvent = Ev<'share-pool-diff', { difficulty: number }>;
export type ShareHashEvent = Ev<'share-hash', { hash: string }>;
export type AsicNonceEvent = Ev<
  'asic-nonce',
  { jobId: string; asic: number; version: string; nonce: string; difficulty: number; poolDifficulty: number }
>;
export type StratumErrorEvent = Ev<'stratum-error', { code: number; reason: string }>;
export type ShareRefusedEvent = Ev<'share-refused', { id: number }>;
export type ShareResultEvent = Ev<'share-result', { accepted: boolean; reason?: string }>;
export type SetupResultEvent = Ev<'setup-result', { accepted: boolean; reason?: string }>;
export type BlockFoundEvent = Ev<'block-found', { difficulty?: number; networkDifficulty?: number }>;
export type HashrateEvent = Ev<'hashrate', { shares: number; khashes: number; khps: number }>;
export type MinerStatusEvent = Ev<
  'miner-status',
  { newJob: boolean; inRun: boolean; connected: boolean; subscribed: boolean; wifiConnected: boolean }
>;
export type IgnoredMessageEvent = Ev<'ignored-message'>;
export type ParseErrorEvent = Ev<'parse-error', { detail: string }>;
export type WifiManagerEvent = Ev<'wifi-manager', { level?: number; message: string }>;
/** A well-formed ESP-IDF log line with no more specific meaning (its header is in `esp`). */
export type EspLogEvent = Ev<'esp-log', { message: string }>;
export type BlankEvent = Ev<'blank'>;
export type UnknownEvent = Ev<'unknown'>;

export type ConsoleEvent =
  | BootEvent
  | ConfigLoadedEvent
  | WifiConnectedEvent
  | WifiStatusEvent
  | IpAddressEvent
  | PoolSettingEvent
  | TasksInitiatingEvent
  | TaskStartedEvent
  | PoolConnectingEvent
  | PoolResolvedEvent
  | PoolConnectFailedEvent
  | PoolDisconnectedEvent
  | PoolStallEvent
  | SubscribeSentEvent
  | AuthorizeSentEvent
  | KeepaliveEvent
  | StratumTxEvent
  | StratumRxEvent
  | SubscribeDetailsEvent
  | ExtranonceEvent
  | SubscribeAbortedEvent
  | VersionMaskEvent
  | ParsingMethodEvent
  | TargetEvent
  | DifficultyEvent
  | ShareDiffEvent
  | SharePoolDiffEvent
  | ShareHashEvent
  | AsicNonceEvent
  | StratumErrorEvent
  | ShareRefusedEvent
  | ShareResultEvent
  | SetupResultEvent
  | BlockFoundEvent
  | HashrateEvent
  | MinerStatusEvent
  | IgnoredMessageEvent
  | ParseErrorEvent
  | WifiManagerEvent
  | EspLogEvent
  | BlankEvent
  | UnknownEvent;

export type ConsoleEventKind = ConsoleEvent['kind'];
export type ConsoleEventOf<K extends ConsoleEventKind> = Extract<ConsoleEvent, { kind: K }>;
