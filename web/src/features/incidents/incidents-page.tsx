import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  SegmentedControl,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import type { MouseEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAcknowledgeIncidents, useIncidents } from '../../api/incidents';
import type { BulkAckResult } from '../../api/incidents';
import { useIncidentsLive } from '../../api/live';
import { useResponseSettings } from '../../api/response';
import { useTeams } from '../../api/teams';
import { INCIDENT_SEVERITIES } from '../../api/types';
import type { Incident, IncidentSeverity } from '../../api/types';
import { useAnnounce, useAnnounceNew } from '../../ui/announcer';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { formatDateTime } from '../../ui/format';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { RelativeTime } from '../../ui/relative-time';
import { StatusBadge, UrgencyBadge } from '../alerts/signal-badges';
import { useTeamsWith } from '../auth/team-access';
import { useServiceNames } from '../services/service-names';
import { DeclareIncidentModal } from './declare-incident-modal';
import { IncidentSeverityBadge } from './incident-badges';
import { SnoozedUntil } from './snooze-menu';
import {
  OPEN_STATUSES,
  STATUS_FILTER_OPTIONS,
  isStatusFilter,
  severitiesFrom,
  statusesOf,
} from './incident-filters';
import type { IncidentStatusFilter } from './incident-filters';
import { severityName } from './incident-labels';
import { ResponseDue } from './response-due';

/** "Acknowledged #5 and #7. Not acknowledged: #6 DB down (it is resolved)." */
function describeBulkAck(results: readonly BulkAckResult[]): string {
  const done = results.filter((r) => r.ok).map((r) => `#${r.incident.number}`);
  const failed = results.flatMap((r) =>
    r.ok ? [] : [`#${r.incident.number} ${r.incident.title} (${r.reason})`],
  );
  return [
    done.length ? `Acknowledged ${done.join(', ')}.` : '',
    failed.length ? `Not acknowledged: ${failed.join('; ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function IncidentsPage() {
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  // Filters live in state (the inputs answer at once), mirrored into the URL for Back and links.
  const [statusFilter, setStatusFilter] = useState<IncidentStatusFilter>(() => {
    const value = searchParams.get('status') ?? 'open';
    return isStatusFilter(value) ? value : 'open';
  });
  const [teamId, setTeamId] = useState(() => searchParams.get('team') ?? '');
  const [severities, setSeverities] = useState<IncidentSeverity[]>(() =>
    severitiesFrom(searchParams.get('severity')),
  );
  const [search, setSearch] = useState(() => searchParams.get('q') ?? '');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  // Mine (paged about, acknowledged, a role of mine) or All: `?mine=1` / `?mine=0`; without it,
  // Mine when I have an open incident of my own, else All.
  const [mineChoice, setMineChoice] = useState<boolean | undefined>(() => {
    const value = searchParams.get('mine');
    return value === '1' ? true : value === '0' ? false : undefined;
  });
  const myOpen = useIncidents(
    { status: OPEN_STATUSES, mine: true, limit: 1 },
    { enabled: mineChoice === undefined },
  );
  // Decided once (while rendering, as React advises for state derived from props): a page later
  // paging me does not flip the list under my eyes.
  if (mineChoice === undefined && (myOpen.data || myOpen.isError)) {
    setMineChoice((myOpen.data?.length ?? 0) > 0);
  }
  const mine = mineChoice;
  const params = new URLSearchParams({
    ...(mine !== undefined ? { mine: mine ? '1' : '0' } : {}),
    ...(teamId ? { team: teamId } : {}),
    ...(statusFilter !== 'open' ? { status: statusFilter } : {}),
    ...(severities.length ? { severity: severities.join(',') } : {}),
    ...(debouncedSearch ? { q: debouncedSearch } : {}),
  }).toString();
  useEffect(() => {
    if (new URLSearchParams(window.location.search).toString() !== params) {
      setSearchParams(params, { replace: true });
    }
  }, [params, setSearchParams]);

  const [declareOpened, { open: openDeclare, close: closeDeclare }] = useDisclosure(false);
  const responders = useTeamsWith('responder');
  const teams = useTeams();
  const settings = useResponseSettings();
  const serviceNames = useServiceNames();
  const incidents = useIncidents(
    {
      teamId: teamId || undefined,
      status: statusesOf(statusFilter),
      severity: severities,
      q: debouncedSearch || undefined,
      mine: mine === true,
    },
    { enabled: mine !== undefined },
  );
  useIncidentsLive();
  useAnnounceNew(
    incidents.data,
    (i) => i.id,
    (i) => `New incident #${i.number}: ${i.title}`,
    JSON.stringify([teamId, statusFilter, severities, debouncedSearch, mine]),
  );

  // Bulk acknowledge: the triggered incidents ticked, of teams I respond for.
  const announce = useAnnounce();
  const acknowledgeMany = useAcknowledgeIncidents();
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [ackResult, setAckResult] = useState<{ text: string; failed: boolean } | null>(null);
  const ackResultRef = useRef<HTMLDivElement>(null);
  // The pressed button may be gone (nothing left to select): focus goes to what happened.
  useEffect(() => {
    if (ackResult) ackResultRef.current?.focus();
  }, [ackResult]);
  const responderTeams = new Set(responders.allowed.map((t) => t.id));
  const selectable = (incidents.data ?? []).filter(
    (i) => i.status === 'triggered' && responderTeams.has(i.teamId),
  );
  const picked: Incident[] = selectable.filter((i) => selected.has(i.id));
  const toggle = (id: string, on: boolean) =>
    setSelected((old) => {
      const next = new Set(old);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const acknowledgeSelected = () => {
    acknowledgeMany.mutate(picked, {
      onSuccess: (results) => {
        const text = describeBulkAck(results);
        setAckResult({ text, failed: results.some((r) => !r.ok) });
        announce(text);
        setSelected(new Set(results.filter((r) => !r.ok).map((r) => r.incident.id)));
      },
    });
  };

  const onRowClick = (event: MouseEvent<HTMLTableRowElement>, incidentId: string) => {
    if ((event.target as HTMLElement).closest('a, button, input, label')) return;
    void navigate(`/incidents/${incidentId}`);
  };

  const filtered =
    statusFilter !== 'open' || severities.length > 0 || debouncedSearch !== '' || teamId !== '';

  return (
    <>
      <PageHeader
        title="Incidents"
        description="Opened from alerts that page or notify, declared by hand, or from customer tickets. The list updates live."
        actions={
          responders.allowed.length > 0 ? (
            <Button color="red" onClick={openDeclare}>
              Declare incident
            </Button>
          ) : null
        }
      />
      <Paper withBorder p="md" radius="md" mb="lg" component="section" aria-label="Filters">
        <Group align="flex-end" gap="md">
          <div role="group" aria-labelledby="incidents-whose">
            <Text id="incidents-whose" size="sm" fw={500} mb={4}>
              Show
            </Text>
            <SegmentedControl
              value={mine === undefined ? '' : mine ? 'mine' : 'all'}
              onChange={(value) => setMineChoice(value === 'mine')}
              data={[
                { value: 'mine', label: 'Mine' },
                { value: 'all', label: 'All' },
              ]}
            />
          </div>
          {teams.data && teams.data.length > 1 ? (
            <NativeSelect
              label="Team"
              value={teamId}
              onChange={(e) => setTeamId(e.currentTarget.value)}
              data={[
                { value: '', label: 'All teams' },
                ...teams.data.map((t) => ({ value: t.id, label: t.name })),
              ]}
            />
          ) : null}
          <NativeSelect
            label="Status"
            value={statusFilter}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (isStatusFilter(value)) setStatusFilter(value);
            }}
            data={STATUS_FILTER_OPTIONS}
          />
          <Checkbox.Group
            label="Severity"
            value={severities}
            onChange={(value) =>
              setSeverities(INCIDENT_SEVERITIES.filter((s) => value.includes(s)))
            }
          >
            <Group gap="md" mt={6} mb={8}>
              {INCIDENT_SEVERITIES.map((s) => (
                <Checkbox key={s} value={s} label={s} title={severityName(settings.data, s)} />
              ))}
            </Group>
          </Checkbox.Group>
          <TextInput
            label="Search"
            type="search"
            placeholder="Title words or #number"
            miw={260}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
          />
        </Group>
      </Paper>
      {incidents.isPending ? <LoadingBlock label="Loading incidents" /> : null}
      {incidents.isError && !incidents.data ? (
        <ApiErrorAlert error={incidents.error} title="Could not load incidents" />
      ) : null}
      {incidents.data && incidents.data.length === 0 ? (
        <Text c="dimmed">
          {mine && !filtered
            ? 'No open incidents of yours. Choose All to see the rest.'
            : filtered || mine
              ? 'No incidents match these filters.'
              : 'No open incidents. All quiet.'}
        </Text>
      ) : null}
      {ackResult ? (
        <Alert
          ref={ackResultRef}
          tabIndex={-1}
          // Read through the app's announcer: not a second live region.
          role="note"
          color={ackResult.failed ? 'orange' : 'green'}
          mb="sm"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setAckResult(null)}
          data-testid="bulk-ack-result"
        >
          {ackResult.text}
        </Alert>
      ) : null}
      <ApiErrorAlert
        error={acknowledgeMany.error}
        title="Could not acknowledge the incidents"
        onClose={() => acknowledgeMany.reset()}
      />
      {selectable.length > 0 ? (
        <Group mb="sm">
          <Button
            disabled={picked.length === 0}
            loading={acknowledgeMany.isPending}
            onClick={acknowledgeSelected}
          >
            Acknowledge selected ({picked.length})
          </Button>
        </Group>
      ) : null}
      {incidents.data && incidents.data.length > 0 ? (
        <Table.ScrollContainer minWidth={960}>
          <Table aria-label="Incidents" highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>
                  {selectable.length > 0 ? (
                    <Checkbox
                      aria-label="Select all triggered incidents"
                      checked={picked.length === selectable.length}
                      indeterminate={picked.length > 0 && picked.length < selectable.length}
                      onChange={(e) =>
                        setSelected(
                          new Set(e.currentTarget.checked ? selectable.map((i) => i.id) : []),
                        )
                      }
                    />
                  ) : (
                    <VisuallyHidden>Select</VisuallyHidden>
                  )}
                </Table.Th>
                <Table.Th>Number</Table.Th>
                <Table.Th>Title</Table.Th>
                <Table.Th>Severity</Table.Th>
                <Table.Th>Service</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Urgency</Table.Th>
                <Table.Th>Alerts</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Response due</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {incidents.data.map((incident) => (
                <Table.Tr
                  key={incident.id}
                  style={{ cursor: 'pointer' }}
                  onClick={(e) => onRowClick(e, incident.id)}
                >
                  <Table.Td>
                    {incident.status === 'triggered' && responderTeams.has(incident.teamId) ? (
                      <Checkbox
                        aria-label={`Select incident #${incident.number} ${incident.title}`}
                        checked={selected.has(incident.id)}
                        onChange={(e) => toggle(incident.id, e.currentTarget.checked)}
                      />
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/incidents/${incident.id}`} fw={600}>
                      #{incident.number}
                      <VisuallyHidden> {incident.title}</VisuallyHidden>
                    </Anchor>
                  </Table.Td>
                  <Table.Td maw={420}>{incident.title}</Table.Td>
                  <Table.Td>
                    <IncidentSeverityBadge severity={incident.severity} />
                  </Table.Td>
                  <Table.Td>{serviceNames.get(incident.serviceId) ?? '—'}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={incident.status} />
                    <SnoozedUntil incident={incident} />
                  </Table.Td>
                  <Table.Td>
                    <UrgencyBadge urgency={incident.urgency} />
                  </Table.Td>
                  <Table.Td>{incident.alertCount}</Table.Td>
                  <Table.Td>
                    <RelativeTime value={incident.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <ResponseDue incident={incident} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {incidents.dataUpdatedAt ? (
        <Text size="xs" c="dimmed" mt="sm" aria-live="off">
          {incidents.isRefetchError ? 'Refresh failed; showing data from ' : 'Updated '}
          {formatDateTime(incidents.dataUpdatedAt)}
        </Text>
      ) : null}
      <DeclareIncidentModal
        opened={declareOpened}
        onClose={closeDeclare}
        onDeclared={(incident) => {
          closeDeclare();
          void navigate(`/incidents/${incident.id}`);
        }}
      />
    </>
  );
}
