import {
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import {
  useDeleteEventRule,
  useDeleteInhibitRule,
  useEventRules,
  useInhibitRules,
} from '../../api/rules';
import type { EventRuleActions } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { ConfirmButton } from '../../ui/confirm-button';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { SuccessNote } from '../../ui/success-note';
import { useCurrentUser } from '../auth/current-user';
import { canInTeam, useTeamsWith } from '../auth/team-access';
import { useServiceNames } from '../services/service-names';
import { CreateEventRuleForm } from './create-event-rule-form';
import { CreateInhibitRuleForm } from './create-inhibit-rule-form';
import { MatcherList } from './matcher-list';
import { SEVERITY_LABELS } from './signal-labels';

/** "severity → Critical · route → Public API · suppress". */
function actionsSummary(actions: EventRuleActions, serviceNames: ReadonlyMap<string, string>) {
  const parts: string[] = [];
  if (actions.severity) parts.push(`severity → ${SEVERITY_LABELS[actions.severity]}`);
  if (actions.routeToServiceId) {
    parts.push(`route → ${serviceNames.get(actions.routeToServiceId) ?? actions.routeToServiceId}`);
  }
  if (actions.suppress) parts.push('suppress');
  if (actions.drop) parts.push('drop');
  return parts.length ? parts.join(' · ') : '—';
}

function EventRulesSection() {
  const me = useCurrentUser();
  const teams = useTeamsWith('admin');
  const serviceNames = useServiceNames();
  const rules = useEventRules();
  const remove = useDeleteEventRule();
  const [formOpened, { open, close }] = useDisclosure(false);
  const [created, setCreated] = useState(false);
  const teamNames = new Map(teams.all.map((t) => [t.id, t.name] as const));
  const severalTeams = teams.all.length > 1;
  const sorted = [...(rules.data ?? [])].sort(
    (a, b) => a.position - b.position || a.name.localeCompare(b.name),
  );

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="event-rules-heading">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Stack gap={2}>
          <Title order={3} id="event-rules-heading">
            Event rules
          </Title>
          <Text size="sm" c="dimmed">
            Applied in order to every incoming event: change its severity, send it to another
            service, suppress it or drop it.
          </Text>
        </Stack>
        {teams.allowed.length > 0 ? (
          <Button
            onClick={() => {
              setCreated(false);
              open();
            }}
          >
            New event rule
          </Button>
        ) : null}
      </Group>
      <Stack gap="sm">
        {created ? (
          <SuccessNote onClose={() => setCreated(false)}>Event rule created.</SuccessNote>
        ) : null}
        <ApiErrorAlert error={rules.error} title="Could not load event rules" />
        <ApiErrorAlert
          error={remove.error}
          title="Could not delete the event rule"
          onClose={() => remove.reset()}
        />
        {rules.isPending ? <LoadingBlock label="Loading event rules" /> : null}
        {rules.data && sorted.length === 0 ? <Text c="dimmed">No event rules yet.</Text> : null}
        {sorted.length > 0 ? (
          <Table.ScrollContainer minWidth={800}>
            <Table aria-label="Event rules" verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Position</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Matchers</Table.Th>
                  <Table.Th>Actions</Table.Th>
                  <Table.Th>Enabled</Table.Th>
                  {severalTeams ? <Table.Th>Team</Table.Th> : null}
                  <Table.Th>
                    <VisuallyHidden>Delete</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sorted.map((rule) => (
                  <Table.Tr key={rule.id} c={rule.enabled ? undefined : 'dimmed'}>
                    <Table.Td>{rule.position}</Table.Td>
                    <Table.Td fw={500}>{rule.name}</Table.Td>
                    <Table.Td>
                      <MatcherList matchers={rule.matchers} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{actionsSummary(rule.actions, serviceNames)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {rule.enabled ? (
                        <Badge variant="light" color="green">
                          Enabled
                        </Badge>
                      ) : (
                        <Badge variant="light" color="gray">
                          Disabled
                        </Badge>
                      )}
                    </Table.Td>
                    {severalTeams ? <Table.Td>{teamNames.get(rule.teamId) ?? '—'}</Table.Td> : null}
                    <Table.Td>
                      {canInTeam(me, rule.teamId, 'admin') ? (
                        <ConfirmButton
                          size="xs"
                          variant="light"
                          color="red"
                          aria-label={`Delete event rule ${rule.name}`}
                          loading={remove.isPending && remove.variables === rule.id}
                          title="Delete event rule"
                          message={`Delete the event rule “${rule.name}”? Events it matches will be handled as sent.`}
                          confirmLabel="Delete event rule"
                          onConfirm={() => remove.mutate(rule.id)}
                        >
                          Delete
                        </ConfirmButton>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </Stack>
      <Modal
        opened={formOpened}
        onClose={close}
        title="New event rule"
        size="xl"
        closeOnClickOutside={false}
      >
        {formOpened ? (
          <CreateEventRuleForm
            onCancel={close}
            onCreated={() => {
              close();
              setCreated(true);
            }}
          />
        ) : null}
      </Modal>
    </Paper>
  );
}

function InhibitRulesSection() {
  const me = useCurrentUser();
  const teams = useTeamsWith('admin');
  const rules = useInhibitRules();
  const remove = useDeleteInhibitRule();
  const [formOpened, { open, close }] = useDisclosure(false);
  const [created, setCreated] = useState(false);
  const teamNames = new Map(teams.all.map((t) => [t.id, t.name] as const));
  const severalTeams = teams.all.length > 1;

  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="section"
      aria-labelledby="inhibit-rules-heading"
    >
      <Group justify="space-between" align="flex-start" mb="sm">
        <Stack gap={2}>
          <Title order={3} id="inhibit-rules-heading">
            Inhibition rules
          </Title>
          <Text size="sm" c="dimmed">
            While a source alert is open, matching target alerts that share the equal labels are
            muted: a “cluster down” alert hides that cluster’s “service slow” alerts.
          </Text>
        </Stack>
        {teams.allowed.length > 0 ? (
          <Button
            onClick={() => {
              setCreated(false);
              open();
            }}
          >
            New inhibition rule
          </Button>
        ) : null}
      </Group>
      <Stack gap="sm">
        {created ? (
          <SuccessNote onClose={() => setCreated(false)}>Inhibition rule created.</SuccessNote>
        ) : null}
        <ApiErrorAlert error={rules.error} title="Could not load inhibition rules" />
        <ApiErrorAlert
          error={remove.error}
          title="Could not delete the inhibition rule"
          onClose={() => remove.reset()}
        />
        {rules.isPending ? <LoadingBlock label="Loading inhibition rules" /> : null}
        {rules.data && rules.data.length === 0 ? (
          <Text c="dimmed">No inhibition rules yet.</Text>
        ) : null}
        {rules.data && rules.data.length > 0 ? (
          <Table.ScrollContainer minWidth={800}>
            <Table aria-label="Inhibition rules" verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Source matchers</Table.Th>
                  <Table.Th>Target matchers</Table.Th>
                  <Table.Th>Equal labels</Table.Th>
                  {severalTeams ? <Table.Th>Team</Table.Th> : null}
                  <Table.Th>
                    <VisuallyHidden>Delete</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rules.data.map((rule) => (
                  <Table.Tr key={rule.id}>
                    <Table.Td fw={500}>{rule.name}</Table.Td>
                    <Table.Td>
                      <MatcherList matchers={rule.sourceMatchers} />
                    </Table.Td>
                    <Table.Td>
                      <MatcherList matchers={rule.targetMatchers} />
                    </Table.Td>
                    <Table.Td>
                      {rule.equal.length ? (
                        <Group gap={4}>
                          {rule.equal.map((label) => (
                            <Code key={label}>{label}</Code>
                          ))}
                        </Group>
                      ) : (
                        <Text span size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    {severalTeams ? <Table.Td>{teamNames.get(rule.teamId) ?? '—'}</Table.Td> : null}
                    <Table.Td>
                      {canInTeam(me, rule.teamId, 'admin') ? (
                        <ConfirmButton
                          size="xs"
                          variant="light"
                          color="red"
                          aria-label={`Delete inhibition rule ${rule.name}`}
                          loading={remove.isPending && remove.variables === rule.id}
                          title="Delete inhibition rule"
                          message={`Delete the inhibition rule “${rule.name}”? Alerts it mutes will no longer be muted by it.`}
                          confirmLabel="Delete inhibition rule"
                          onConfirm={() => remove.mutate(rule.id)}
                        >
                          Delete
                        </ConfirmButton>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </Stack>
      <Modal
        opened={formOpened}
        onClose={close}
        title="New inhibition rule"
        size="xl"
        closeOnClickOutside={false}
      >
        {formOpened ? (
          <CreateInhibitRuleForm
            onCancel={close}
            onCreated={() => {
              close();
              setCreated(true);
            }}
          />
        ) : null}
      </Modal>
    </Paper>
  );
}

export function RulesPage() {
  return (
    <>
      <PageHeader
        order={2}
        title="Rules"
        description="Event rules shape incoming events; inhibition rules mute alerts made redundant by another."
      />
      <Stack gap="xl">
        <EventRulesSection />
        <InhibitRulesSection />
      </Stack>
    </>
  );
}
