import {
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  useCheck,
  useCheckDowntimes,
  useCheckLatency,
  useCheckResults,
  useCheckUptime,
  useDeleteCheck,
  useRotateHeartbeatToken,
  useTestCheck,
  useUpdateCheck,
} from '../../api/checks';
import type { Check, CheckResult, HeartbeatSecret } from '../../api/checks';
import { useServices } from '../../api/services';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { ConfirmButton } from '../../ui/confirm-button';
import { DateTime } from '../../ui/date-time';
import { FieldTable } from '../../ui/field-table';
import { formatDuration } from '../../ui/format';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { RelativeTime } from '../../ui/relative-time';
import { TableHead } from '../../ui/table-head';
import { useNow } from '../../ui/use-now';
import { ChoiceRadios } from '../alerts/choice-radios';
import { SeverityBadge } from '../alerts/signal-badges';
import { useTeamAccess } from '../auth/team-access';
import { dailyUptime, LatencyChart, UptimeBars } from './charts';
import {
  CheckStatusBadge,
  formatLatency,
  formatSeconds,
  formatUptime,
  KIND_LABELS,
  statusOf,
  targetOf,
  uptimeColor,
} from './check-labels';
import { CheckFormModal } from './check-form';
import { HeartbeatUrlModal } from './heartbeat-url-modal';
import { TestResult } from './test-result';

function Section({
  id,
  title,
  description,
  actions,
  children,
}: {
  id: string;
  title: string;
  description?: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Group justify="space-between" align="flex-start" mb={description ? 4 : 'sm'}>
        <Title order={2} size="h3" id={id}>
          {title}
        </Title>
        {actions}
      </Group>
      {description ? (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      ) : null}
      {children}
    </Paper>
  );
}

const WINDOW_LABELS: Record<string, string> = {
  '24h': '24 hours',
  '7d': '7 days',
  '30d': '30 days',
  '90d': '90 days',
  '365d': '365 days',
};

function UptimeSection({ check }: { check: Check }) {
  const uptime = useCheckUptime(check.id);
  const downtimes = useCheckDowntimes(check.id);
  const now = useNow(60_000);
  // Before its first result the server counts a check as up; nothing is shown until then.
  const measured = check.lastResult !== null || (check.heartbeat?.lastPingAt ?? null) !== null;
  return (
    <Section
      id="check-uptime-heading"
      title="Uptime"
      description="Time the check was watched and not confirmed down; paused time does not count."
    >
      <ApiErrorAlert error={uptime.error} title="Could not load uptime" />
      {uptime.data ? (
        <SimpleGrid cols={{ base: 2, sm: 5 }} mb="md" role="list" aria-label="Uptime by period">
          {uptime.data.windows.map((w) => {
            const percent = measured ? w.uptimePercent : null;
            return (
              <Paper
                key={w.window}
                withBorder
                p="xs"
                radius="md"
                role="listitem"
                aria-label={`Uptime over ${WINDOW_LABELS[w.window] ?? w.window}: ${formatUptime(percent)}`}
              >
                <Text size="xs" c="dimmed">
                  {WINDOW_LABELS[w.window] ?? w.window}
                </Text>
                <Text fw={700} size="lg" c={uptimeColor(percent)}>
                  {formatUptime(percent)}
                </Text>
                <Text size="xs" c="dimmed">
                  {!measured
                    ? 'no results yet'
                    : w.downtimes === 0
                      ? 'no downtime'
                      : `${w.downtimes} downtime${w.downtimes === 1 ? '' : 's'}, ${formatDuration(w.downMs)}`}
                </Text>
              </Paper>
            );
          })}
        </SimpleGrid>
      ) : null}
      {downtimes.data ? (
        <>
          <Text size="sm" fw={500} mb={4}>
            Last 90 days
          </Text>
          <UptimeBars
            days={dailyUptime(downtimes.data, measured ? check.createdAt : Infinity, now)}
          />
          <Group justify="space-between" mt={2}>
            <Text size="xs" c="dimmed">
              90 days ago
            </Text>
            <Text size="xs" c="dimmed">
              Today
            </Text>
          </Group>
        </>
      ) : null}
    </Section>
  );
}

function DowntimesSection({ checkId }: { checkId: string }) {
  const downtimes = useCheckDowntimes(checkId);
  return (
    <Section
      id="check-downtimes-heading"
      title="Downtime"
      description="Confirmed outages over the last 90 days, from the first failure to the first success."
    >
      <ApiErrorAlert error={downtimes.error} title="Could not load downtime" />
      {downtimes.isPending ? <LoadingBlock label="Loading downtime" /> : null}
      {downtimes.data && downtimes.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No downtime in the last 90 days.
        </Text>
      ) : null}
      {downtimes.data && downtimes.data.length > 0 ? (
        <Table.ScrollContainer minWidth={600}>
          <Table aria-label="Downtime periods" verticalSpacing={6}>
            <TableHead columns={['Started', 'Ended', 'Duration', 'Cause']} />
            <Table.Tbody>
              {downtimes.data.map((d) => (
                <Table.Tr key={d.startedAt}>
                  <Table.Td>
                    <DateTime value={d.startedAt} />
                  </Table.Td>
                  <Table.Td>
                    {d.ongoing ? (
                      <Text span size="sm" c="red" fw={600}>
                        Ongoing
                      </Text>
                    ) : (
                      <DateTime value={d.endedAt} />
                    )}
                  </Table.Td>
                  <Table.Td>{formatDuration(d.durationMs)}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-word' }}>{d.cause ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Section>
  );
}

const RANGES = [
  { value: '3600000', label: '1 h', text: 'the last hour' },
  { value: '21600000', label: '6 h', text: 'the last 6 hours' },
  { value: '86400000', label: '24 h', text: 'the last 24 hours' },
  { value: '604800000', label: '7 d', text: 'the last 7 days' },
  { value: '2592000000', label: '30 d', text: 'the last 30 days' },
];

function LatencySection({ checkId }: { checkId: string }) {
  const [range, setRange] = useState('86400000');
  const rangeMs = Number(range);
  const latency = useCheckLatency(checkId, rangeMs);
  // The range ends when it was fetched (the request asked from `now - range`).
  const to = latency.dataUpdatedAt;
  return (
    <Section
      id="check-latency-heading"
      title="Latency"
      description="Median (p50) and 95th percentile (p95) per interval."
      actions={<ChoiceRadios label="Range" options={RANGES} value={range} onChange={setRange} />}
    >
      <ApiErrorAlert error={latency.error} title="Could not load latency" />
      {latency.isPending ? <LoadingBlock label="Loading latency" /> : null}
      {latency.data ? (
        <LatencyChart
          items={latency.data.items}
          from={to - rangeMs}
          to={to}
          stepMs={latency.data.stepMs}
          rangeLabel={RANGES.find((r) => r.value === range)?.text ?? 'the range'}
        />
      ) : null}
    </Section>
  );
}

function detailsText(r: CheckResult): string {
  const d = r.details ?? {};
  const parts: string[] = [];
  if (typeof d.status === 'number') parts.push(`HTTP ${d.status}`);
  if (Array.isArray(d.answers)) parts.push((d.answers as unknown[]).map(String).join(', '));
  if (typeof d.message === 'string') parts.push(d.message);
  return parts.join(' · ');
}

function ResultsSection({ check }: { check: Check }) {
  const [failedOnly, setFailedOnly] = useState(false);
  const results = useCheckResults(check.id, { limit: 50, failed: failedOnly });
  const items = results.data?.items ?? [];
  return (
    <Section
      id="check-results-heading"
      title="Recent results"
      description={
        check.kind === 'heartbeat'
          ? 'Pings and missed deadlines, newest first.'
          : 'The last 50 runs, newest first.'
      }
      actions={
        <Switch
          label="Failures only"
          checked={failedOnly}
          onChange={(e) => setFailedOnly(e.currentTarget.checked)}
        />
      }
    >
      <ApiErrorAlert error={results.error} title="Could not load results" />
      {results.isPending ? <LoadingBlock label="Loading results" /> : null}
      {results.data && items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {failedOnly ? 'No failures.' : 'No results yet.'}
        </Text>
      ) : null}
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={600}>
          <Table aria-label="Recent results" verticalSpacing={4} striped>
            <TableHead columns={['Time', 'Result', 'Latency', 'Details']} />
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={`${r.at}-${r.ok ? 1 : 0}`}>
                  <Table.Td>
                    <DateTime value={r.at} />
                  </Table.Td>
                  <Table.Td>
                    <Text span size="sm" fw={600} c={r.ok ? 'green' : 'red'}>
                      {r.ok ? 'OK' : 'Failed'}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatLatency(r.latencyMs)}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-word' }}>
                    <Text size="sm">{r.error ?? detailsText(r) ?? ''}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Section>
  );
}

function Settings({ check }: { check: Check }) {
  const services = useServices();
  const service = services.data?.find((s) => s.id === check.serviceId);
  const heartbeat = check.kind === 'heartbeat';
  return (
    <FieldTable
      label="Check settings"
      rows={[
        { label: 'Type', value: KIND_LABELS[check.kind] },
        {
          label: 'Target',
          value: heartbeat ? (
            `Token starting ${check.heartbeat?.tokenPrefix ?? '?'}…`
          ) : (
            <Text size="sm" ff="monospace" span>
              {targetOf(check)}
            </Text>
          ),
        },
        {
          label: 'Service',
          value: (
            <Anchor component={Link} to={`/services/${check.serviceId}`} size="sm">
              {service?.name ?? 'Service'}
            </Anchor>
          ),
        },
        {
          label: 'Schedule',
          value: heartbeat
            ? `${check.cron ? `cron ${check.cron} (${check.timeZone})` : `every ${formatSeconds(check.intervalSeconds)}`}, grace ${formatSeconds(check.graceSeconds)}`
            : `every ${formatSeconds(check.intervalSeconds)}, timeout ${formatSeconds(check.timeoutSeconds)}`,
        },
        {
          label: 'Alerts',
          value: (
            <Group gap="xs">
              <SeverityBadge severity={check.severity} />
              <Text size="sm" span>
                after {check.failuresToAlert} failure{check.failuresToAlert === 1 ? '' : 's'} in a
                row; resolved after {check.successesToResolve} success
                {check.successesToResolve === 1 ? '' : 'es'}
              </Text>
            </Group>
          ),
        },
        ...(heartbeat
          ? [
              {
                label: 'Last ping',
                value: <RelativeTime value={check.heartbeat?.lastPingAt} empty="Never" />,
              },
            ]
          : [
              {
                label: 'Last checked',
                value: <RelativeTime value={check.lastResult?.at} empty="Never" />,
              },
            ]),
        {
          label: heartbeat ? 'Next ping due by' : 'Next run',
          value: (
            <DateTime
              value={check.nextRunAt}
              empty={check.enabled ? 'After the first ping' : 'Paused'}
            />
          ),
        },
        ...(check.allowPrivate ? [{ label: 'Private addresses', value: 'Allowed' }] : []),
      ]}
    />
  );
}

function CheckView({ check }: { check: Check }) {
  const { canRespond } = useTeamAccess(check.teamId);
  const navigate = useNavigate();
  const update = useUpdateCheck(check.id);
  const remove = useDeleteCheck(check.id);
  const test = useTestCheck(check.id);
  const rotate = useRotateHeartbeatToken(check.id);
  const [editOpened, { open: openEdit, close: closeEdit }] = useDisclosure(false);
  const [secret, setSecret] = useState<HeartbeatSecret | null>(null);
  const status = statusOf(check);
  const probe = check.kind !== 'heartbeat';

  return (
    <Stack gap="lg" mt="sm">
      <PageHeader
        title={check.name}
        actions={
          canRespond ? (
            <>
              {probe ? (
                <Button variant="default" loading={test.isPending} onClick={() => test.mutate()}>
                  Test now
                </Button>
              ) : (
                <ConfirmButton
                  variant="default"
                  title="New heartbeat URL"
                  message="The current URL stops working at once: the job must be given the new one."
                  confirmLabel="Make a new URL"
                  onConfirm={() => rotate.mutate(undefined, { onSuccess: setSecret })}
                >
                  New URL
                </ConfirmButton>
              )}
              <Button
                variant="default"
                loading={update.isPending}
                onClick={() => update.mutate({ enabled: !check.enabled })}
              >
                {check.enabled ? 'Pause' : 'Resume'}
              </Button>
              <Button onClick={openEdit}>Edit</Button>
              <ConfirmButton
                color="red"
                variant="light"
                title="Delete check"
                message={`Delete “${check.name}” with all its results? An open alert from it is resolved.`}
                confirmLabel="Delete check"
                loading={remove.isPending}
                onConfirm={() =>
                  remove.mutate(undefined, { onSuccess: () => void navigate('/checks') })
                }
              >
                Delete
              </ConfirmButton>
            </>
          ) : undefined
        }
      />
      <Group gap="xs" mt={-16} data-testid="check-status-line">
        <CheckStatusBadge check={check} />
        <Text span size="sm" c="dimmed">
          {KIND_LABELS[check.kind]} · {targetOf(check)}
          {check.stateChangedAt && status !== 'paused' && status !== 'pending' ? (
            <>
              {' '}
              · {status} since <RelativeTime value={check.stateChangedAt} />
            </>
          ) : null}
        </Text>
      </Group>
      <ApiErrorAlert
        error={update.error ?? remove.error ?? test.error ?? rotate.error}
        title="That did not work"
      />
      {test.data ? <TestResult outcome={test.data} onClose={() => test.reset()} /> : null}
      {check.state === 'down' && check.enabled && check.lastResult && !check.lastResult.ok ? (
        <Alert color="red" variant="light" title="Down" role="status">
          {check.lastResult.error ?? 'The last run failed.'}
        </Alert>
      ) : null}
      {check.certWarning ? (
        <Alert color="yellow" variant="light" title="Certificate">
          {check.certWarning}
        </Alert>
      ) : null}
      <UptimeSection check={check} />
      {probe ? <LatencySection checkId={check.id} /> : null}
      <DowntimesSection checkId={check.id} />
      <ResultsSection check={check} />
      <Section id="check-settings-heading" title="Settings">
        <Settings check={check} />
      </Section>
      {canRespond ? (
        <CheckFormModal check={check} opened={editOpened} onClose={closeEdit} onSaved={closeEdit} />
      ) : null}
      <HeartbeatUrlModal secret={secret} checkName={check.name} onClose={() => setSecret(null)} />
    </Stack>
  );
}

export function CheckPage() {
  const { checkId = '' } = useParams();
  const check = useCheck(checkId);
  return (
    <>
      <Anchor component={Link} to="/checks" size="sm">
        ← All checks
      </Anchor>
      {check.isPending ? <LoadingBlock label="Loading check" /> : null}
      {check.error && !check.data ? (
        <Stack mt="md">
          <PageHeader title="Check" />
          <ApiErrorAlert error={check.error} title="Could not load the check" />
        </Stack>
      ) : null}
      {check.data ? <CheckView check={check.data} /> : null}
    </>
  );
}
