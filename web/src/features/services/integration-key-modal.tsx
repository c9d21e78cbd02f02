import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import type { CreateIntegrationResponse } from '../../api/types';
import { CopyCode } from './copy-code';
import { INTEGRATION_TYPE_LABELS, integrationSnippets } from './integration-snippets';

interface IntegrationKeyModalProps {
  /** The integration just created; the modal is open while this is set. */
  created: CreateIntegrationResponse | null;
  onClose: () => void;
}

/** Shows a new integration's key, the one time the server returns it, and how to use it. */
export function IntegrationKeyModal({ created, onClose }: IntegrationKeyModalProps) {
  const snippets = created
    ? integrationSnippets(
        created.integration.type,
        created.key,
        window.location.origin,
        created.integration.config,
      )
    : [];
  return (
    <Modal
      opened={created !== null}
      onClose={onClose}
      title="Integration created"
      size="xl"
      centered
      closeOnClickOutside={false}
    >
      {created ? (
        <Stack>
          <Alert color="yellow" variant="light" title="Copy the key now">
            This key will not be shown again. Anyone who has it can send alerts to this service; if
            it leaks, disable the integration and add a new one.
          </Alert>
          <Text size="sm">
            {INTEGRATION_TYPE_LABELS[created.integration.type] ?? created.integration.type}{' '}
            integration <strong>{created.integration.name}</strong>.
          </Text>
          <Group align="center" wrap="nowrap">
            <Code
              block
              aria-label="Integration key"
              data-testid="integration-key"
              style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}
            >
              {created.key}
            </Code>
            <CopyButton value={created.key}>
              {({ copied, copy }) => (
                <Button
                  variant="light"
                  color={copied ? 'teal' : undefined}
                  aria-label="Copy key"
                  onClick={copy}
                >
                  {copied ? 'Copied' : 'Copy key'}
                </Button>
              )}
            </CopyButton>
          </Group>
          {snippets.map((snippet) => (
            <CopyCode key={snippet.title} {...snippet} />
          ))}
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
