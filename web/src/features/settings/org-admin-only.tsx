import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import { useCurrentUser } from '../auth/current-user';

/** Renders its children for org admins, and a notice for everyone else. */
export function OrgAdminOnly({ children }: { children: ReactNode }) {
  const { user } = useCurrentUser();
  if (user.isOrgAdmin) return <>{children}</>;
  return (
    <Alert color="yellow" variant="light" title="Org admins only">
      Only organization admins can see this page.
    </Alert>
  );
}
