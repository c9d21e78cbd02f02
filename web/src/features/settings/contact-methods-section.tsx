import {
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import {
  useContactMethods,
  useCreateContactMethod,
  useRemoveContactMethod,
  useTestContactMethod,
  useVerifyContactMethod,
} from '../../api/me';
import type { ContactMethod, ContactMethodTestResponse, ContactType } from '../../api/types';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { ConfirmButton } from '../../ui/confirm-button';
import { LoadingBlock } from '../../ui/loading-block';
import { SuccessNote } from '../../ui/success-note';
import { TableHead } from '../../ui/table-head';
import { SendOutcomeText } from '../notifications/send-outcome';
import {
  ADDRESS_HINTS,
  ADDRESS_PLACEHOLDERS,
  CONTACT_TYPE_LABELS,
  CONTACT_TYPE_OPTIONS,
  isContactType,
} from './contact-labels';

interface VerifyPanelProps {
  method: ContactMethod;
  onVerified: () => void;
  onLater: () => void;
}

/** Where the code sent to a new contact method is typed in. */
function VerifyPanel({ method, onVerified, onLater }: VerifyPanelProps) {
  const verify = useVerifyContactMethod();
  const [code, setCode] = useState('');

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    verify.mutate({ contactMethodId: method.id, code: code.trim() }, { onSuccess: onVerified });
  };

  return (
    <Paper withBorder p="md" radius="md" bg="var(--mantine-color-default-hover)">
      <form onSubmit={onSubmit} noValidate aria-label={`Verify ${method.label}`}>
        <Stack gap="sm">
          <Text size="sm">
            Verify <strong>{method.label}</strong> ({CONTACT_TYPE_LABELS[method.type]}{' '}
            {method.address}): enter the 6-digit code. The code is sent to the contact method; it is
            valid for 15 minutes.
          </Text>
          <ApiErrorAlert error={verify.error} title="Could not verify" fields={['code']} />
          <Group align="flex-start">
            <TextInput
              label="Verification code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              w={180}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              error={fieldError(verify.error, 'code')}
            />
            <Group mt={25} gap="xs">
              <Button type="submit" loading={verify.isPending} disabled={code.trim() === ''}>
                Verify
              </Button>
              <Button variant="default" onClick={onLater}>
                Later
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** A "Send test" of one contact method: under way, or what came of it. */
interface TestState {
  pending: boolean;
  result?: ContactMethodTestResponse;
  error?: unknown;
}

/** The user's contact methods: add (then verify with a code), list, send a test, remove. */
export function ContactMethodsSection() {
  const methods = useContactMethods();
  const create = useCreateContactMethod();
  const remove = useRemoveContactMethod();
  const test = useTestContactMethod();
  const [tests, setTests] = useState<Record<string, TestState>>({});
  const [type, setType] = useState<ContactType>('sms');
  const [label, setLabel] = useState('');
  const [address, setAddress] = useState('');
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [verified, setVerified] = useState<string | null>(null);

  const pending = methods.data?.find((m) => m.id === pendingId && !m.verified) ?? null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setVerified(null);
    create.mutate(
      { type, label: label.trim(), address: address.trim() },
      {
        onSuccess: (method) => {
          setLabel('');
          setAddress('');
          setPendingId(method.id);
        },
      },
    );
  };

  // One call per button press: each row keeps its own outcome, even with several under way.
  const sendTest = (contactMethodId: string) => {
    const settle = (state: TestState) => setTests((t) => ({ ...t, [contactMethodId]: state }));
    settle({ pending: true });
    test.mutateAsync(contactMethodId).then(
      (result) => settle({ pending: false, result }),
      (error: unknown) => settle({ pending: false, error }),
    );
  };

  return (
    <Stack gap="md">
      <ApiErrorAlert error={methods.error} title="Could not load your contact methods" />
      <ApiErrorAlert
        error={remove.error}
        title="Could not remove the contact method"
        onClose={() => remove.reset()}
      />
      {verified ? (
        <SuccessNote onClose={() => setVerified(null)}>
          {verified} is verified: rules can use it now.
        </SuccessNote>
      ) : null}
      {methods.isPending ? <LoadingBlock label="Loading contact methods" /> : null}
      {methods.data && methods.data.length === 0 ? (
        <Text c="dimmed" size="sm">
          No contact methods yet: pages reach you only in the app.
        </Text>
      ) : null}
      {methods.data && methods.data.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table aria-label="Contact methods" verticalSpacing="xs">
            <TableHead columns={['Type', 'Label', 'Address', 'Status']} actions />
            <Table.Tbody>
              {methods.data.map((method) => (
                <Table.Tr key={method.id}>
                  <Table.Td>{CONTACT_TYPE_LABELS[method.type] ?? method.type}</Table.Td>
                  <Table.Td fw={500}>{method.label}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{method.address}</Table.Td>
                  <Table.Td>
                    <Stack gap={4} align="flex-start">
                      {method.verified ? (
                        <Badge color="green" variant="light">
                          Verified
                        </Badge>
                      ) : (
                        <Badge color="yellow" variant="light">
                          Not verified
                        </Badge>
                      )}
                      <SendOutcomeText
                        result={tests[method.id]?.result}
                        error={tests[method.id]?.error}
                      />
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap" justify="flex-end">
                      <Button
                        size="xs"
                        variant="light"
                        color="gray"
                        aria-label={`Send a test to ${method.label}`}
                        loading={tests[method.id]?.pending ?? false}
                        onClick={() => sendTest(method.id)}
                      >
                        Send test
                      </Button>
                      {method.verified ? null : (
                        <Button
                          size="xs"
                          variant="light"
                          aria-label={`Enter code for ${method.label}`}
                          onClick={() => setPendingId(method.id)}
                        >
                          Enter code
                        </Button>
                      )}
                      <ConfirmButton
                        size="xs"
                        variant="light"
                        color="red"
                        aria-label={`Remove contact method ${method.label}`}
                        loading={remove.isPending && remove.variables === method.id}
                        title="Remove contact method"
                        message={`Remove “${method.label}”? Rules that use it are removed with it.`}
                        confirmLabel="Remove contact method"
                        onConfirm={() => remove.mutate(method.id)}
                      >
                        Remove
                      </ConfirmButton>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}

      {pending ? (
        <VerifyPanel
          key={pending.id}
          method={pending}
          onLater={() => setPendingId(null)}
          onVerified={() => {
            setVerified(pending.label);
            setPendingId(null);
          }}
        />
      ) : null}

      <form onSubmit={onSubmit} noValidate aria-label="Add a contact method">
        <ApiErrorAlert
          error={create.error}
          title="Could not add the contact method"
          fields={['type', 'label', 'address']}
        />
        <Group align="flex-start" mt="xs">
          <NativeSelect
            label="Type"
            name="type"
            data={CONTACT_TYPE_OPTIONS}
            value={type}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (isContactType(value)) setType(value);
            }}
            error={fieldError(create.error, 'type')}
          />
          <TextInput
            label="Label"
            name="label"
            autoComplete="off"
            placeholder="e.g. Work phone"
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
            error={fieldError(create.error, 'label')}
          />
          <TextInput
            label="Address"
            name="address"
            autoComplete="off"
            placeholder={ADDRESS_PLACEHOLDERS[type]}
            description={ADDRESS_HINTS[type]}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            miw={260}
            maw={360}
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
            error={fieldError(create.error, 'address')}
          />
          <Button type="submit" mt={25} loading={create.isPending}>
            Add contact method
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt={4}>
          A new contact method gets a 6-digit verification code. The code is sent to the contact
          method; rules can use it once it is verified.
        </Text>
      </form>
    </Stack>
  );
}
