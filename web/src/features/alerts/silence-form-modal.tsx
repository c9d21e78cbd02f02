import { Modal } from '@mantine/core';
import type { Silence } from '../../api/types';
import { CreateSilenceForm } from './create-silence-form';
import type { SilenceDraft } from './create-silence-form';

interface SilenceFormModalProps {
  opened: boolean;
  onClose: () => void;
  onCreated: (silence: Silence) => void;
  /** Prefilled team and matchers ("silence similar alerts"). */
  initial?: SilenceDraft;
}

/** The silence form in a dialog titled "New silence". */
export function SilenceFormModal({ opened, onClose, onCreated, initial }: SilenceFormModalProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="New silence"
      size="xl"
      closeOnClickOutside={false}
    >
      {/* Mounted only while open, so that every opening starts from `initial`. */}
      {opened ? (
        <CreateSilenceForm initial={initial} onCreated={onCreated} onCancel={onClose} />
      ) : null}
    </Modal>
  );
}
