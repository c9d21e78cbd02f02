import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import type { CreateApiKeyResponse } from '../../api/types';

interface ApiKeySecretModalProps {
  /** The key just created; the modal is open while this is set. */
  created: CreateApiKeyResponse | null;
  onClose: () => void;
}

/** Shows a new API key's secret, the one time the server returns it. */
export function ApiKeySecretModal({ created, onClose }: ApiKeySecretModalProps) {
  return (
    <Modal
      opened={created !== null}
      onClose={onClose}
      title="API key created"
      size="lg"
      centered
      closeOnClickOutside={false}
    >
      {created ? (
        <Stack>
          <Alert color="yellow" variant="light" title="Copy the secret now">
            This secret will not be shown again. Store it somewhere safe; if it is lost, revoke the
            key and create a new one.
          </Alert>
          <Text size="sm">
            Key <strong>{created.apiKey.name}</strong>, role {created.apiKey.role}. Send it as{' '}
            <Code>Authorization: Bearer &lt;secret&gt;</Code>.
          </Text>
          <Code
            block
            aria-label="API key secret"
            data-testid="api-key-secret"
            style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}
          >
            {created.secret}
          </Code>
          <Group justify="flex-end">
            <CopyButton value={created.secret}>
              {({ copied, copy }) => (
                <Button variant="light" color={copied ? 'teal' : undefined} onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
