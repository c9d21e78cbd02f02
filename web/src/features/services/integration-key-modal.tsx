import type { CreateIntegrationResponse } from '../../api/types';
import { SecretOnceModal } from '../../ui/secret-once-modal';
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
    <SecretOnceModal
      secret={created?.key ?? null}
      title="Integration created"
      warningTitle="Copy the key now"
      warning={
        <>
          This key will not be shown again. Anyone who has it can send alerts to this service; if it
          leaks, disable the integration and add a new one.
        </>
      }
      intro={
        created ? (
          <>
            {INTEGRATION_TYPE_LABELS[created.integration.type] ?? created.integration.type}{' '}
            integration <strong>{created.integration.name}</strong>.
          </>
        ) : null
      }
      secretLabel="Integration key"
      copyLabel="Copy key"
      testId="integration-key"
      onClose={onClose}
    >
      {snippets.map((snippet) => (
        <CopyCode key={snippet.title} {...snippet} />
      ))}
    </SecretOnceModal>
  );
}
