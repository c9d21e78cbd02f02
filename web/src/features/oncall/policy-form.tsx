import {
  ActionIcon,
  Button,
  Fieldset,
  Group,
  MultiSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCreateEscalationPolicy, useUpdateEscalationPolicy } from '../../api/escalation';
import { useSchedules } from '../../api/schedules';
import { useTeamMembers } from '../../api/teams';
import type { EscalationLevel, EscalationPolicy } from '../../api/types';
import { ApiErrorAlert, fieldError, fieldErrorUnder } from '../../ui/api-error-alert';
import { TeamSelect } from '../alerts/team-select';
import { useTeamsWith } from '../auth/team-access';
import { DownIcon, RemoveIcon, UpIcon } from './icons';

interface LevelDraft {
  key: number;
  delayMinutes: number | string;
  users: string[];
  schedules: string[];
  teams: string[];
}

let nextKey = 1;

function newLevel(): LevelDraft {
  return { key: nextKey++, delayMinutes: 5, users: [], schedules: [], teams: [] };
}

/** A saved level as a draft, its targets sorted by kind. */
function draftOf(level: EscalationLevel): LevelDraft {
  const ids = (type: EscalationLevel['targets'][number]['type']) =>
    level.targets.filter((t) => t.type === type).map((t) => t.id);
  return {
    key: nextKey++,
    delayMinutes: level.delayMinutes,
    users: ids('user'),
    schedules: ids('schedule'),
    teams: ids('team'),
  };
}

function toLevel(d: LevelDraft): EscalationLevel {
  return {
    delayMinutes:
      typeof d.delayMinutes === 'number' ? d.delayMinutes : Number(d.delayMinutes || Number.NaN),
    targets: [
      ...d.users.map((id) => ({ type: 'user' as const, id })),
      ...d.schedules.map((id) => ({ type: 'schedule' as const, id })),
      ...d.teams.map((id) => ({ type: 'team' as const, id })),
    ],
  };
}

function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

interface PolicyFormProps {
  /** The policy being edited; a new one is created when absent. */
  policy?: EscalationPolicy;
  onSaved: (policy: EscalationPolicy) => void;
  onCancel: () => void;
}

/**
 * An escalation policy's name, team (new ones only), repeat count and ordered levels of people,
 * schedules and teams to page: POST or PUT.
 */
export function PolicyForm({ policy, onSaved, onCancel }: PolicyFormProps) {
  const teams = useTeamsWith('admin');
  const create = useCreateEscalationPolicy();
  const updatePolicy = useUpdateEscalationPolicy(policy?.id ?? '');
  const save = policy ? updatePolicy : create;
  const [name, setName] = useState(policy?.name ?? '');
  const [teamId, setTeamId] = useState(policy?.teamId ?? '');
  const [repeatCount, setRepeatCount] = useState<number | string>(policy?.repeatCount ?? 0);
  const [levels, setLevels] = useState<LevelDraft[]>(() =>
    policy ? policy.levels.map(draftOf) : [newLevel()],
  );

  const effectiveTeamId = teamId || teams.allowed[0]?.id || '';
  const members = useTeamMembers(effectiveTeamId);
  const schedules = useSchedules(effectiveTeamId || undefined);

  const userOptions = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name }));
  const scheduleOptions = (schedules.data ?? [])
    .filter((s) => s.teamId === effectiveTeamId)
    .map((s) => ({ value: s.id, label: s.name }));
  const teamOptions = teams.all.map((t) => ({ value: t.id, label: t.name }));

  const update = (key: number, patch: Partial<LevelDraft>) =>
    setLevels((prev) => prev.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = {
      name: name.trim(),
      repeatCount: typeof repeatCount === 'number' ? repeatCount : Number(repeatCount || 0),
      levels: levels.map(toLevel),
    };
    if (policy) updatePolicy.mutate(body, { onSuccess: onSaved });
    else create.mutate({ ...body, teamId: effectiveTeamId }, { onSuccess: onSaved });
  };

  const err = save.error;

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert
          error={err ?? teams.error}
          title="Could not save the escalation policy"
          fields={['teamId', 'name', 'repeatCount']}
          fieldPrefixes={['levels']}
        />
        <TextInput
          label="Policy name"
          name="name"
          autoComplete="off"
          placeholder="e.g. Platform default"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError(err, 'name')}
        />
        {policy ? null : (
          <TeamSelect
            teams={teams.allowed}
            value={effectiveTeamId}
            onChange={(next) => {
              setTeamId(next);
              // People and schedules belong to the team: another team starts from none.
              setLevels((prev) => prev.map((l) => ({ ...l, users: [], schedules: [] })));
            }}
            error={fieldError(err, 'teamId')}
          />
        )}
        <NumberInput
          label="Repeat count"
          description="After the last level, start again from level 1 this many times (0–9)."
          min={0}
          max={9}
          allowDecimal={false}
          maw={420}
          value={repeatCount}
          onChange={setRepeatCount}
          error={fieldError(err, 'repeatCount')}
        />
        {levels.map((level, i) => {
          const n = i + 1;
          const levelError =
            fieldError(err, `levels.${i}.delayMinutes`) ?? fieldErrorUnder(err, `levels.${i}`);
          return (
            <Fieldset key={level.key} legend={`Level ${n}`}>
              <Stack gap="sm">
                <Group align="flex-end" justify="space-between">
                  <NumberInput
                    label="Delay (minutes)"
                    description="Wait this long for an acknowledgement before the next level."
                    min={1}
                    max={1440}
                    allowDecimal={false}
                    maw={320}
                    value={level.delayMinutes}
                    onChange={(value) => update(level.key, { delayMinutes: value })}
                  />
                  <Group gap={4}>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      aria-label={`Move level ${n} up`}
                      title="Up"
                      disabled={i === 0}
                      onClick={() => setLevels((prev) => moved(prev, i, i - 1))}
                    >
                      <UpIcon />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      aria-label={`Move level ${n} down`}
                      title="Down"
                      disabled={i === levels.length - 1}
                      onClick={() => setLevels((prev) => moved(prev, i, i + 1))}
                    >
                      <DownIcon />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      aria-label={`Remove level ${n}`}
                      title="Remove"
                      disabled={levels.length <= 1}
                      onClick={() => setLevels((prev) => prev.filter((l) => l.key !== level.key))}
                    >
                      <RemoveIcon />
                    </ActionIcon>
                  </Group>
                </Group>
                <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
                  <MultiSelect
                    label="Users"
                    description="These people, always."
                    data={userOptions}
                    value={level.users}
                    onChange={(users) => update(level.key, { users })}
                    searchable
                    hidePickedOptions
                    nothingFoundMessage="Nobody else"
                  />
                  <MultiSelect
                    label="Schedules"
                    description="Whoever is on call on them."
                    data={scheduleOptions}
                    value={level.schedules}
                    onChange={(ids) => update(level.key, { schedules: ids })}
                    searchable
                    hidePickedOptions
                    nothingFoundMessage="No schedules in this team"
                  />
                  <MultiSelect
                    label="Teams"
                    description="The on-call of each of their schedules."
                    data={teamOptions}
                    value={level.teams}
                    onChange={(ids) => update(level.key, { teams: ids })}
                    searchable
                    hidePickedOptions
                  />
                </SimpleGrid>
                {levelError ? (
                  <Text size="sm" c="red" role="alert">
                    {levelError}
                  </Text>
                ) : null}
              </Stack>
            </Fieldset>
          );
        })}
        {fieldError(err, 'levels') ? (
          <Text size="sm" c="red" role="alert">
            {fieldError(err, 'levels')}
          </Text>
        ) : null}
        <Group justify="space-between">
          <Button
            variant="light"
            size="xs"
            onClick={() => setLevels((prev) => [...prev, newLevel()])}
          >
            Add level
          </Button>
          <Group>
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!effectiveTeamId}>
              {policy ? 'Save policy' : 'Create escalation policy'}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
