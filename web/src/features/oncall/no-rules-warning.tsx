import { Text } from '@mantine/core';
import type { UnreachablePerson } from '../../api/types';

/**
 * A warning that some people a policy or schedule can page have no high-urgency notification
 * rule: paged, they are reached in the app only. Nothing when everyone has one.
 */
export function NoRulesWarning({ people }: { people: UnreachablePerson[] | undefined }) {
  if (!people || people.length === 0) return null;
  const names = people.map((p) => p.name).join(', ');
  return (
    <Text size="xs" c="orange.8" role="note">
      {people.length === 1 ? `${names} has` : `${names} have`} no high-urgency notification rules: a
      page reaches them in the app only.
    </Text>
  );
}
