import { Button, Group, Modal, MultiSelect, NativeSelect, Stack } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useEscalationPolicies, useReassignIncident } from '../../api/escalation';
import { ApiErrorAlert, fieldError, fieldErrorUnder } from '../../ui/api-error-alert';
import { ChoiceRadios } from '../alerts/choice-radios';
import { usePeopleOptions } from './people-options';

type ReassignTo = 'people' | 'policy';

const TO_OPTIONS: readonly { value: ReassignTo; label: string }[] = [
  { value: 'people', label: 'People' },
  { value: 'policy', label: 'Escalation policy' },
];

interface ReassignFormProps {
  incidentId: string;
  teamId: string;
  /** The policy escalating the incident now, if any. */
  currentPolicyId: string | null;
  onReassigned: (to: ReassignTo) => void;
  onCancel: () => void;
}

function ReassignForm({
  incidentId,
  teamId,
  currentPolicyId,
  onReassigned,
  onCancel,
}: ReassignFormProps) {
  // The incident's team: only they can open the incident they are reassigned.
  const people = usePeopleOptions(teamId);
  const policies = useEscalationPolicies(teamId);
  const reassign = useReassignIncident(incidentId);
  const [to, setTo] = useState<ReassignTo>('people');
  const [userIds, setUserIds] = useState<string[]>([]);
  const [policyId, setPolicyId] = useState('');

  const userOptions = people.options;
  const policyOptions = (policies.data ?? [])
    .filter((p) => p.teamId === teamId)
    .map((p) => ({
      value: p.id,
      label: p.id === currentPolicyId ? `${p.name} (current: restarts it)` : p.name,
    }));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    reassign.mutate(to === 'people' ? { userIds } : { policyId }, {
      onSuccess: () => onReassigned(to),
    });
  };

  const ready = to === 'people' ? userIds.length > 0 : policyId !== '';

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert
          error={reassign.error ?? people.error ?? policies.error}
          title="Could not reassign the incident"
          fields={['policyId']}
          fieldPrefixes={['userIds']}
        />
        <ChoiceRadios label="Reassign to" options={TO_OPTIONS} value={to} onChange={setTo} />
        {to === 'people' ? (
          <MultiSelect
            label="People"
            description="They are paged now (an acknowledged incident is triggered again), and the escalation policy stops escalating."
            data={userOptions}
            value={userIds}
            onChange={setUserIds}
            searchable
            hidePickedOptions
            nothingFoundMessage="Nobody else"
            error={fieldErrorUnder(reassign.error, 'userIds')}
          />
        ) : (
          <NativeSelect
            label="Escalation policy"
            description="Escalation restarts now from the policy's first level (an acknowledged incident is triggered again)."
            value={policyId}
            onChange={(e) => setPolicyId(e.currentTarget.value)}
            disabled={policies.isPending}
            error={fieldError(reassign.error, 'policyId')}
            data={[
              {
                value: '',
                label: policyOptions.length ? 'Pick a policy' : 'The team has no policies',
                disabled: true,
              },
              ...policyOptions,
            ]}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={reassign.isPending} disabled={!ready}>
            Reassign
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface ReassignModalProps extends Omit<ReassignFormProps, 'onCancel'> {
  opened: boolean;
  onClose: () => void;
}

/** "Reassign": hand an incident to people, or to another escalation policy of its team. */
export function ReassignModal({ opened, onClose, ...props }: ReassignModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Reassign incident" size="lg">
      {opened ? <ReassignForm {...props} onCancel={onClose} /> : null}
    </Modal>
  );
}
