import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';

interface SuccessNoteProps {
  title?: string;
  children: ReactNode;
  onClose?: () => void;
}

/** A short green confirmation shown after a successful action. */
export function SuccessNote({ title, children, onClose }: SuccessNoteProps) {
  return (
    <Alert
      color="green"
      variant="light"
      title={title}
      role="status"
      withCloseButton={onClose !== undefined}
      onClose={onClose}
    >
      {children}
    </Alert>
  );
}
