import { Button, Group, Modal, MultiSelect, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useAddResponders } from '../../api/escalation';
import { ApiErrorAlert, fieldError, fieldErrorUnder } from '../../ui/api-error-alert';
import { usePeopleOptions } from './people-options';

interface AddRespondersFormProps {
  incidentId: string;
  teamId: string;
  onPaged: (names: string[]) => void;
  onCancel: () => void;
}

function AddRespondersForm({ incidentId, teamId, onPaged, onCancel }: AddRespondersFormProps) {
  // The incident's team: only they can open the incident they are paged about.
  const people = usePeopleOptions(teamId);
  const add = useAddResponders(incidentId);
  const [userIds, setUserIds] = useState<string[]>([]);
  const [message, setMessage] = useState('');

  const options = people.options;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    add.mutate({ userIds, message: message.trim() }, { onSuccess: (res) => onPaged(res.paged) });
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert
          error={add.error ?? people.error}
          title="Could not page the responders"
          fields={['message']}
          fieldPrefixes={['userIds']}
        />
        <MultiSelect
          label="Responders"
          description="They are paged now, at high urgency, through their notification rules."
          data={options}
          value={userIds}
          onChange={setUserIds}
          searchable
          hidePickedOptions
          nothingFoundMessage="Nobody else"
          error={fieldErrorUnder(add.error, 'userIds')}
        />
        <Textarea
          label="Message"
          description="What you need from them."
          autosize
          minRows={2}
          value={message}
          onChange={(e) => setMessage(e.currentTarget.value)}
          error={fieldError(add.error, 'message')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={add.isPending}
            disabled={userIds.length === 0 || message.trim() === ''}
          >
            Page responders
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface AddRespondersModalProps extends Omit<AddRespondersFormProps, 'onCancel'> {
  opened: boolean;
  onClose: () => void;
}

/** "Add responders": page more people for help with an incident, with a message. */
export function AddRespondersModal({ opened, onClose, ...props }: AddRespondersModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Add responders" size="lg">
      {opened ? <AddRespondersForm {...props} onCancel={onClose} /> : null}
    </Modal>
  );
}
