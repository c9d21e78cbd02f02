import { Anchor, Badge, Button, Group, NativeSelect, Paper, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import type { MouseEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { CHECK_KINDS, useCheckResults, useChecks } from '../../api/checks';
import type { CheckKind, CheckListItem, CreateCheckResponse } from '../../api/checks';
import { useTeams } from '../../api/teams';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { formatDateTime } from '../../ui/format';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { RelativeTime } from '../../ui/relative-time';
import { TableHead } from '../../ui/table-head';
import { useTeamsWith } from '../auth/team-access';
import { Sparkline } from './charts';
import {
  CheckStatusBadge,
  formatUptime,
  KIND_LABELS,
  STATUS_LABELS,
  statusOf,
  targetOf,
  uptimeColor,
} from './check-labels';
import type { CheckStatus } from './check-labels';
import { CheckFormModal } from './check-form';
import { HeartbeatUrlModal } from './heartbeat-url-modal';

const STATUSES: readonly CheckStatus[] = ['down', 'up', 'pending', 'paused'];

function isStatus(v: string | null): v is CheckStatus {
  return v !== null && (STATUSES as readonly string[]).includes(v);
}
function isKind(v: string | null): v is CheckKind {
  return v !== null && (CHECK_KINDS as readonly string[]).includes(v);
}

function RowSparkline({ checkId }: { checkId: string }) {
  const results = useCheckResults(checkId, { limit: 30, refetchMs: 15_000 });
  if (!results.data) return null;
  return <Sparkline results={results.data.items} />;
}

function lastSeen(check: CheckListItem): number | null {
  if (check.kind === 'heartbeat')
    return check.heartbeat?.lastPingAt ?? check.lastResult?.at ?? null;
  return check.lastResult?.at ?? null;
}

export function ChecksPage() {
  const [params, setParams] = useSearchParams();
  const teamId = params.get('team') ?? '';
  const kindParam = params.get('kind');
  const kind = isKind(kindParam) ? kindParam : undefined;
  const statusParam = params.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const teams = useTeams();
  const { allowed } = useTeamsWith('responder');
  const checks = useChecks({
    teamId: teamId || undefined,
    kind,
    // Paused and pending checks are both `unknown` to the server: those are sorted out here.
    state: status === 'up' || status === 'down' ? status : undefined,
  });
  const rows = (checks.data ?? []).filter((c) => !status || statusOf(c) === status);
  const navigate = useNavigate();
  const [createOpened, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const [heartbeat, setHeartbeat] = useState<CreateCheckResponse | null>(null);

  const onCreated = (created: CreateCheckResponse) => {
    closeCreate();
    if (created.heartbeat) setHeartbeat(created);
    else void navigate(`/checks/${created.check.id}`);
  };

  const onRowClick = (event: MouseEvent<HTMLTableRowElement>, checkId: string) => {
    if ((event.target as HTMLElement).closest('a, button')) return;
    void navigate(`/checks/${checkId}`);
  };

  const down = (checks.data ?? []).filter((c) => statusOf(c) === 'down').length;

  return (
    <>
      <PageHeader
        title="Checks"
        description="Uptime checks Tocsin runs against your endpoints, and heartbeats your jobs send. A confirmed failure opens an alert on the check’s service."
        actions={allowed.length > 0 ? <Button onClick={openCreate}>New check</Button> : undefined}
      />
      <Paper withBorder p="md" radius="md" mb="lg" component="section" aria-label="Filters">
        <Group align="flex-end" gap="md">
          {teams.data && teams.data.length > 1 ? (
            <NativeSelect
              label="Team"
              value={teamId}
              onChange={(e) => setParam('team', e.currentTarget.value)}
              data={[
                { value: '', label: 'All teams' },
                ...teams.data.map((t) => ({ value: t.id, label: t.name })),
              ]}
            />
          ) : null}
          <NativeSelect
            label="Status"
            value={status ?? ''}
            onChange={(e) => setParam('status', e.currentTarget.value)}
            data={[
              { value: '', label: 'Any status' },
              ...STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
            ]}
          />
          <NativeSelect
            label="Type"
            value={kind ?? ''}
            onChange={(e) => setParam('kind', e.currentTarget.value)}
            data={[
              { value: '', label: 'Any type' },
              ...CHECK_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] })),
            ]}
          />
          {down > 0 ? (
            <Badge color="red" variant="light" size="lg" mb={4}>
              {down} down
            </Badge>
          ) : null}
        </Group>
      </Paper>

      {checks.isPending ? <LoadingBlock label="Loading checks" /> : null}
      <ApiErrorAlert
        error={checks.isError && !checks.data ? checks.error : null}
        title="Could not load checks"
      />
      {checks.data && rows.length === 0 ? (
        <Text c="dimmed">
          {checks.data.length === 0 && !status
            ? 'No checks yet. Add one to watch a URL, a port, a name or a certificate, or to hear from a cron job.'
            : 'No checks match these filters.'}
        </Text>
      ) : null}
      {rows.length > 0 ? (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover aria-label="Checks" verticalSpacing="xs">
            <TableHead
              columns={[
                'Name',
                'Type',
                'Target',
                'Status',
                'Latency',
                'Last checked',
                'Uptime 24 h',
              ]}
            />
            <Table.Tbody>
              {rows.map((check) => (
                <Table.Tr
                  key={check.id}
                  style={{ cursor: 'pointer' }}
                  onClick={(e) => onRowClick(e, check.id)}
                >
                  <Table.Td>
                    <Anchor component={Link} to={`/checks/${check.id}`} fw={500}>
                      {check.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{KIND_LABELS[check.kind]}</Table.Td>
                  <Table.Td maw={280} style={{ wordBreak: 'break-all' }}>
                    <Text size="sm" ff={check.kind === 'heartbeat' ? undefined : 'monospace'}>
                      {targetOf(check)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <CheckStatusBadge check={check} />
                  </Table.Td>
                  <Table.Td>
                    {check.kind === 'heartbeat' ? (
                      <Text span size="xs" c="dimmed">
                        —
                      </Text>
                    ) : (
                      <RowSparkline checkId={check.id} />
                    )}
                  </Table.Td>
                  <Table.Td>
                    <RelativeTime value={lastSeen(check)} empty="Never" />
                  </Table.Td>
                  <Table.Td>
                    {lastSeen(check) === null ? (
                      // Nothing measured yet: the server counts that as 100 %, not worth showing.
                      <Text span size="sm" c="dimmed">
                        —
                      </Text>
                    ) : (
                      <Text size="sm" fw={500} c={uptimeColor(check.uptime24h)}>
                        {formatUptime(check.uptime24h)}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {checks.dataUpdatedAt ? (
        <Text size="xs" c="dimmed" mt="sm" aria-live="off">
          {checks.isRefetchError ? 'Refresh failed; showing data from ' : 'Updated '}
          {formatDateTime(checks.dataUpdatedAt)}
        </Text>
      ) : null}

      <CheckFormModal opened={createOpened} onClose={closeCreate} onCreated={onCreated} />
      <HeartbeatUrlModal
        secret={heartbeat?.heartbeat ?? null}
        checkName={heartbeat?.check.name ?? ''}
        onClose={() => {
          const id = heartbeat?.check.id;
          setHeartbeat(null);
          if (id) void navigate(`/checks/${id}`);
        }}
      />
    </>
  );
}
