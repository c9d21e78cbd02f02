import { Code, Group, Text } from '@mantine/core';
import type { Matcher } from '../../api/types';
import { formatMatcher } from './matchers';

/** Matchers rendered as Alertmanager writes them, one code chip each. */
export function MatcherList({ matchers }: { matchers: readonly Matcher[] }) {
  if (matchers.length === 0) {
    return (
      <Text span size="sm" c="dimmed">
        (everything)
      </Text>
    );
  }
  return (
    <Group gap={4}>
      {matchers.map((m, i) => (
        <Code key={i} style={{ whiteSpace: 'nowrap' }}>
          {formatMatcher(m)}
        </Code>
      ))}
    </Group>
  );
}
