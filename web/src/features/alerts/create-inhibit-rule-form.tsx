import { Button, Group, Input, Stack, TagsInput, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCreateInhibitRule } from '../../api/rules';
import type { InhibitRule } from '../../api/types';
import { ApiErrorAlert, fieldError, fieldErrorUnder } from '../../ui/api-error-alert';
import { useTeamsWith } from '../auth/team-access';
import { newMatcherRow, toMatchers } from './matchers';
import type { MatcherRow } from './matchers';
import { MatchersEditor } from './matchers-editor';
import { TeamSelect } from './team-select';

const FIELDS = ['teamId', 'name'] as const;

interface CreateInhibitRuleFormProps {
  onCreated: (rule: InhibitRule) => void;
  onCancel?: () => void;
}

/** A new inhibition rule: a source alert mutes target alerts that share the `equal` labels. */
export function CreateInhibitRuleForm({ onCreated, onCancel }: CreateInhibitRuleFormProps) {
  const teams = useTeamsWith('admin');
  const createRule = useCreateInhibitRule();
  const [teamId, setTeamId] = useState('');
  const [name, setName] = useState('');
  const [sourceRows, setSourceRows] = useState<MatcherRow[]>(() => [newMatcherRow()]);
  const [targetRows, setTargetRows] = useState<MatcherRow[]>(() => [newMatcherRow()]);
  const [equal, setEqual] = useState<string[]>([]);

  const effectiveTeamId = teamId || teams.allowed[0]?.id || '';

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    createRule.mutate(
      {
        teamId: effectiveTeamId,
        name: name.trim(),
        sourceMatchers: toMatchers(sourceRows),
        targetMatchers: toMatchers(targetRows),
        equal,
      },
      { onSuccess: onCreated },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert
          error={createRule.error ?? teams.error}
          title="Could not create the inhibition rule"
          fields={FIELDS}
          fieldPrefixes={['sourceMatchers', 'targetMatchers', 'equal']}
        />
        <TeamSelect
          teams={teams.allowed}
          value={effectiveTeamId}
          onChange={setTeamId}
          error={fieldError(createRule.error, 'teamId')}
        />
        <TextInput
          label="Rule name"
          name="name"
          autoComplete="off"
          placeholder="e.g. Cluster down mutes its service alerts"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError(createRule.error, 'name')}
        />
        <Input.Wrapper
          label="Source matchers"
          labelElement="div"
          description="While an open, unmuted alert matches these…"
        >
          <div style={{ marginTop: 8 }}>
            <MatchersEditor
              rows={sourceRows}
              onChange={setSourceRows}
              label="Source matcher"
              field="sourceMatchers"
              error={createRule.error}
            />
          </div>
        </Input.Wrapper>
        <Input.Wrapper
          label="Target matchers"
          labelElement="div"
          description="…alerts matching these are muted,"
        >
          <div style={{ marginTop: 8 }}>
            <MatchersEditor
              rows={targetRows}
              onChange={setTargetRows}
              label="Target matcher"
              field="targetMatchers"
              error={createRule.error}
            />
          </div>
        </Input.Wrapper>
        <TagsInput
          label="Equal labels"
          description="…when they have the same values as the source for these labels (Enter after each)."
          placeholder="cluster"
          value={equal}
          onChange={setEqual}
          error={fieldErrorUnder(createRule.error, 'equal', equal)}
        />
        <Group justify="flex-end">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" loading={createRule.isPending} disabled={!effectiveTeamId}>
            Create inhibition rule
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
