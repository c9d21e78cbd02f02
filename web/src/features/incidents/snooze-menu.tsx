import { Button, Group, Menu, Modal, NumberInput, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, apiPath } from '../../api/client';
import { queryKeys } from '../../api/query-keys';
import type { Incident, IncidentDetail, SnoozeIncidentRequest } from '../../api/types';
import { fieldError } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';

/** Snoozes an incident (acknowledging a triggered one) for some minutes. */
export function useSnoozeIncident(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SnoozeIncidentRequest) =>
      api.post<Incident>(apiPath`/api/incidents/${incidentId}/snooze`, body),
    onSuccess: (incident) => {
      queryClient.setQueryData<IncidentDetail>(queryKeys.incident(incidentId), (old) =>
        old ? { ...old, ...incident } : old,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertsAll });
      return queryClient.invalidateQueries({ queryKey: queryKeys.incidentsAll });
    },
  });
}

const PRESETS = [
  { minutes: 60, label: 'For 1 hour' },
  { minutes: 240, label: 'For 4 hours' },
] as const;

/**
 * "Snooze" beside Acknowledge (responders, triggered or acknowledged incidents): 1 h, 4 h or a
 * custom number of minutes. The incident stays acknowledged until then and is triggered again
 * (escalation restarting at the first level) if nobody mitigated or resolved it. The page shows
 * `snooze`'s errors, but for a bad number of minutes, which the custom dialog shows.
 */
export function SnoozeMenu({ snooze }: { snooze: ReturnType<typeof useSnoozeIncident> }) {
  const [customOpened, { open: openCustom, close: closeCustom }] = useDisclosure(false);
  const [minutes, setMinutes] = useState<string | number>(90);

  const onCustom = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    snooze.mutate({ minutes: Number(minutes) }, { onSuccess: closeCustom });
  };

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" loading={snooze.isPending && !customOpened}>
            Snooze
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {PRESETS.map((p) => (
            <Menu.Item key={p.minutes} onClick={() => snooze.mutate({ minutes: p.minutes })}>
              {p.label}
            </Menu.Item>
          ))}
          <Menu.Item
            onClick={() => {
              snooze.reset();
              openCustom();
            }}
          >
            Custom…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={customOpened} onClose={closeCustom} title="Snooze incident">
        <form onSubmit={onCustom} noValidate>
          <Stack>
            <NumberInput
              label="Snooze for (minutes)"
              description="1 to 1440 (a day). It is triggered again then if still acknowledged."
              min={1}
              max={1440}
              allowDecimal={false}
              allowNegative={false}
              value={minutes}
              onChange={setMinutes}
              error={fieldError(snooze.error, 'minutes')}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={closeCustom}>
                Cancel
              </Button>
              <Button type="submit" loading={snooze.isPending}>
                Snooze
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/** "Snoozed until …" for an incident with a snooze running; nothing otherwise. */
export function SnoozedUntil({
  incident,
}: {
  incident: Pick<Incident, 'snoozedUntil' | 'status'>;
}) {
  if (incident.snoozedUntil === null || incident.status !== 'acknowledged') return null;
  return (
    <Text size="sm" c="dimmed">
      Snoozed until <DateTime value={incident.snoozedUntil} />
    </Text>
  );
}
