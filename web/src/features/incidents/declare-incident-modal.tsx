import {
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NativeSelect,
  Select,
  Stack,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useDeclareIncident } from '../../api/incidents';
import { useServices } from '../../api/services';
import type { Incident, IncidentSeverity } from '../../api/types';
import { ApiErrorAlert, fieldError, fieldErrorUnder } from '../../ui/api-error-alert';
import { PRIORITY_OPTIONS, isPriority, serviceGroups } from './incident-form-options';
import { usePeopleOptions } from './people-options';
import { SeverityPicker } from './severity-picker';

interface DeclareFormProps {
  onDeclared: (incident: Incident) => void;
  onCancel: () => void;
}

function DeclareForm({ onDeclared, onCancel }: DeclareFormProps) {
  const services = useServices();
  const declare = useDeclareIncident();
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<IncidentSeverity | null>(null);
  const [priority, setPriority] = useState('');
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const [businessImpact, setBusinessImpact] = useState('');
  const [customerImpacting, setCustomerImpacting] = useState(false);
  const [commanderId, setCommanderId] = useState<string | null>(null);
  const [conferenceUrl, setConferenceUrl] = useState('');

  // The first service owns the incident: its team responds, and the commander comes from it.
  const owner = (services.data ?? []).find((s) => s.id === serviceIds[0]);
  const people = usePeopleOptions(owner?.teamId ?? '');

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!severity) return;
    declare.mutate(
      {
        title: title.trim(),
        severity,
        priority: isPriority(priority) ? priority : null,
        serviceIds,
        description: description.trim(),
        businessImpact: businessImpact.trim(),
        customerImpacting,
        ...(commanderId ? { commanderId } : {}),
        conferenceUrl: conferenceUrl.trim() || null,
      },
      { onSuccess: onDeclared },
    );
  };

  const ready = title.trim() !== '' && severity !== null && serviceIds.length > 0;

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert
          error={declare.error ?? services.error}
          title="Could not declare the incident"
          fields={[
            'title',
            'severity',
            'priority',
            'description',
            'businessImpact',
            'commanderId',
            'conferenceUrl',
          ]}
          fieldPrefixes={['serviceIds']}
        />
        <TextInput
          label="Title"
          description="What is wrong, as people will search for it."
          withAsterisk
          data-autofocus
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={fieldError(declare.error, 'title')}
        />
        <SeverityPicker
          value={severity}
          onChange={setSeverity}
          description="SEV1 and SEV2 page the owning service's on-call now; SEV3 wakes nobody."
          error={fieldError(declare.error, 'severity')}
        />
        <MultiSelect
          label="Services"
          description="The first one owns the incident (its team responds); the others are impacted."
          withAsterisk
          data={serviceGroups(services.data ?? [])}
          value={serviceIds}
          onChange={setServiceIds}
          searchable
          hidePickedOptions
          nothingFoundMessage="No such service"
          error={fieldErrorUnder(declare.error, 'serviceIds')}
        />
        <Textarea
          label="Description"
          autosize
          minRows={2}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={fieldError(declare.error, 'description')}
        />
        <Textarea
          label="Business impact"
          description="Who is affected and how: customers, revenue, internal teams."
          autosize
          minRows={2}
          value={businessImpact}
          onChange={(e) => setBusinessImpact(e.currentTarget.value)}
          error={fieldError(declare.error, 'businessImpact')}
        />
        <Checkbox
          label="Customer-impacting"
          checked={customerImpacting}
          onChange={(e) => setCustomerImpacting(e.currentTarget.checked)}
        />
        <Group grow align="flex-start">
          <NativeSelect
            label="Priority"
            value={priority}
            onChange={(e) => setPriority(e.currentTarget.value)}
            data={PRIORITY_OPTIONS}
            error={fieldError(declare.error, 'priority')}
          />
          <Select
            label="Incident commander"
            description={owner ? 'Paged when assigned.' : 'Pick the services first.'}
            placeholder="Nobody yet"
            data={people.options}
            value={commanderId}
            onChange={setCommanderId}
            disabled={!owner}
            searchable
            clearable
            nothingFoundMessage="Nobody"
            error={fieldError(declare.error, 'commanderId')}
          />
        </Group>
        <TextInput
          label="Conference link"
          description="Where responders meet (video call)."
          type="url"
          placeholder="https://meet.example.com/…"
          value={conferenceUrl}
          onChange={(e) => setConferenceUrl(e.currentTarget.value)}
          error={fieldError(declare.error, 'conferenceUrl')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={declare.isPending} disabled={!ready}>
            Declare incident
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface DeclareIncidentModalProps extends Omit<DeclareFormProps, 'onCancel'> {
  opened: boolean;
  onClose: () => void;
}

/** "Declare incident": open an incident by hand, classified, on one or more services. */
export function DeclareIncidentModal({ opened, onClose, ...props }: DeclareIncidentModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Declare incident" size="lg">
      {opened ? <DeclareForm {...props} onCancel={onClose} /> : null}
    </Modal>
  );
}
