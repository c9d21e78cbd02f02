import {
  Button,
  Checkbox,
  Group,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCreateMaintenance } from '../../api/maintenance';
import { useServices } from '../../api/services';
import type { MaintenanceWindow } from '../../api/types';
import { ApiErrorAlert, fieldError, fieldErrorUnder } from '../../ui/api-error-alert';
import { formatDateTime, fromDateTimeLocal, toDateTimeLocal } from '../../ui/format';
import { useNow } from '../../ui/use-now';
import { useTeamsWith } from '../auth/team-access';
import { ChoiceRadios } from './choice-radios';
import { DURATION_OPTIONS, presetMs } from './durations';
import type { DurationChoice } from './durations';
import { TeamSelect } from './team-select';

const FIELDS = ['teamId', 'startsAt', 'endsAt', 'description'] as const;

type StartChoice = 'now' | 'later';

const START_OPTIONS: { value: StartChoice; label: string }[] = [
  { value: 'now', label: 'Now' },
  { value: 'later', label: 'At a time' },
];

interface CreateMaintenanceFormProps {
  onCreated: (window: MaintenanceWindow) => void;
  onCancel?: () => void;
}

/** A new maintenance window: which services, from when, until when, why. */
export function CreateMaintenanceForm({ onCreated, onCancel }: CreateMaintenanceFormProps) {
  const teams = useTeamsWith('responder');
  const services = useServices();
  const createWindow = useCreateMaintenance();
  const now = useNow(15_000);
  const [teamId, setTeamId] = useState('');
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  const [start, setStart] = useState<StartChoice>('now');
  const [startsAt, setStartsAt] = useState(() => toDateTimeLocal(Date.now() + 3_600_000));
  const [duration, setDuration] = useState<DurationChoice>('2h');
  const [endsAt, setEndsAt] = useState(() => toDateTimeLocal(Date.now() + 3 * 3_600_000));
  const [description, setDescription] = useState('');
  const [localError, setLocalError] = useState<{ field: string; message: string } | null>(null);

  const effectiveTeamId = teamId || teams.allowed[0]?.id || '';
  const teamServices = (services.data ?? []).filter((s) => s.teamId === effectiveTeamId);
  const preset = presetMs(duration);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const begin = start === 'now' ? null : fromDateTimeLocal(startsAt);
    if (start === 'later' && begin === null) {
      setLocalError({ field: 'startsAt', message: 'Pick when the window starts.' });
      return;
    }
    const end = preset !== null ? (begin ?? Date.now()) + preset : fromDateTimeLocal(endsAt);
    if (end === null) {
      setLocalError({ field: 'endsAt', message: 'Pick when the window ends.' });
      return;
    }
    setLocalError(null);
    createWindow.mutate(
      {
        teamId: effectiveTeamId,
        serviceIds,
        ...(begin !== null ? { startsAt: begin } : {}),
        endsAt: end,
        description: description.trim(),
      },
      { onSuccess: onCreated },
    );
  };

  const errorOf = (field: string) =>
    localError?.field === field ? localError.message : fieldError(createWindow.error, field);
  const startMs = start === 'now' ? now : fromDateTimeLocal(startsAt);

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert
          error={createWindow.error ?? teams.error ?? services.error}
          title="Could not create the maintenance window"
          fields={FIELDS}
          fieldPrefixes={['serviceIds']}
        />
        <TeamSelect
          teams={teams.allowed}
          value={effectiveTeamId}
          onChange={(id) => {
            setTeamId(id);
            setServiceIds([]);
          }}
          error={fieldError(createWindow.error, 'teamId')}
        />
        <Checkbox.Group
          label="Services"
          description="Alerts of these services are muted while the window is in progress."
          value={serviceIds}
          onChange={setServiceIds}
          error={fieldErrorUnder(createWindow.error, 'serviceIds')}
        >
          {teamServices.length ? (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6} mt="xs">
              {teamServices.map((s) => (
                <Checkbox key={s.id} value={s.id} label={s.name} />
              ))}
            </SimpleGrid>
          ) : (
            <Text size="sm" c="dimmed" mt="xs">
              This team has no services.
            </Text>
          )}
        </Checkbox.Group>
        <ChoiceRadios label="Start" options={START_OPTIONS} value={start} onChange={setStart} />
        {start === 'later' ? (
          <TextInput
            label="Starts at"
            type="datetime-local"
            name="startsAt"
            maw={260}
            value={startsAt}
            onChange={(e) => setStartsAt(e.currentTarget.value)}
            error={errorOf('startsAt')}
          />
        ) : null}
        <ChoiceRadios
          label="Duration"
          options={DURATION_OPTIONS}
          value={duration}
          onChange={setDuration}
          description={
            preset !== null && startMs !== null
              ? `Ends about ${formatDateTime(startMs + preset)}.`
              : 'Pick the end below.'
          }
        />
        {preset === null ? (
          <TextInput
            label="Ends at"
            type="datetime-local"
            name="endsAt"
            maw={260}
            value={endsAt}
            onChange={(e) => setEndsAt(e.currentTarget.value)}
            error={errorOf('endsAt')}
          />
        ) : errorOf('endsAt') ? (
          <Text size="sm" c="red">
            {errorOf('endsAt')}
          </Text>
        ) : null}
        <Textarea
          label="Description"
          name="description"
          description="What is being worked on; shown on the muted alerts."
          autosize
          minRows={2}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={fieldError(createWindow.error, 'description')}
        />
        <Group justify="flex-end">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" loading={createWindow.isPending} disabled={!effectiveTeamId}>
            Create maintenance window
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
