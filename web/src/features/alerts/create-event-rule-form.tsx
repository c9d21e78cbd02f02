import {
  Button,
  Checkbox,
  Group,
  Input,
  NativeSelect,
  NumberInput,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCreateEventRule } from '../../api/rules';
import { useServices } from '../../api/services';
import type { EventRule, EventRuleActions, Severity } from '../../api/types';
import { ApiErrorAlert, fieldError, fieldErrorUnder } from '../../ui/api-error-alert';
import { useTeamsWith } from '../auth/team-access';
import { newMatcherRow, toMatchers } from './matchers';
import type { MatcherRow } from './matchers';
import { MatchersEditor } from './matchers-editor';
import { SEVERITY_OPTIONS, isSeverity } from './signal-labels';
import { TeamSelect } from './team-select';

const FIELDS = ['teamId', 'name', 'position', 'enabled'] as const;

interface CreateEventRuleFormProps {
  onCreated: (rule: EventRule) => void;
  onCancel?: () => void;
}

/** A new event rule: which events (matchers) and what to do with them (actions). */
export function CreateEventRuleForm({ onCreated, onCancel }: CreateEventRuleFormProps) {
  const teams = useTeamsWith('admin');
  const services = useServices();
  const createRule = useCreateEventRule();
  const [teamId, setTeamId] = useState('');
  const [name, setName] = useState('');
  const [position, setPosition] = useState<number | string>(100);
  const [rows, setRows] = useState<MatcherRow[]>(() => [newMatcherRow()]);
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [routeTo, setRouteTo] = useState('');
  const [suppress, setSuppress] = useState(false);
  const [drop, setDrop] = useState(false);
  const [enabled, setEnabled] = useState(true);

  const effectiveTeamId = teamId || teams.allowed[0]?.id || '';
  const teamServices = (services.data ?? []).filter((s) => s.teamId === effectiveTeamId);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const actions: EventRuleActions = {
      ...(severity ? { severity } : {}),
      ...(routeTo ? { routeToServiceId: routeTo } : {}),
      ...(suppress ? { suppress: true } : {}),
      ...(drop ? { drop: true } : {}),
    };
    createRule.mutate(
      {
        teamId: effectiveTeamId,
        name: name.trim(),
        ...(typeof position === 'number' ? { position } : {}),
        matchers: toMatchers(rows),
        actions,
        enabled,
      },
      { onSuccess: onCreated },
    );
  };

  const actionsError = fieldErrorUnder(createRule.error, 'actions');

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert
          error={createRule.error ?? teams.error}
          title="Could not create the event rule"
          fields={FIELDS}
          fieldPrefixes={['matchers', 'actions']}
        />
        <TeamSelect
          teams={teams.allowed}
          value={effectiveTeamId}
          onChange={(id) => {
            setTeamId(id);
            setRouteTo('');
          }}
          error={fieldError(createRule.error, 'teamId')}
        />
        <Group align="flex-start" grow>
          <TextInput
            label="Rule name"
            name="name"
            autoComplete="off"
            placeholder="e.g. Staging is never critical"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(createRule.error, 'name')}
          />
          <NumberInput
            label="Position"
            name="position"
            description="Lower runs first."
            min={0}
            max={10_000}
            allowDecimal={false}
            maw={160}
            value={position}
            onChange={setPosition}
            error={fieldError(createRule.error, 'position')}
          />
        </Group>
        <Input.Wrapper
          label="Matchers"
          labelElement="div"
          description="The rule applies to events whose labels match all of them."
        >
          <div style={{ marginTop: 8 }}>
            <MatchersEditor rows={rows} onChange={setRows} error={createRule.error} />
          </div>
        </Input.Wrapper>
        <Input.Wrapper
          label="Actions"
          labelElement="div"
          description="At least one."
          error={actionsError}
        >
          <Stack gap="sm" mt="xs">
            <Group grow align="flex-start">
              <NativeSelect
                label="Set severity"
                value={severity}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setSeverity(isSeverity(value) ? value : '');
                }}
                data={[{ value: '', label: 'Keep the severity sent' }, ...SEVERITY_OPTIONS]}
              />
              <NativeSelect
                label="Route to service"
                value={routeTo}
                onChange={(e) => setRouteTo(e.currentTarget.value)}
                data={[
                  { value: '', label: 'Keep the integration’s service' },
                  ...teamServices.map((s) => ({ value: s.id, label: s.name })),
                ]}
              />
            </Group>
            <Checkbox
              label="Suppress"
              description="Store the alert, but open no incident and notify nobody."
              checked={suppress}
              onChange={(e) => setSuppress(e.currentTarget.checked)}
            />
            <Checkbox
              label="Drop"
              description="Discard the event: nothing is stored."
              checked={drop}
              onChange={(e) => setDrop(e.currentTarget.checked)}
            />
          </Stack>
        </Input.Wrapper>
        <Checkbox
          label="Enabled"
          checked={enabled}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
        />
        {teams.allowed.length === 0 && !teams.isPending ? (
          <Text size="sm" c="dimmed">
            Only team admins can create event rules.
          </Text>
        ) : null}
        <Group justify="flex-end">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" loading={createRule.isPending} disabled={!effectiveTeamId}>
            Create event rule
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
