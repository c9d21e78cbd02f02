import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import type { HeartbeatSecret } from '../../api/checks';
import { CopyCode } from '../services/copy-code';

interface HeartbeatUrlModalProps {
  /** The heartbeat's new token and URL; the modal is open while this is set. */
  secret: HeartbeatSecret | null;
  checkName: string;
  onClose: () => void;
}

/** A heartbeat's URL, the one time the server returns it, and how a job calls it. */
export function HeartbeatUrlModal({ secret, checkName, onClose }: HeartbeatUrlModalProps) {
  return (
    <Modal
      opened={secret !== null}
      onClose={onClose}
      title="Heartbeat URL"
      size="xl"
      centered
      closeOnClickOutside={false}
    >
      {secret ? (
        <Stack>
          <Alert color="yellow" variant="light" title="Copy the URL now">
            This URL will not be shown again: its token is stored hashed. Anyone who has it can
            report for this job; if it leaks, make a new one from the check’s page.
          </Alert>
          <Text size="sm">
            Heartbeat <strong>{checkName}</strong>: call this URL (GET or POST) each time the job
            runs. Add <Code>/fail</Code> to report a failure, with a log tail as the body if you
            like.
          </Text>
          <Group align="center" wrap="nowrap">
            <Code
              block
              aria-label="Heartbeat URL"
              data-testid="heartbeat-url"
              style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}
            >
              {secret.url}
            </Code>
            <CopyButton value={secret.url}>
              {({ copied, copy }) => (
                <Button
                  variant="light"
                  color={copied ? 'teal' : undefined}
                  aria-label="Copy URL"
                  onClick={copy}
                >
                  {copied ? 'Copied' : 'Copy URL'}
                </Button>
              )}
            </CopyButton>
          </Group>
          <CopyCode
            title="Cron job"
            description="Pings when the job succeeds and reports a failure when it does not."
            code={`0 3 * * * /usr/local/bin/backup.sh && curl -fsS -m 10 --retry 3 ${secret.url} || curl -fsS -m 10 --retry 3 ${secret.url}/fail`}
          />
          <CopyCode title="Token" code={secret.token} testId="heartbeat-token" />
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
