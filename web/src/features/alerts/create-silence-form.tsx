import { Button, Group, Input, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCreateSilence } from '../../api/silences';
import type { Silence } from '../../api/types';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { formatDateTime, fromDateTimeLocal, toDateTimeLocal } from '../../ui/format';
import { useNow } from '../../ui/use-now';
import { useTeamsWith } from '../auth/team-access';
import { ChoiceRadios } from './choice-radios';
import { DURATION_OPTIONS, presetMs } from './durations';
import type { DurationChoice } from './durations';
import { completeMatchers, newMatcherRow, toMatchers } from './matchers';
import type { MatcherRow } from './matchers';
import { MatchersEditor } from './matchers-editor';
import { SilencePreview } from './silence-preview';
import { TeamSelect } from './team-select';

const FIELDS = ['teamId', 'startsAt', 'endsAt', 'comment'] as const;

export interface SilenceDraft {
  teamId?: string;
  rows?: MatcherRow[];
}

interface CreateSilenceFormProps {
  initial?: SilenceDraft;
  onCreated: (silence: Silence) => void;
  onCancel?: () => void;
}

/** A new silence: team, matchers, how long, why; with a live preview of what it would mute. */
export function CreateSilenceForm({ initial, onCreated, onCancel }: CreateSilenceFormProps) {
  const teams = useTeamsWith('responder');
  const createSilence = useCreateSilence();
  const now = useNow(15_000);
  const [teamId, setTeamId] = useState(initial?.teamId ?? '');
  const [rows, setRows] = useState<MatcherRow[]>(() => initial?.rows ?? [newMatcherRow()]);
  const [duration, setDuration] = useState<DurationChoice>('2h');
  const [endsAt, setEndsAt] = useState(() => toDateTimeLocal(Date.now() + 2 * 3_600_000));
  const [comment, setComment] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);

  // Until a team is picked, the first one the user can act for.
  const effectiveTeamId = teamId || teams.allowed[0]?.id || '';
  const preset = presetMs(duration);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const end = preset !== null ? Date.now() + preset : fromDateTimeLocal(endsAt);
    if (end === null) {
      setLocalError('Pick when the silence ends.');
      return;
    }
    setLocalError(null);
    createSilence.mutate(
      { teamId: effectiveTeamId, matchers: toMatchers(rows), endsAt: end, comment: comment.trim() },
      { onSuccess: onCreated },
    );
  };

  const endsAtError = localError ?? fieldError(createSilence.error, 'endsAt');

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert
          error={createSilence.error ?? teams.error}
          title="Could not create the silence"
          fields={FIELDS}
          fieldPrefixes={['matchers']}
        />
        <TeamSelect
          teams={teams.allowed}
          value={effectiveTeamId}
          onChange={setTeamId}
          error={fieldError(createSilence.error, 'teamId')}
        />
        <Input.Wrapper
          label="Matchers"
          labelElement="div"
          description="An alert is muted when all of them hold for its labels. Regexes match the whole value."
        >
          <div style={{ marginTop: 8 }}>
            <MatchersEditor rows={rows} onChange={setRows} error={createSilence.error} />
          </div>
        </Input.Wrapper>
        <ChoiceRadios
          label="Duration"
          options={DURATION_OPTIONS}
          value={duration}
          onChange={setDuration}
          description={
            preset !== null ? `Ends about ${formatDateTime(now + preset)}.` : 'Pick the end below.'
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
            error={endsAtError}
          />
        ) : endsAtError ? (
          <Text size="sm" c="red">
            {endsAtError}
          </Text>
        ) : null}
        <Textarea
          label="Comment"
          name="comment"
          description="Why, and for whom: it is shown next to every alert the silence mutes."
          autosize
          minRows={2}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          error={fieldError(createSilence.error, 'comment')}
        />
        <SilencePreview teamId={effectiveTeamId} matchers={completeMatchers(rows)} />
        <Group justify="flex-end">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" loading={createSilence.isPending} disabled={!effectiveTeamId}>
            Create silence
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
