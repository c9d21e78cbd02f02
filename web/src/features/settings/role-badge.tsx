import { Badge } from '@mantine/core';
import type { TeamRole } from '../../api/types';
import { ROLE_COLORS, ROLE_LABELS } from './role-labels';

export function RoleBadge({ role }: { role: TeamRole }) {
  return (
    <Badge color={ROLE_COLORS[role]} variant="light">
      {ROLE_LABELS[role]}
    </Badge>
  );
}
