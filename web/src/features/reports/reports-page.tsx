import {
  Alert,
  Anchor,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { reportCsvHref, useReport } from '../../api/reports';
import { useTeams } from '../../api/teams';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { formatDuration } from '../../ui/format';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { TableHead } from '../../ui/table-head';
import { BarChart, LineChart } from './charts';

const DAY = 86_400_000;

interface Stats {
  incidents: number;
  resolved: number;
  mttaMs: number | null;
  mttrMs: number | null;
}
interface ResponseTimesData {
  buckets: number[];
  groups: Array<Stats & { key: string; name: string; series: Array<Stats & { bucket: number }> }>;
  overall: Stats;
}
interface IncidentsData {
  total: number;
  bySeverity: Array<{ severity: string; count: number }>;
  byService: Array<{ service: string; total: number }>;
}
interface AvailabilityData {
  services: Array<{
    serviceId: string;
    service: string;
    /** Null: the service did not exist in the window. */
    availabilityPct: number | null;
    downtimeMinutes: number;
    yearlyDowntimeMinutes: number | null;
    outages: number;
  }>;
}
interface NoiseData {
  totals: {
    alerts: number;
    becameIncidents: number;
    incidentShare: number | null;
    lowPriority: number;
  };
  topAlerts: Array<{
    service: string;
    alert: string;
    alerts: number;
    events: number;
    incidents: number;
  }>;
  flapping: Array<{ service: string; alert: string; dedupKey: string; opened: number }>;
  lowPriority: {
    total: number;
    perDay: number;
    trend: string;
    series: Array<{ bucket: number; count: number }>;
  };
}
interface LoadData {
  people: Array<{
    userId: string;
    name: string;
    pages: number;
    offHours: number;
    sleepHours: number;
    medianAckMs: number | null;
  }>;
}
interface OverdueData {
  items: Array<{
    id: string;
    title: string;
    priority: string;
    team: string;
    owner: string | null;
    incident: number;
    daysOverdue: number;
  }>;
}

const duration = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));

function Card({ title, csv, children }: { title: string; csv: string; children: ReactNode }) {
  const id = `report-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h3" id={id}>
          {title}
        </Title>
        <Anchor href={csv} size="sm" download>
          CSV
        </Anchor>
      </Group>
      {children}
    </Paper>
  );
}

/** A report's rows: a cell per column, the columns' headings first when given. */
function ReportTable<T>({
  columns,
  rows,
  rowKey,
  cells,
}: {
  columns?: string[];
  rows: T[];
  rowKey: (row: T) => string;
  cells: (row: T) => ReactNode[];
}) {
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table>
        {columns ? <TableHead columns={columns} /> : null}
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)}>
              {cells(row).map((cell, i) => (
                <Table.Td key={i}>{cell}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The report once loaded, with a warning when the server cut it short (`truncated`). */
function Loaded<T>({
  q,
  children,
}: {
  q: { isPending: boolean; error: unknown; data?: { data: T; truncated?: boolean } | undefined };
  children: (d: T) => ReactNode;
}) {
  if (q.isPending) return <LoadingBlock label="Loading report" />;
  if (q.error || !q.data) return <ApiErrorAlert error={q.error} />;
  return (
    <>
      {q.data.truncated ? (
        <Alert color="yellow" mb="sm" role="status" title="Partial report">
          This period holds more rows than a report reads: the figures cover its start only. Choose
          a shorter period or one team.
        </Alert>
      ) : null}
      {children(q.data.data)}
    </>
  );
}

/** MTTA / MTTR, incidents, availability, alert noise, on-call load and overdue action items. */
export function ReportsPage() {
  const [days, setDays] = useState('30');
  const [teamId, setTeamId] = useState('');
  const [groupBy, setGroupBy] = useState('service');
  const teams = useTeams();
  // The window ends at the start of the next hour, so the query key stays stable while open.
  const [to] = useState(() => Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  const base = { from: to - Number(days) * DAY, to, teamId: teamId || undefined };
  const bucket = Number(days) > 31 ? 'week' : 'day';
  const timesQ = { ...base, groupBy, bucket };
  const times = useReport<ResponseTimesData>('response-times', timesQ);
  const incidents = useReport<IncidentsData>('incidents', base);
  const avail = useReport<AvailabilityData>('availability', base);
  const noiseQ = { ...base, bucket };
  const noise = useReport<NoiseData>('noise', noiseQ);
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const loadQ = { ...base, timeZone: tz };
  const load = useReport<LoadData>('oncall-load', loadQ);
  const overdue = useReport<OverdueData>('action-items', base);
  return (
    <>
      <PageHeader
        title="Reports"
        description="How incidents, alerts and on-call went: trends to act on."
      />
      <Group mb="md" align="flex-end">
        <NativeSelect
          label="Period"
          value={days}
          onChange={(e) => setDays(e.currentTarget.value)}
          data={[
            { value: '7', label: 'Last 7 days' },
            { value: '30', label: 'Last 30 days' },
            { value: '90', label: 'Last 90 days' },
            { value: '365', label: 'Last year' },
          ]}
        />
        <NativeSelect
          label="Team"
          value={teamId}
          onChange={(e) => setTeamId(e.currentTarget.value)}
          data={[
            { value: '', label: 'All my teams' },
            ...(teams.data ?? []).map((t) => ({ value: t.id, label: t.name })),
          ]}
        />
      </Group>
      <Stack gap="md">
        <Card title="Response times" csv={reportCsvHref('response-times', timesQ)}>
          <NativeSelect
            label="Per"
            value={groupBy}
            onChange={(e) => setGroupBy(e.currentTarget.value)}
            data={[
              { value: 'service', label: 'Service' },
              { value: 'team', label: 'Team' },
              { value: 'severity', label: 'Severity' },
            ]}
            w={160}
            mb="sm"
          />
          <Loaded q={times}>
            {(d) => (
              <Stack gap="sm">
                <Text size="sm">
                  {d.overall.incidents} {d.overall.incidents === 1 ? 'incident' : 'incidents'} ·
                  MTTA {duration(d.overall.mttaMs)} · MTTR {duration(d.overall.mttrMs)}
                </Text>
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  <BarChart
                    label="MTTR per group"
                    items={d.groups.map((g) => ({ name: g.name, value: g.mttrMs }))}
                    format={(v) => formatDuration(v)}
                  />
                  <BarChart
                    label="MTTA per group"
                    items={d.groups.map((g) => ({ name: g.name, value: g.mttaMs }))}
                    format={(v) => formatDuration(v)}
                  />
                </SimpleGrid>
                {d.groups.length ? (
                  <LineChart
                    label="MTTR over time, minutes"
                    buckets={d.buckets}
                    series={d.groups.slice(0, 6).map((g) => ({
                      name: g.name,
                      values: g.series.map((s) => (s.mttrMs === null ? null : s.mttrMs / 60_000)),
                    }))}
                  />
                ) : null}
                <ReportTable
                  columns={[groupBy, 'Incidents', 'MTTA', 'MTTR']}
                  rows={d.groups}
                  rowKey={(g) => g.key}
                  cells={(g) => [g.name, g.incidents, duration(g.mttaMs), duration(g.mttrMs)]}
                />
              </Stack>
            )}
          </Loaded>
        </Card>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card title="Incidents" csv={reportCsvHref('incidents', base)}>
            <Loaded q={incidents}>
              {(d) => (
                <Stack gap="xs">
                  <Text size="sm">
                    {d.total} {d.total === 1 ? 'incident' : 'incidents'}
                  </Text>
                  <BarChart
                    label="Incidents by severity"
                    items={d.bySeverity.map((s) => ({ name: s.severity, value: s.count }))}
                  />
                  <BarChart
                    label="Incidents by service"
                    items={d.byService
                      .slice(0, 10)
                      .map((s) => ({ name: s.service, value: s.total }))}
                  />
                </Stack>
              )}
            </Loaded>
          </Card>
          <Card title="Availability" csv={reportCsvHref('availability', base)}>
            <Loaded q={avail}>
              {(d) => (
                <ReportTable
                  columns={['Service', 'Availability', 'Downtime', 'Per year at this level']}
                  rows={d.services}
                  rowKey={(s) => s.serviceId}
                  cells={(s) => [
                    s.service,
                    s.availabilityPct === null ? 'no data' : `${s.availabilityPct.toFixed(3)} %`,
                    `${s.downtimeMinutes} min`,
                    s.yearlyDowntimeMinutes === null ? '—' : `${s.yearlyDowntimeMinutes} min`,
                  ]}
                />
              )}
            </Loaded>
          </Card>
        </SimpleGrid>
        <Card title="Alert noise" csv={reportCsvHref('noise', noiseQ)}>
          <Loaded q={noise}>
            {(d) => (
              <Stack gap="sm">
                <Text size="sm">
                  {d.totals.alerts} alerts · {d.totals.becameIncidents} became incidents (
                  {d.totals.incidentShare === null
                    ? '—'
                    : `${Math.round(d.totals.incidentShare * 100)} %`}
                  ) · {d.lowPriority.total} low-priority ({d.lowPriority.perDay}/day,{' '}
                  {d.lowPriority.trend})
                </Text>
                <LineChart
                  label="Low-priority alerts over time"
                  buckets={d.lowPriority.series.map((s) => s.bucket)}
                  series={[
                    {
                      name: 'Low-priority alerts',
                      values: d.lowPriority.series.map((s) => s.count),
                    },
                  ]}
                />
                <BarChart
                  label="Top alerts"
                  items={d.topAlerts.slice(0, 10).map((a) => ({ name: a.alert, value: a.alerts }))}
                />
                {d.flapping.length ? (
                  <Text size="sm">
                    Flapping:{' '}
                    {d.flapping.map((f) => `${f.alert} (${f.service}, ×${f.opened})`).join(', ')}
                  </Text>
                ) : null}
              </Stack>
            )}
          </Loaded>
        </Card>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card title="On-call load" csv={reportCsvHref('oncall-load', loadQ)}>
            <Loaded q={load}>
              {(d) => (
                <ReportTable
                  columns={['Person', 'Pages', 'Off hours', 'Sleep hours', 'Time to ack']}
                  rows={d.people}
                  rowKey={(p) => p.userId}
                  cells={(p) => [
                    p.name,
                    p.pages,
                    p.offHours,
                    p.sleepHours,
                    duration(p.medianAckMs),
                  ]}
                />
              )}
            </Loaded>
          </Card>
          <Card title="Overdue action items" csv={reportCsvHref('action-items', base)}>
            <Loaded q={overdue}>
              {(d) =>
                d.items.length ? (
                  <ReportTable
                    rows={d.items}
                    rowKey={(i) => i.id}
                    cells={(i) => [i.title, i.owner ?? '—', i.priority, `${i.daysOverdue} d`]}
                  />
                ) : (
                  <Text c="dimmed" size="sm">
                    Nothing overdue.
                  </Text>
                )
              }
            </Loaded>
          </Card>
        </SimpleGrid>
      </Stack>
    </>
  );
}
