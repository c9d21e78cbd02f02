import { Modal } from '@mantine/core';
import type { Schedule } from '../../api/types';
import { ScheduleForm } from './schedule-form';

interface ScheduleFormModalProps {
  opened: boolean;
  onClose: () => void;
  onSaved: (schedule: Schedule) => void;
  /** The schedule to edit; absent: a new one. */
  schedule?: Schedule;
}

/** The schedule form in a dialog: "New schedule" or "Edit schedule". */
export function ScheduleFormModal({ opened, onClose, onSaved, schedule }: ScheduleFormModalProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={schedule ? 'Edit schedule' : 'New schedule'}
      size="xl"
      closeOnClickOutside={false}
    >
      {/* Mounted only while open, so that every opening starts from the saved schedule. */}
      {opened ? <ScheduleForm schedule={schedule} onSaved={onSaved} onCancel={onClose} /> : null}
    </Modal>
  );
}
