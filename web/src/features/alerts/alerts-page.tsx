import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAlerts } from '../../api/alerts';
import { useIncidents } from '../../api/incidents';
import { useServices } from '../../api/services';
import { useTeams } from '../../api/teams';
import { ALERT_STATUSES, SEVERITIES } from '../../api/types';
import type { AlertStatus, Severity } from '../../api/types';
import { useAnnounceNew } from '../../ui/announcer';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { formatDateTime } from '../../ui/format';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { filtersFromParams, filtersToParams, toAlertQuery } from './alert-filters';
import type { AlertFilters, MutedFilter } from './alert-filters';
import { AlertsTable } from './alerts-table';
import { SEVERITY_LABELS, STATUS_LABELS } from './signal-labels';

const MUTED_OPTIONS = [
  { value: 'any', label: 'Muted or not' },
  { value: 'yes', label: 'Muted only' },
  { value: 'no', label: 'Not muted' },
];

function isMutedFilter(value: string): value is MutedFilter {
  return value === 'any' || value === 'yes' || value === 'no';
}

export function AlertsPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  // The filters live in state (inputs answer at once) and are mirrored into the URL, so that
  // Back from an alert, a reload or a shared link shows the same list.
  const [filters, setFilterState] = useState(() => filtersFromParams(searchParams));
  const [search, setSearch] = useState(filters.q);
  const [debouncedSearch] = useDebouncedValue(search, 300);
  const queryFilters = { ...filters, q: debouncedSearch };
  const params = filtersToParams(queryFilters).toString();
  useEffect(() => {
    if (new URLSearchParams(window.location.search).toString() !== params) {
      setSearchParams(params, { replace: true });
    }
  }, [params, setSearchParams]);

  const teams = useTeams();
  const services = useServices();
  const setFilters = (patch: Partial<AlertFilters>) =>
    setFilterState((prev) => ({ ...prev, ...patch }));

  const alerts = useAlerts(toAlertQuery(queryFilters));
  const rows = alerts.data?.pages.flatMap((page) => page.items) ?? [];
  useAnnounceNew(
    alerts.data ? rows : undefined,
    (a) => a.id,
    (a) => `New alert: ${a.summary}`,
    JSON.stringify(queryFilters),
  );

  const serviceNames = useMemo(
    () => new Map((services.data ?? []).map((s) => [s.id, s.name] as const)),
    [services.data],
  );
  const teamServices = (services.data ?? []).filter(
    (s) => !filters.teamId || s.teamId === filters.teamId,
  );

  // Incident numbers for the alerts that have one.
  const withIncident = rows.some((a) => a.incidentId);
  const incidents = useIncidents({ limit: 200 }, { enabled: withIncident });
  const incidentNumbers = useMemo(
    () => new Map((incidents.data ?? []).map((i) => [i.id, i.number] as const)),
    [incidents.data],
  );

  return (
    <>
      <PageHeader
        order={2}
        title="All alerts"
        description="Alerts from your monitoring tools, deduplicated. The list refreshes every 5 seconds."
      />
      <Paper withBorder p="md" radius="md" mb="lg" component="section" aria-label="Filters">
        <Stack gap="sm">
          <Group align="flex-end" gap="md">
            {teams.data && teams.data.length > 1 ? (
              <NativeSelect
                label="Team"
                value={filters.teamId}
                onChange={(e) => setFilters({ teamId: e.currentTarget.value, serviceId: '' })}
                data={[
                  { value: '', label: 'All teams' },
                  ...teams.data.map((t) => ({ value: t.id, label: t.name })),
                ]}
              />
            ) : null}
            <NativeSelect
              label="Service"
              value={filters.serviceId}
              onChange={(e) => setFilters({ serviceId: e.currentTarget.value })}
              data={[
                { value: '', label: 'All services' },
                ...teamServices.map((s) => ({ value: s.id, label: s.name })),
              ]}
            />
            <NativeSelect
              label="Muted"
              value={filters.muted}
              onChange={(e) => {
                const value = e.currentTarget.value;
                if (isMutedFilter(value)) setFilters({ muted: value });
              }}
              data={MUTED_OPTIONS}
            />
            <TextInput
              label="Search"
              type="search"
              placeholder="Summary, source, labels…"
              miw={240}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
            />
          </Group>
          <Group align="flex-start" gap="xl">
            <Checkbox.Group
              label="Status"
              value={filters.status}
              onChange={(value) =>
                setFilters({
                  status: ALERT_STATUSES.filter((s): s is AlertStatus => value.includes(s)),
                })
              }
            >
              <Group gap="md" mt={6}>
                {ALERT_STATUSES.map((status) => (
                  <Checkbox key={status} value={status} label={STATUS_LABELS[status]} />
                ))}
              </Group>
            </Checkbox.Group>
            <Checkbox.Group
              label="Severity"
              value={filters.severity}
              onChange={(value) =>
                setFilters({
                  severity: SEVERITIES.filter((s): s is Severity => value.includes(s)),
                })
              }
            >
              <Group gap="md" mt={6}>
                {SEVERITIES.map((severity) => (
                  <Checkbox key={severity} value={severity} label={SEVERITY_LABELS[severity]} />
                ))}
              </Group>
            </Checkbox.Group>
          </Group>
        </Stack>
      </Paper>

      {alerts.isPending ? <LoadingBlock label="Loading alerts" /> : null}
      {alerts.isError && rows.length === 0 ? (
        <ApiErrorAlert error={alerts.error} title="Could not load alerts" />
      ) : null}
      {alerts.isSuccess && rows.length === 0 ? (
        <Text c="dimmed">No alerts match these filters.</Text>
      ) : null}
      {rows.length > 0 ? (
        <Stack>
          <AlertsTable
            alerts={rows}
            label="Alerts"
            serviceNames={serviceNames}
            incidentNumbers={incidentNumbers}
          />
          <ApiErrorAlert
            error={alerts.isFetchNextPageError ? alerts.error : null}
            title="Could not load more"
          />
          {alerts.hasNextPage ? (
            <Group justify="center">
              <Button
                variant="default"
                loading={alerts.isFetchingNextPage}
                onClick={() => void alerts.fetchNextPage()}
              >
                Load more
              </Button>
            </Group>
          ) : null}
        </Stack>
      ) : null}
      {alerts.dataUpdatedAt ? (
        <Text size="xs" c="dimmed" mt="sm" aria-live="off">
          {alerts.isRefetchError ? 'Refresh failed; showing data from ' : 'Updated '}
          {formatDateTime(alerts.dataUpdatedAt)}
        </Text>
      ) : null}
    </>
  );
}
