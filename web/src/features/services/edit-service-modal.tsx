import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useEscalationPolicies } from '../../api/escalation';
import { useServices, useUpdateService } from '../../api/services';
import { ALERT_ROUTES, SEVERITIES } from '../../api/types';
import type { AlertRoute, Service, SeverityRouting } from '../../api/types';
import { ApiErrorAlert, fieldError, fieldErrorUnder } from '../../ui/api-error-alert';
import { ROUTE_EXPLANATIONS, ROUTE_LABELS, SEVERITY_LABELS } from '../alerts/signal-labels';

const ROUTE_OPTIONS = ALERT_ROUTES.map((r) => ({ value: r, label: ROUTE_LABELS[r] }));

function isRoute(value: string): value is AlertRoute {
  return (ALERT_ROUTES as readonly string[]).includes(value);
}

interface EditServiceFormProps {
  service: Service;
  onDone: () => void;
}

function EditServiceForm({ service, onDone }: EditServiceFormProps) {
  const update = useUpdateService(service.id);
  const services = useServices();
  const policies = useEscalationPolicies(service.teamId);
  const [name, setName] = useState(service.name);
  const [description, setDescription] = useState(service.description ?? '');
  const [tags, setTags] = useState<string[]>(service.tags);
  const [dependsOn, setDependsOn] = useState<string[]>(service.dependsOn);
  const [routing, setRouting] = useState<SeverityRouting>(service.settings.routing);
  const [groupBy, setGroupBy] = useState<string[]>(service.settings.groupBy);
  const [autoResolve, setAutoResolve] = useState(service.settings.autoResolve);
  const [emails, setEmails] = useState<string[]>(service.settings.notifyEmails);
  const [slack, setSlack] = useState(service.settings.notifySlackChannel ?? '');
  const [policyId, setPolicyId] = useState(service.escalationPolicyId ?? '');
  // Empty: no acknowledgement timeout.
  const [ackTimeout, setAckTimeout] = useState<string | number>(
    service.settings.ackTimeoutMinutes ?? '',
  );

  const others = (services.data ?? []).filter((s) => s.id !== service.id);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    update.mutate(
      {
        name: name.trim(),
        description: description.trim(),
        tags,
        dependsOn,
        // Sent only when changed, so that saving other fields never touches paging.
        ...(policyId !== (service.escalationPolicyId ?? '')
          ? { escalationPolicyId: policyId || null }
          : {}),
        settings: {
          routing,
          groupBy,
          autoResolve,
          notifyEmails: emails,
          notifySlackChannel: slack.trim() || null,
          ackTimeoutMinutes: ackTimeout === '' ? null : Number(ackTimeout),
        },
      },
      { onSuccess: onDone },
    );
  };

  const err = update.error;

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert
          error={err}
          title="Could not save the service"
          fields={['name', 'description', 'escalationPolicyId']}
          fieldPrefixes={['tags', 'dependsOn', 'settings']}
        />
        <TextInput
          label="Service name"
          name="name"
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError(err, 'name')}
        />
        <Textarea
          label="Service description"
          name="description"
          autosize
          minRows={2}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={fieldError(err, 'description')}
        />
        <TagsInput
          label="Tags"
          description="Press Enter after each."
          value={tags}
          onChange={setTags}
          error={fieldErrorUnder(err, 'tags', tags)}
        />
        <Checkbox.Group
          label="Depends on"
          description="Services this one needs to work."
          value={dependsOn}
          onChange={setDependsOn}
          error={fieldErrorUnder(err, 'dependsOn')}
        >
          {others.length ? (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6} mt="xs">
              {others.map((s) => (
                <Checkbox key={s.id} value={s.id} label={s.name} />
              ))}
            </SimpleGrid>
          ) : (
            <Text size="sm" c="dimmed" mt="xs">
              No other services.
            </Text>
          )}
        </Checkbox.Group>

        <NativeSelect
          label="Escalation policy"
          description="Who is paged for this service's incidents. Without one, nobody is paged."
          value={policyId}
          onChange={(e) => setPolicyId(e.currentTarget.value)}
          disabled={policies.isPending}
          error={
            fieldError(err, 'escalationPolicyId') ??
            (policies.error ? 'Could not load the policies.' : undefined)
          }
          data={[
            { value: '', label: 'None: pages nobody' },
            ...(policies.data ?? [])
              .filter((p) => p.teamId === service.teamId)
              .map((p) => ({ value: p.id, label: p.name })),
            // A policy this list cannot show still reads as set, not as "None".
            ...(policyId && policies.data && !policies.data.some((p) => p.id === policyId)
              ? [{ value: policyId, label: 'A policy you cannot see' }]
              : []),
          ]}
        />

        <Fieldset legend="Severity routing">
          <Stack gap="sm">
            {SEVERITIES.map((severity) => (
              <NativeSelect
                key={severity}
                label={`${SEVERITY_LABELS[severity]} alerts`}
                description={ROUTE_EXPLANATIONS[routing[severity]]}
                data={ROUTE_OPTIONS}
                value={routing[severity]}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  if (isRoute(value)) setRouting((prev) => ({ ...prev, [severity]: value }));
                }}
                error={fieldError(err, `settings.routing.${severity}`)}
              />
            ))}
            {fieldError(err, 'settings.routing') ? (
              <Text size="sm" c="red">
                {fieldError(err, 'settings.routing')}
              </Text>
            ) : null}
          </Stack>
        </Fieldset>

        <TagsInput
          label="Group by labels"
          description="Alerts with the same values for these labels join one open incident. None: each alert gets its own."
          value={groupBy}
          onChange={setGroupBy}
          error={fieldErrorUnder(err, 'settings.groupBy', groupBy)}
        />
        <NumberInput
          label="Acknowledgement timeout (minutes)"
          description="An incident still acknowledged this long after its acknowledgement is triggered again, and escalation restarts at the first level. 1 to 1440; empty: never."
          placeholder="Never"
          min={1}
          max={1440}
          allowDecimal={false}
          allowNegative={false}
          value={ackTimeout}
          onChange={setAckTimeout}
          error={fieldError(err, 'settings.ackTimeoutMinutes')}
        />
        <Switch
          label="Auto-resolve"
          description="Resolve an incident when all its alerts have resolved."
          checked={autoResolve}
          onChange={(e) => setAutoResolve(e.currentTarget.checked)}
          error={fieldError(err, 'settings.autoResolve')}
        />
        <Fieldset legend="Distribution list">
          <Stack gap="sm">
            <TagsInput
              label="Distribution list emails"
              description="Told about incidents routed to “notify”. Press Enter after each address."
              value={emails}
              onChange={setEmails}
              error={fieldErrorUnder(err, 'settings.notifyEmails', emails)}
            />
            <TextInput
              label="Slack channel"
              placeholder="#payments-alerts"
              autoComplete="off"
              value={slack}
              onChange={(e) => setSlack(e.currentTarget.value)}
              error={fieldError(err, 'settings.notifySlackChannel')}
            />
          </Stack>
        </Fieldset>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface EditServiceModalProps {
  service: Service;
  opened: boolean;
  onClose: () => void;
}

/** The "Edit service" dialog (team admins): PATCH /api/services/:id. */
export function EditServiceModal({ service, opened, onClose }: EditServiceModalProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Edit service"
      size="lg"
      closeOnClickOutside={false}
    >
      {/* Mounted only while open, so that each opening starts from the saved service. */}
      {opened ? <EditServiceForm service={service} onDone={onClose} /> : null}
    </Modal>
  );
}
