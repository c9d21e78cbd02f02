import { Button, Group, NativeSelect, NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import {
  useContactMethods,
  useCreateNotificationRule,
  useNotificationRules,
  useRemoveNotificationRule,
} from '../../api/me';
import type { NotificationRule, Urgency } from '../../api/types';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { TableHead } from '../../ui/table-head';
import { CONTACT_TYPE_LABELS } from './contact-labels';

const URGENCY_INFO: Record<Urgency, { title: string; description: string }> = {
  high: {
    title: 'High urgency',
    description: 'Incidents that page: someone must act now (critical alerts, by default).',
  },
  low: {
    title: 'Low urgency',
    description: 'Incidents with a response target of a day: worth knowing, not worth waking for.',
  },
};

function describeRule(rule: NotificationRule): string {
  const how = `${CONTACT_TYPE_LABELS[rule.contactType] ?? rule.contactType} ${rule.contactLabel}`;
  return rule.delayMinutes === 0 ? `${how} at once` : `${how} after ${rule.delayMinutes} min`;
}

interface UrgencyRulesProps {
  urgency: Urgency;
  rules: readonly NotificationRule[];
}

/** The rules of one urgency, and a form to add one. */
function UrgencyRules({ urgency, rules }: UrgencyRulesProps) {
  const methods = useContactMethods();
  const create = useCreateNotificationRule();
  const remove = useRemoveNotificationRule();
  const [contactMethodId, setContactMethodId] = useState('');
  const [delay, setDelay] = useState<number | string>(0);

  const verified = (methods.data ?? []).filter((m) => m.verified);
  const effectiveMethodId = contactMethodId || verified[0]?.id || '';
  const info = URGENCY_INFO[urgency];
  const headingId = `rules-${urgency}-heading`;
  const sorted = [...rules].sort((a, b) => a.delayMinutes - b.delayMinutes);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({
      contactMethodId: effectiveMethodId,
      urgency,
      delayMinutes: typeof delay === 'number' ? delay : Number(delay || 0),
    });
  };

  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <div>
        <Title order={4} id={headingId}>
          {info.title}
        </Title>
        <Text size="sm" c="dimmed">
          {info.description}
        </Text>
      </div>
      <ApiErrorAlert
        error={remove.error}
        title="Could not remove the rule"
        onClose={() => remove.reset()}
      />
      {sorted.length === 0 ? (
        <Text size="sm" c="dimmed">
          No rules: you are reached in the app only.
        </Text>
      ) : (
        <Table aria-label={`${info.title} rules`} verticalSpacing={4}>
          <TableHead columns={['Contact method', 'Delay']} actions />
          <Table.Tbody>
            {sorted.map((rule) => (
              <Table.Tr key={rule.id}>
                <Table.Td>
                  {CONTACT_TYPE_LABELS[rule.contactType] ?? rule.contactType} · {rule.contactLabel}
                </Table.Td>
                <Table.Td>{rule.delayMinutes} min</Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="xs"
                    variant="light"
                    color="red"
                    aria-label={`Remove rule: ${describeRule(rule)}, ${urgency} urgency`}
                    loading={remove.isPending && remove.variables === rule.id}
                    onClick={() => remove.mutate(rule.id)}
                  >
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <form onSubmit={onSubmit} noValidate aria-label={`Add a ${urgency}-urgency rule`}>
        <ApiErrorAlert
          error={create.error}
          title="Could not add the rule"
          fields={['contactMethodId', 'delayMinutes']}
        />
        <Group align="flex-start">
          <NativeSelect
            label="Contact method"
            miw={260}
            value={effectiveMethodId}
            onChange={(e) => setContactMethodId(e.currentTarget.value)}
            disabled={verified.length === 0}
            description={verified.length === 0 ? 'Verify a contact method first.' : undefined}
            error={fieldError(create.error, 'contactMethodId')}
            data={
              verified.length
                ? verified.map((m) => ({
                    value: m.id,
                    label: `${CONTACT_TYPE_LABELS[m.type] ?? m.type} · ${m.label}`,
                  }))
                : [{ value: '', label: 'No verified contact method' }]
            }
          />
          <NumberInput
            label="Delay (minutes)"
            description="After the page: 0 is at once."
            min={0}
            max={120}
            allowDecimal={false}
            w={170}
            value={delay}
            onChange={setDelay}
            error={fieldError(create.error, 'delayMinutes')}
          />
          <Button
            type="submit"
            mt={25}
            loading={create.isPending}
            disabled={effectiveMethodId === ''}
          >
            Add rule
          </Button>
        </Group>
      </form>
    </Stack>
  );
}

/** How the user is reached when paged: per urgency, a contact method and a delay per rule. */
export function NotificationRulesSection() {
  const rules = useNotificationRules();
  return (
    <Stack gap="lg">
      <ApiErrorAlert error={rules.error} title="Could not load your notification rules" />
      {rules.isPending ? <LoadingBlock label="Loading notification rules" /> : null}
      {rules.data ? (
        <>
          <UrgencyRules urgency="high" rules={rules.data.filter((r) => r.urgency === 'high')} />
          <UrgencyRules urgency="low" rules={rules.data.filter((r) => r.urgency === 'low')} />
        </>
      ) : null}
    </Stack>
  );
}
