import { Button, Group, Paper, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useAlerts } from '../../api/alerts';
import type { IncidentDetail } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { AlertsTable } from '../alerts/alerts-table';

/** Alerts per page when the older ones are listed. */
const PAGE = 100;

/** Every alert of the incident, a page at a time, once asked for. */
function AllAlerts({
  incident,
  serviceNames,
}: {
  incident: IncidentDetail;
  serviceNames: ReadonlyMap<string, string>;
}) {
  const alerts = useAlerts({ incidentId: incident.id }, PAGE);
  const rows = alerts.data?.pages.flatMap((p) => p.items) ?? incident.alerts;
  return (
    <>
      {alerts.error && !alerts.data ? <ApiErrorAlert error={alerts.error} /> : null}
      <AlertsTable alerts={rows} label="Incident alerts" serviceNames={serviceNames} hideIncident />
      {alerts.hasNextPage ? (
        <Group mt="sm" gap="sm">
          <Button
            variant="default"
            size="xs"
            onClick={() => void alerts.fetchNextPage()}
            loading={alerts.isFetchingNextPage}
          >
            Show older alerts
          </Button>
          <Text size="sm" c="dimmed">
            {rows.length} of {incident.alertsTotal} shown
          </Text>
        </Group>
      ) : null}
    </>
  );
}

/**
 * The incident's alerts: the newest (the page the incident's detail embeds), and the older ones
 * a page at a time on demand. An incident can gather hundreds of alerts; rendering them all
 * with the rest of the page froze the browser.
 */
export function IncidentAlertsSection({
  incident,
  serviceNames,
}: {
  incident: IncidentDetail;
  serviceNames: ReadonlyMap<string, string>;
}) {
  const [all, setAll] = useState(false);
  const more = incident.alertsTotal > incident.alerts.length;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="incident-alerts">
      <Title order={2} size="h3" id="incident-alerts" mb="sm">
        Alerts ({incident.alertsTotal})
      </Title>
      {incident.alerts.length === 0 ? (
        <Text c="dimmed">No alerts.</Text>
      ) : all ? (
        <AllAlerts incident={incident} serviceNames={serviceNames} />
      ) : (
        <>
          <AlertsTable
            alerts={incident.alerts}
            label="Incident alerts"
            serviceNames={serviceNames}
            hideIncident
          />
          {more ? (
            <Group mt="sm" gap="sm">
              <Button variant="default" size="xs" onClick={() => setAll(true)}>
                Show older alerts
              </Button>
              <Text size="sm" c="dimmed">
                The newest {incident.alerts.length} of {incident.alertsTotal} shown
              </Text>
            </Group>
          ) : null}
        </>
      )}
    </Paper>
  );
}
