import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

interface SecretOnceModalProps {
  /** The secret; the modal is open while this is set. */
  secret: string | null;
  title: string;
  /** The warning's title and text: why it is shown only once and what to do if it leaks. */
  warningTitle: string;
  warning: ReactNode;
  /** A line under the warning saying what the secret is for. */
  intro: ReactNode;
  /** What the secret is (its code block's label) and the copy button's label. */
  secretLabel: string;
  copyLabel: string;
  testId: string;
  /** Shown under the secret: how to use it. */
  children?: ReactNode;
  onClose: () => void;
}

/** A secret the server returns only once (a key, a URL with a token), with a copy button. */
export function SecretOnceModal({
  secret,
  title,
  warningTitle,
  warning,
  intro,
  secretLabel,
  copyLabel,
  testId,
  children,
  onClose,
}: SecretOnceModalProps) {
  return (
    <Modal
      opened={secret !== null}
      onClose={onClose}
      title={title}
      size="xl"
      centered
      closeOnClickOutside={false}
    >
      {secret !== null ? (
        <Stack>
          <Alert color="yellow" variant="light" title={warningTitle}>
            {warning}
          </Alert>
          <Text size="sm">{intro}</Text>
          <Group align="center" wrap="nowrap">
            <Code
              block
              aria-label={secretLabel}
              data-testid={testId}
              style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}
            >
              {secret}
            </Code>
            <CopyButton value={secret}>
              {({ copied, copy }) => (
                <Button
                  variant="light"
                  color={copied ? 'teal' : undefined}
                  aria-label={copyLabel}
                  onClick={copy}
                >
                  {copied ? 'Copied' : copyLabel}
                </Button>
              )}
            </CopyButton>
          </Group>
          {children}
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
