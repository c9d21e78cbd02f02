// The checks domain's public face: uptime checks and heartbeats, their schedule, results,
// outages and uptime; the probe port integrations/checkers implements.
export {
  certEvent,
  checkDedupKey,
  checkKinds,
  checkStates,
  deadlineAfterMiss,
  deadlineAfterPing,
  decideOnResult,
  downEvent,
  nextSlot,
  phaseOffset,
  probeKinds,
  targetOf,
  upEvent,
  type Check,
  type CheckKind,
  type CheckResult,
  type CheckState,
  type ProbeKind,
  type ResultDecision,
  type Streak,
} from './check.js';
export { CheckRecorder, type CheckIngest, type Observation } from './check-recorder.js';
export { CheckRollupsService } from './check-rollups.service.js';
export { CheckRunner, type DispatchReport, type RunStarted } from './check-runner.js';
export {
  checkQuerySchema,
  configSchemas,
  createCheckSchema,
  dnsConfigSchema,
  dnsRecordTypes,
  httpConfigSchema,
  pingConfigSchema,
  rangeQuerySchema,
  resultsQuerySchema,
  tcpConfigSchema,
  tlsConfigSchema,
  updateCheckSchema,
  type CheckQuery,
  type CreateCheckInput,
  type DnsCheckConfig,
  type HttpCheckConfig,
  type PingCheckConfig,
  type RangeQuery,
  type ResultsQuery,
  type TcpCheckConfig,
  type TlsCheckConfig,
  type UpdateCheckInput,
} from './checks.schema.js';
export {
  ChecksService,
  firstRunAt,
  type CheckListItem,
  type CheckRetention,
  type CreatedCheck,
  type Downtime,
  type ProbeOutcome,
} from './checks.service.js';
export { nextCronTime, parseCron, type CronSchedule } from './cron.js';
export type { LatencyPoint, Resolution } from './latency.js';
export type { CheckProber, ProbeKindInfo, ProbeResult, ProbeSpec } from './prober.js';
export { uptimeOver, uptimeWindows, type CheckPeriod, type UptimeFigures } from './uptime.js';
