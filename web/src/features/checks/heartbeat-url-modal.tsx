import { Code } from '@mantine/core';
import type { HeartbeatSecret } from '../../api/checks';
import { SecretOnceModal } from '../../ui/secret-once-modal';
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
    <SecretOnceModal
      secret={secret?.url ?? null}
      title="Heartbeat URL"
      warningTitle="Copy the URL now"
      warning={
        <>
          This URL will not be shown again: its token is stored hashed. Anyone who has it can report
          for this job; if it leaks, make a new one from the check’s page.
        </>
      }
      intro={
        <>
          Heartbeat <strong>{checkName}</strong>: call this URL (GET or POST) each time the job
          runs. Add <Code>/fail</Code> to report a failure, with a log tail as the body if you like.
        </>
      }
      secretLabel="Heartbeat URL"
      copyLabel="Copy URL"
      testId="heartbeat-url"
      onClose={onClose}
    >
      {secret ? (
        <>
          <CopyCode
            title="Cron job"
            description="Pings when the job succeeds and reports a failure when it does not."
            code={`0 3 * * * /usr/local/bin/backup.sh && curl -fsS -m 10 --retry 3 ${secret.url} || curl -fsS -m 10 --retry 3 ${secret.url}/fail`}
          />
          <CopyCode title="Token" code={secret.token} testId="heartbeat-token" />
        </>
      ) : null}
    </SecretOnceModal>
  );
}
