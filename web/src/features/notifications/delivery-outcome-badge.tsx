import { Badge } from '@mantine/core';
import type { DeliveryOutcome } from '../../api/types';
import {
  DELIVERY_OUTCOME_COLORS,
  DELIVERY_OUTCOME_DESCRIPTIONS,
  DELIVERY_OUTCOME_LABELS,
} from './delivery-labels';

/** What happened to a message, coloured by outcome (green delivered … red failed). */
export function DeliveryOutcomeBadge({ outcome }: { outcome: DeliveryOutcome }) {
  return (
    <Badge
      color={DELIVERY_OUTCOME_COLORS[outcome] ?? 'gray'}
      variant="light"
      title={DELIVERY_OUTCOME_DESCRIPTIONS[outcome]}
    >
      {DELIVERY_OUTCOME_LABELS[outcome] ?? outcome}
    </Badge>
  );
}
