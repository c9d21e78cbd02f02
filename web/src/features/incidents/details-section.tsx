import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { useUpdateIncident } from '../../api/incidents';
import { useServices } from '../../api/services';
import type { IncidentDetail, IncidentSeverity, UpdateIncidentRequest } from '../../api/types';
import { ApiErrorAlert, fieldError, fieldErrorUnder } from '../../ui/api-error-alert';
import { FieldTable } from '../../ui/field-table';
import { formatDuration } from '../../ui/format';
import { useTeamAccess } from '../auth/team-access';
import { PRIORITY_OPTIONS, isPriority, serviceGroups } from './incident-form-options';
import { SOURCE_LABELS } from './incident-labels';
import { SeverityPicker } from './severity-picker';

/** A link only for http(s) addresses (the server accepts nothing else; this is belt and braces). */
function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

// --- Change severity ---

function SeverityForm({ incident, onDone }: { incident: IncidentDetail; onDone: () => void }) {
  const update = useUpdateIncident(incident.id);
  const [severity, setSeverity] = useState<IncidentSeverity | null>(incident.severity);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!severity) return;
    update.mutate({ severity }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert error={update.error} title="Could not change the severity" />
        <SeverityPicker value={severity} onChange={setSeverity} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={update.isPending}
            disabled={!severity || severity === incident.severity}
          >
            Save severity
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** "Change severity": the picker, with each severity's definition. */
export function SeverityModal({
  incident,
  opened,
  onClose,
}: {
  incident: IncidentDetail;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Change severity" size="lg">
      {opened ? <SeverityForm incident={incident} onDone={onClose} /> : null}
    </Modal>
  );
}

// --- Edit details ---

function DetailsForm({ incident, onDone }: { incident: IncidentDetail; onDone: () => void }) {
  const update = useUpdateIncident(incident.id);
  const services = useServices();
  const [title, setTitle] = useState(incident.title);
  const [description, setDescription] = useState(incident.description);
  const [priority, setPriority] = useState<string>(incident.priority ?? '');
  const [serviceIds, setServiceIds] = useState<string[]>(() => incident.services.map((s) => s.id));
  const [businessImpact, setBusinessImpact] = useState(incident.businessImpact);
  const [customerImpacting, setCustomerImpacting] = useState(incident.customerImpacting);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Only what changed, so that the timeline records only real changes.
    const patch: UpdateIncidentRequest = {};
    if (title.trim() !== incident.title) patch.title = title.trim();
    if (description !== incident.description) patch.description = description;
    const nextPriority = isPriority(priority) ? priority : null;
    if (nextPriority !== incident.priority) patch.priority = nextPriority;
    if (serviceIds.join(',') !== incident.services.map((s) => s.id).join(','))
      patch.serviceIds = serviceIds;
    if (businessImpact !== incident.businessImpact) patch.businessImpact = businessImpact;
    if (customerImpacting !== incident.customerImpacting)
      patch.customerImpacting = customerImpacting;
    if (Object.keys(patch).length === 0) return onDone();
    update.mutate(patch, { onSuccess: onDone });
  };

  // The services picker knows the services the caller can read; others keep their stored name.
  const known = serviceGroups(services.data ?? []);
  const unknown = incident.services
    .filter((s) => !(services.data ?? []).some((x) => x.id === s.id))
    .map((s) => ({ value: s.id, label: s.name }));
  const data = unknown.length ? [...known, { group: 'Other', items: unknown }] : known;

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert
          error={update.error ?? services.error}
          title="Could not save the incident"
          fields={['title', 'description', 'priority', 'businessImpact']}
          fieldPrefixes={['serviceIds']}
        />
        <TextInput
          label="Title"
          withAsterisk
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={fieldError(update.error, 'title')}
        />
        <Textarea
          label="Description"
          autosize
          minRows={2}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={fieldError(update.error, 'description')}
        />
        <MultiSelect
          label="Services"
          description="The first one owns the incident; the others are impacted."
          data={data}
          value={serviceIds}
          onChange={setServiceIds}
          searchable
          hidePickedOptions
          error={fieldErrorUnder(update.error, 'serviceIds')}
        />
        <Textarea
          label="Business impact"
          autosize
          minRows={2}
          value={businessImpact}
          onChange={(e) => setBusinessImpact(e.currentTarget.value)}
          error={fieldError(update.error, 'businessImpact')}
        />
        <Group align="flex-end">
          <NativeSelect
            label="Priority"
            value={priority}
            onChange={(e) => setPriority(e.currentTarget.value)}
            data={PRIORITY_OPTIONS}
            error={fieldError(update.error, 'priority')}
          />
          <Checkbox
            label="Customer-impacting"
            mb={8}
            checked={customerImpacting}
            onChange={(e) => setCustomerImpacting(e.currentTarget.checked)}
          />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={update.isPending}
            disabled={title.trim() === '' || serviceIds.length === 0}
          >
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

// --- Conference link, edited in place ---

function ConferenceLink({ incident, canEdit }: { incident: IncidentDetail; canEdit: boolean }) {
  const update = useUpdateIncident(incident.id);
  const [editing, setEditing] = useState(false);
  const [url, setUrl] = useState('');

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    update.mutate({ conferenceUrl: url.trim() || null }, { onSuccess: () => setEditing(false) });
  };

  if (editing) {
    return (
      <form onSubmit={onSubmit} noValidate aria-label="Conference link">
        <Group gap="xs" align="flex-start" wrap="nowrap">
          <TextInput
            aria-label="Conference link"
            type="url"
            placeholder="https://meet.example.com/…"
            size="xs"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            error={
              update.error
                ? (fieldError(update.error, 'conferenceUrl') ?? update.error.message)
                : undefined
            }
            style={{ flex: 1 }}
            data-autofocus
          />
          <Button type="submit" size="xs" loading={update.isPending}>
            Save link
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={() => {
              update.reset();
              setEditing(false);
            }}
          >
            Cancel
          </Button>
        </Group>
      </form>
    );
  }
  return (
    <Group gap="xs">
      {incident.conferenceUrl && isWebUrl(incident.conferenceUrl) ? (
        <Anchor href={incident.conferenceUrl} target="_blank" rel="noopener noreferrer">
          {incident.conferenceUrl}
        </Anchor>
      ) : (
        <Text span size="sm" c="dimmed">
          None
        </Text>
      )}
      {canEdit ? (
        <Button
          size="compact-xs"
          variant="subtle"
          aria-label="Edit conference link"
          onClick={() => {
            setUrl(incident.conferenceUrl ?? '');
            setEditing(true);
          }}
        >
          Edit
        </Button>
      ) : null}
    </Group>
  );
}

function WarRoom({ incident }: { incident: IncidentDetail }) {
  const room = incident.warRoom;
  if (!room)
    return (
      <Text span size="sm" c="dimmed">
        None
      </Text>
    );
  if ('error' in room)
    return (
      <Text span size="sm" c="red">
        Could not open: {room.error}
      </Text>
    );
  return (
    <Text span size="sm" fw={500}>
      Slack #{room.channelName}
    </Text>
  );
}

function duration(ms: number | null): string {
  return ms === null ? '—' : formatDuration(ms);
}

/** What the incident is about, its impact, where responders meet, and how fast it went. */
export function DetailsSection({ incident }: { incident: IncidentDetail }) {
  const access = useTeamAccess(incident.teamId);
  const [editOpened, { open: openEdit, close: closeEdit }] = useDisclosure(false);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="incident-details">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Title order={2} size="h3" id="incident-details">
          Details
        </Title>
        {access.canRespond ? (
          <Button variant="light" onClick={openEdit}>
            Edit details
          </Button>
        ) : null}
      </Group>
      <FieldTable
        label="Incident details"
        rows={[
          {
            label: 'Description',
            value: incident.description ? (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {incident.description}
              </Text>
            ) : (
              <Text span size="sm" c="dimmed">
                None
              </Text>
            ),
          },
          {
            label: 'Services',
            value: (
              <Group gap="xs">
                {incident.services.map((s, i) => (
                  <Group key={s.id} gap={4}>
                    <Anchor component={Link} to={`/services/${s.id}`} size="sm">
                      {s.name}
                    </Anchor>
                    {i === 0 && incident.services.length > 1 ? (
                      <Text span size="xs" c="dimmed">
                        (owner)
                      </Text>
                    ) : null}
                  </Group>
                ))}
              </Group>
            ),
          },
          {
            label: 'Business impact',
            value: (
              <Group gap="xs">
                {incident.customerImpacting ? (
                  <Badge color="red" variant="light" style={{ textTransform: 'none' }}>
                    Customer-impacting
                  </Badge>
                ) : null}
                <Text span size="sm" c={incident.businessImpact ? undefined : 'dimmed'}>
                  {incident.businessImpact || (incident.customerImpacting ? '' : 'None stated')}
                </Text>
              </Group>
            ),
          },
          {
            label: 'Conference link',
            value: <ConferenceLink incident={incident} canEdit={access.canRespond} />,
          },
          { label: 'War room', value: <WarRoom incident={incident} /> },
          {
            label: 'Source',
            value: `${SOURCE_LABELS[incident.source] ?? incident.source}${
              incident.declaredBy ? `, declared by ${incident.declaredBy}` : ''
            }`,
          },
          {
            label: 'Response times',
            value: (
              <Group gap="lg" aria-label="Response times">
                <Text span size="sm">
                  To acknowledge: <b>{duration(incident.times.toAcknowledgeMs)}</b>
                </Text>
                <Text span size="sm">
                  To mitigate: <b>{duration(incident.times.toMitigateMs)}</b>
                </Text>
                <Text span size="sm">
                  To resolve: <b>{duration(incident.times.toResolveMs)}</b>
                </Text>
              </Group>
            ),
          },
        ]}
      />
      <Modal opened={editOpened} onClose={closeEdit} title="Edit incident" size="lg">
        {editOpened ? <DetailsForm incident={incident} onDone={closeEdit} /> : null}
      </Modal>
    </Paper>
  );
}
