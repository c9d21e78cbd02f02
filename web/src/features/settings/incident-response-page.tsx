import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useResponseSettings, useSaveResponseSettings } from '../../api/response';
import { useServices } from '../../api/services';
import { useTeams } from '../../api/teams';
import type {
  IncidentSeverity,
  ResponseSettings,
  RoleDefinition,
  SeverityDefinition,
} from '../../api/types';
import { ApiErrorAlert, fieldErrorUnder } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { SuccessNote } from '../../ui/success-note';
import { OrgAdminOnly } from './org-admin-only';

/** The form's state: checklists as text (one item per line), minutes as input values. */
interface Draft {
  severities: SeverityDefinition[];
  roles: (Omit<RoleDefinition, 'checklist'> & { checklist: string })[];
  reminderMinutes: Record<IncidentSeverity, number | string>;
  warRoomSeverities: IncidentSeverity[];
  ticketTeamId: string;
  ticketServiceId: string;
}

function toDraft(settings: ResponseSettings): Draft {
  return {
    severities: settings.severities.map((s) => ({ ...s })),
    roles: settings.roles.map((r) => ({ ...r, checklist: r.checklist.join('\n') })),
    reminderMinutes: {
      SEV1: settings.reminderMinutes.SEV1 ?? '',
      SEV2: settings.reminderMinutes.SEV2 ?? '',
      SEV3: settings.reminderMinutes.SEV3 ?? '',
    },
    warRoomSeverities: [...settings.warRoomSeverities],
    ticketTeamId: settings.ticketTeamId ?? '',
    ticketServiceId: settings.ticketServiceId ?? '',
  };
}

function minutes(value: number | string): number | null {
  return value === '' ? null : Number(value);
}

function fromDraft(draft: Draft): ResponseSettings {
  return {
    severities: draft.severities.map((s) => ({
      id: s.id,
      name: s.name.trim(),
      description: s.description.trim(),
    })),
    roles: draft.roles.map((r) => ({
      id: r.id,
      name: r.name.trim(),
      description: r.description.trim(),
      checklist: r.checklist
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    })),
    reminderMinutes: {
      SEV1: minutes(draft.reminderMinutes.SEV1),
      SEV2: minutes(draft.reminderMinutes.SEV2),
      SEV3: minutes(draft.reminderMinutes.SEV3),
    },
    warRoomSeverities: draft.warRoomSeverities,
    ticketTeamId: draft.ticketTeamId || null,
    ticketServiceId: draft.ticketServiceId || null,
  };
}

function SettingsForm({ settings }: { settings: ResponseSettings }) {
  const save = useSaveResponseSettings();
  const teams = useTeams();
  const services = useServices();
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings));
  const [saved, setSaved] = useState(false);

  const change = (patch: Partial<Draft>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...patch }));
  };
  const changeSeverity = (index: number, patch: Partial<SeverityDefinition>) =>
    change({ severities: draft.severities.map((s, i) => (i === index ? { ...s, ...patch } : s)) });
  const changeRole = (index: number, patch: Partial<Draft['roles'][number]>) =>
    change({ roles: draft.roles.map((r, i) => (i === index ? { ...r, ...patch } : r)) });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    save.mutate(fromDraft(draft), {
      onSuccess: (next) => {
        setDraft(toDraft(next));
        setSaved(true);
      },
    });
  };

  const teamServices = (services.data ?? []).filter(
    (s) => !draft.ticketTeamId || s.teamId === draft.ticketTeamId,
  );

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Incident response settings">
      <Stack gap="lg">
        {saved ? (
          <SuccessNote onClose={() => setSaved(false)}>
            Incident response settings saved.
          </SuccessNote>
        ) : null}
        <ApiErrorAlert
          error={save.error ?? teams.error ?? services.error}
          title="Could not save the settings"
          onClose={() => save.reset()}
        />

        <Paper
          withBorder
          p="md"
          radius="md"
          component="section"
          aria-labelledby="settings-severities"
        >
          <Title order={3} id="settings-severities" mb={4}>
            Severities
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Shown wherever people classify an incident. SEV1 and SEV2 page on-call; SEV3 wakes
            nobody. The commander is reminded when no stakeholder update has been posted for the
            interval.
          </Text>
          <Stack gap="md">
            {draft.severities.map((s, i) => (
              <Paper
                key={s.id}
                withBorder
                p="sm"
                radius="md"
                component="fieldset"
                aria-label={s.id}
                m={0}
              >
                <Text fw={700} mb="xs">
                  {s.id}
                </Text>
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                  <TextInput
                    label={`${s.id} name`}
                    value={s.name}
                    onChange={(e) => changeSeverity(i, { name: e.currentTarget.value })}
                    error={fieldErrorUnder(save.error, `severities.${i}.name`)}
                    maxLength={100}
                  />
                  <NumberInput
                    label={`${s.id} update reminder (minutes)`}
                    description="Empty: never remind."
                    allowDecimal={false}
                    min={5}
                    max={1440}
                    value={draft.reminderMinutes[s.id]}
                    onChange={(value) =>
                      change({ reminderMinutes: { ...draft.reminderMinutes, [s.id]: value } })
                    }
                    error={fieldErrorUnder(save.error, `reminderMinutes.${s.id}`)}
                  />
                </SimpleGrid>
                <Textarea
                  mt="sm"
                  label={`${s.id} definition`}
                  autosize
                  minRows={2}
                  value={s.description}
                  onChange={(e) => changeSeverity(i, { description: e.currentTarget.value })}
                  error={fieldErrorUnder(save.error, `severities.${i}.description`)}
                  maxLength={1000}
                />
                <Checkbox
                  mt="sm"
                  label={`Open a Slack war room for ${s.id}`}
                  checked={draft.warRoomSeverities.includes(s.id)}
                  onChange={(e) =>
                    change({
                      warRoomSeverities: e.currentTarget.checked
                        ? [...draft.warRoomSeverities, s.id]
                        : draft.warRoomSeverities.filter((x) => x !== s.id),
                    })
                  }
                />
              </Paper>
            ))}
          </Stack>
        </Paper>

        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="settings-roles">
          <Title order={3} id="settings-roles" mb={4}>
            Roles
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Each incident shows every role with its description; the checklist is copied onto each
            new incident, where responders tick items and add their own.
          </Text>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {draft.roles.map((r, i) => (
              <Paper
                key={r.id}
                withBorder
                p="sm"
                radius="md"
                component="fieldset"
                aria-label={r.name || r.id}
                m={0}
              >
                <Stack gap="sm">
                  <TextInput
                    label="Role name"
                    value={r.name}
                    onChange={(e) => changeRole(i, { name: e.currentTarget.value })}
                    error={fieldErrorUnder(save.error, `roles.${i}.name`)}
                    maxLength={100}
                  />
                  <Textarea
                    label="Description"
                    autosize
                    minRows={2}
                    value={r.description}
                    onChange={(e) => changeRole(i, { description: e.currentTarget.value })}
                    error={fieldErrorUnder(save.error, `roles.${i}.description`)}
                    maxLength={1000}
                  />
                  <Textarea
                    label="Checklist template"
                    description="One item per line."
                    autosize
                    minRows={3}
                    value={r.checklist}
                    onChange={(e) => changeRole(i, { checklist: e.currentTarget.value })}
                    error={fieldErrorUnder(save.error, `roles.${i}.checklist`)}
                  />
                </Stack>
              </Paper>
            ))}
          </SimpleGrid>
        </Paper>

        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="settings-tickets">
          <Title order={3} id="settings-tickets" mb={4}>
            Customer tickets
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            The team that owns ticket intake records tickets and links them into incidents; a ticket
            that becomes an incident is opened on the intake service.
          </Text>
          <Group align="flex-start">
            <NativeSelect
              label="Ticket-intake team"
              value={draft.ticketTeamId}
              onChange={(e) => change({ ticketTeamId: e.currentTarget.value, ticketServiceId: '' })}
              data={[
                { value: '', label: 'None' },
                ...(teams.data ?? []).map((t) => ({ value: t.id, label: t.name })),
              ]}
              error={fieldErrorUnder(save.error, 'ticketTeamId')}
            />
            <NativeSelect
              label="Ticket-intake service"
              value={draft.ticketServiceId}
              onChange={(e) => change({ ticketServiceId: e.currentTarget.value })}
              data={[
                { value: '', label: 'None' },
                ...teamServices.map((s) => ({ value: s.id, label: s.name })),
              ]}
              error={fieldErrorUnder(save.error, 'ticketServiceId')}
            />
          </Group>
        </Paper>

        <Group>
          <Button type="submit" loading={save.isPending}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function SettingsLoader() {
  const settings = useResponseSettings();
  if (settings.isPending) return <LoadingBlock label="Loading the settings" />;
  if (!settings.data)
    return <ApiErrorAlert error={settings.error} title="Could not load the settings" />;
  return <SettingsForm settings={settings.data} />;
}

/** /settings/incident-response: severities, roles and checklists, reminders, war rooms, tickets. */
export function IncidentResponsePage() {
  return (
    <>
      <PageHeader
        order={2}
        title="Incident response"
        description="How your organisation runs incidents: severity names and definitions, roles and their checklists, update reminders, war rooms and customer ticket intake."
      />
      <OrgAdminOnly>
        <SettingsLoader />
      </OrgAdminOnly>
    </>
  );
}
