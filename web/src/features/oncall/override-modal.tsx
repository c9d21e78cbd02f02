import { Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCreateOverride } from '../../api/schedules';
import { useTeamMembers } from '../../api/teams';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { fromZonedInput, toZonedInput } from '../../ui/zoned-time';

export interface OverrideDraft {
  /** Who is on call now in that window, if anyone: not offered as the replacement. */
  userId?: string;
  start: number;
  end: number;
}

interface OverrideFormProps {
  scheduleId: string;
  teamId: string;
  timeZone: string;
  initial: OverrideDraft;
  onDone: () => void;
}

function OverrideForm({ scheduleId, teamId, timeZone, initial, onDone }: OverrideFormProps) {
  const create = useCreateOverride(scheduleId);
  const members = useTeamMembers(teamId);
  const [userId, setUserId] = useState('');
  const [start, setStart] = useState(() => toZonedInput(initial.start, timeZone));
  const [end, setEnd] = useState(() => toZonedInput(initial.end, timeZone));
  const [localError, setLocalError] = useState<{ field: string; message: string } | null>(null);

  const candidates = (members.data ?? []).filter((m) => m.userId !== initial.userId);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const startMs = fromZonedInput(start, timeZone);
    const endMs = fromZonedInput(end, timeZone);
    if (!userId) return setLocalError({ field: 'userId', message: 'Pick who takes the shift.' });
    if (startMs === null) return setLocalError({ field: 'start', message: 'Pick a start.' });
    if (endMs === null) return setLocalError({ field: 'end', message: 'Pick an end.' });
    if (endMs <= startMs) {
      return setLocalError({ field: 'end', message: 'The end must be after the start.' });
    }
    setLocalError(null);
    create.mutate({ userId, start: startMs, end: endMs }, { onSuccess: onDone });
  };

  const errorOf = (field: string) =>
    localError?.field === field ? localError.message : fieldError(create.error, field);

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert
          error={create.error ?? members.error}
          title="Could not create the override"
          fields={['userId', 'start', 'end']}
        />
        <Text size="sm" c="dimmed">
          This person is on call instead for the whole window, whatever the layers say. Times are in
          the schedule&apos;s time zone, {timeZone}.
        </Text>
        <NativeSelect
          label="Override user"
          name="userId"
          value={userId}
          onChange={(e) => setUserId(e.currentTarget.value)}
          disabled={members.isPending}
          error={errorOf('userId')}
          data={[
            { value: '', label: 'Pick a person', disabled: true },
            ...candidates.map((m) => ({ value: m.userId, label: m.name })),
          ]}
        />
        <Group grow align="flex-start">
          <TextInput
            label="Override start"
            type="datetime-local"
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
            error={errorOf('start')}
          />
          <TextInput
            label="Override end"
            type="datetime-local"
            value={end}
            onChange={(e) => setEnd(e.currentTarget.value)}
            error={errorOf('end')}
          />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create override
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface OverrideModalProps extends Omit<OverrideFormProps, 'initial' | 'onDone'> {
  /** The window to prefill; the dialog is open while this is set. */
  initial: OverrideDraft | null;
  onClose: () => void;
}

/** "New override": someone else on call for a window (responders). */
export function OverrideModal({ initial, onClose, ...props }: OverrideModalProps) {
  return (
    <Modal opened={initial !== null} onClose={onClose} title="New override" size="lg">
      {/* Mounted only while open, so that every opening starts from the shift clicked. */}
      {initial ? <OverrideForm {...props} initial={initial} onDone={onClose} /> : null}
    </Modal>
  );
}
