/**
 * The protocol regression suite: record sessions, replay them against any pool or proxy, and run
 * the conformance catalogue. See README.md.
 */
export * from '../recording/format.js';
export { redactPassword, restorePassword } from '../recording/redact.js';
export {
  SessionRecorder,
  DEFAULT_MAX_RECORDING_BYTES,
  DEFAULT_RECORD_LINE_CAP,
} from '../recording/session-recorder.js';
export type {
  RecordSink,
  SessionRecorderOptions,
  SessionHeaderFields,
} from '../recording/session-recorder.js';
export { RecordingDirectory, DEFAULT_MAX_PENDING_WRITE_BYTES } from '../recording/recording-directory.js';
export type { OpenedSession, RecordingDirectoryOptions } from '../recording/recording-directory.js';
export { startRecorder, DEFAULT_UPSTREAM_CONNECT_TIMEOUT_MS } from './capture/recording-tap.js';
export type {
  RecorderOptions,
  RunningRecorder,
  RecordedSessionInfo,
  RecorderEvents,
} from './capture/recording-tap.js';
export { readRecording, parseRecording, RecordingFormatError } from '../recording/read-recording.js';
export {
  poolTarget,
  poolWorkMarks,
  poolAction,
  PoolControlError,
  POOL_LOOKUP_TIMEOUT_MS,
} from './capture/pool-marks.js';
export { replayRecording, DEFAULT_REPLAY_TIMEOUT_MS } from './replay/replayer.js';
export { recreateTarget, targetSpecOf } from './replay/recreate-target.js';
export type { TargetSpec, RunningTarget } from './replay/recreate-target.js';
export type { ReplayOptions, TargetHooks } from './replay/replayer.js';
export { formatReplayReport, failures } from './replay/replay-report.js';
export type { ReplayReport, ReplayFinding, ReplayRule } from './replay/replay-report.js';
export {
  runConformance,
  DEFAULT_SUGGEST_DIFFICULTY,
  DEFAULT_CONFORMANCE_TIMEOUT_MS,
  DEFAULT_CONFORMANCE_WORKER,
} from './conformance/run-conformance.js';
export type { ConformanceOptions } from './conformance/run-conformance.js';
export type { ConformanceHooks } from './conformance/run-context.js';
export { CHECKS, CHECK_IDS } from './conformance/catalogue.js';
export type { CheckId } from './conformance/catalogue.js';
export { formatConformanceReport, formatReportCard, passed } from './conformance/report.js';
export type { ConformanceReport, CheckResult, CheckStatus, Evidence } from './conformance/report.js';
export { toJUnitXml } from '../runtime/junit-report.js';
export type { JUnitCase, JUnitSuite } from '../runtime/junit-report.js';
export { conformanceSuite, replaySuite } from './report-junit.js';
export { mineShare, DEFAULT_HASH_BUDGET } from './mining/share-miner.js';
export type { MineRequest, MinedShare, ShareGoal } from './mining/share-miner.js';
export { WorkTracker } from './mining/work-tracker.js';
export type { TrackedJob, ShareRequirement } from './mining/work-tracker.js';
export type { HostPort } from '../peers/host-port.js';
export { registerRecordCommand } from './record-command.js';
export { registerReplayCommand } from './replay-command.js';
export { registerConformanceCommand } from './conformance-command.js';
