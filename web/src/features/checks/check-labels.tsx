import { Badge } from '@mantine/core';
import type { Check, CheckKind } from '../../api/checks';

export const KIND_LABELS: Record<CheckKind, string> = {
  http: 'HTTP(S)',
  tcp: 'TCP port',
  dns: 'DNS',
  tls: 'TLS certificate',
  ping: 'Ping',
  heartbeat: 'Heartbeat',
};

export const KIND_DESCRIPTIONS: Record<CheckKind, string> = {
  http: 'Requests a URL and checks the status code, and optionally the body and the latency.',
  tcp: 'Opens a TCP connection to a host and port.',
  dns: 'Resolves a name, optionally to the answers you expect.',
  tls: 'Completes a TLS handshake and checks the certificate and its expiry.',
  ping: 'Sends ICMP echo requests with the system’s ping.',
  heartbeat: 'Waits for a job (cron, backup, batch) to call a URL; missing a call is a failure.',
};

/** What the list and badges show: paused and pending (no result yet) besides up and down. */
export type CheckStatus = 'up' | 'down' | 'paused' | 'pending';

export function statusOf(check: Pick<Check, 'enabled' | 'state'>): CheckStatus {
  if (!check.enabled) return 'paused';
  if (check.state === 'unknown') return 'pending';
  return check.state;
}

export const STATUS_LABELS: Record<CheckStatus, string> = {
  up: 'Up',
  down: 'Down',
  paused: 'Paused',
  pending: 'Pending',
};

const STATUS_COLORS: Record<CheckStatus, string> = {
  up: 'green',
  down: 'red',
  paused: 'gray',
  pending: 'blue',
};

export function CheckStatusBadge({ check }: { check: Pick<Check, 'enabled' | 'state'> }) {
  const status = statusOf(check);
  return (
    <Badge color={STATUS_COLORS[status]} variant={status === 'down' ? 'filled' : 'light'}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}

/** What a check points at: its URL, host:port, name and record type, or "heartbeat". */
export function targetOf(
  check: Pick<Check, 'kind' | 'config' | 'cron' | 'timeZone' | 'intervalSeconds'>,
): string {
  const c = check.config;
  const s = (v: unknown, fallback = '') =>
    typeof v === 'string' || typeof v === 'number' ? String(v) : fallback;
  switch (check.kind) {
    case 'http':
      return s(c.url);
    case 'tcp':
    case 'tls':
      return `${s(c.host)}:${s(c.port)}`;
    case 'dns':
      return `${s(c.name)} ${s(c.recordType, 'A')}`;
    case 'ping':
      return s(c.host);
    case 'heartbeat':
      return check.cron
        ? `ping on cron ${check.cron} (${check.timeZone})`
        : `ping every ${formatSeconds(check.intervalSeconds)}`;
  }
}

/** "99.95 %", with enough digits to tell 99.9 from 100; "—" when nothing was monitored. */
export function formatUptime(percent: number | null | undefined): string {
  if (percent === null || percent === undefined) return '—';
  if (percent >= 100) return '100 %';
  const digits = percent >= 99 ? 3 : 2;
  return `${Number(percent.toFixed(digits)).toString()} %`;
}

export function uptimeColor(percent: number | null | undefined): string | undefined {
  if (percent === null || percent === undefined) return undefined;
  if (percent >= 99.9) return 'green';
  if (percent >= 99) return 'yellow';
  return 'red';
}

/** "12 ms", "1.2 s". */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  return `${ms >= 10 ? Math.round(ms) : ms.toFixed(1)} ms`;
}

/** "30 s", "5 min", "1 h", "1 d" for an interval in seconds. */
export function formatSeconds(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
