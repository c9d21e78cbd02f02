import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCreateSchedule, useUpdateSchedule } from '../../api/schedules';
import { useTeamMembers } from '../../api/teams';
import type { Schedule } from '../../api/types';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { browserTimeZone, todayIn } from '../../ui/zoned-time';
import { TeamSelect } from '../alerts/team-select';
import { useTeamsWith } from '../auth/team-access';
import { LayersEditor } from './layers-editor';
import { layerDraftsOf, newLayerDraft, toLayerInputs } from './schedule-drafts';
import type { LayerDraft } from './schedule-drafts';
import { TimeZoneSelect } from './time-zone-select';

interface ScheduleFormProps {
  /** The schedule being edited; a new one is created when absent. */
  schedule?: Schedule;
  onSaved: (schedule: Schedule) => void;
  onCancel: () => void;
}

/** A schedule's name, team (new ones only), time zone and layers: POST or PUT. */
export function ScheduleForm({ schedule, onSaved, onCancel }: ScheduleFormProps) {
  const teams = useTeamsWith('admin');
  const create = useCreateSchedule();
  const update = useUpdateSchedule(schedule?.id ?? '');
  const save = schedule ? update : create;

  const [name, setName] = useState(schedule?.name ?? '');
  const [teamId, setTeamId] = useState(schedule?.teamId ?? '');
  const [timeZone, setTimeZone] = useState(() => schedule?.timeZone ?? browserTimeZone());
  const [layers, setLayers] = useState<LayerDraft[]>(() =>
    schedule ? layerDraftsOf(schedule) : [newLayerDraft(0, todayIn(timeZone))],
  );

  // Until a team is picked, the first one the user administers.
  const effectiveTeamId = teamId || teams.allowed[0]?.id || '';
  const members = useTeamMembers(effectiveTeamId);
  const memberOptions = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name }));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = { name: name.trim(), timeZone, layers: toLayerInputs(layers) };
    if (schedule) update.mutate(body, { onSuccess: onSaved });
    else create.mutate({ ...body, teamId: effectiveTeamId }, { onSuccess: onSaved });
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert
          error={save.error ?? teams.error ?? members.error}
          title="Could not save the schedule"
          fields={['teamId', 'name', 'timeZone']}
          fieldPrefixes={['layers']}
        />
        <TextInput
          label="Schedule name"
          name="name"
          autoComplete="off"
          placeholder="e.g. Platform primary"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError(save.error, 'name')}
        />
        {schedule ? null : (
          <TeamSelect
            teams={teams.allowed}
            value={effectiveTeamId}
            onChange={(next) => {
              setTeamId(next);
              // Participants are members of the team: another team starts from nobody.
              setLayers((prev) => prev.map((l) => ({ ...l, participants: [] })));
            }}
            error={fieldError(save.error, 'teamId')}
          />
        )}
        <TimeZoneSelect
          value={timeZone}
          onChange={setTimeZone}
          description="Handoffs and restrictions are wall-clock times in this zone."
          error={fieldError(save.error, 'timeZone')}
        />
        <LayersEditor
          layers={layers}
          onChange={setLayers}
          memberOptions={memberOptions}
          defaultStartDate={todayIn(timeZone)}
          error={save.error}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!effectiveTeamId}>
            {schedule ? 'Save schedule' : 'Create schedule'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
