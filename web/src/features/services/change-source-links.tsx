import { Anchor, Group, Text } from '@mantine/core';
import type { AlertLink } from '../../api/types';

/** Where a change event came from and its links (the deploy, the pull request), on one line. */
export function ChangeSourceAndLinks({
  source,
  links,
}: {
  source: string | null;
  links: AlertLink[];
}) {
  if (!source && links.length === 0) return null;
  return (
    <Group gap="xs">
      {source ? (
        <Text size="xs" c="dimmed">
          {source}
        </Text>
      ) : null}
      {links.map((link, i) => (
        <Anchor key={i} href={link.href} target="_blank" rel="noreferrer" size="xs">
          {link.text || link.href}
        </Anchor>
      ))}
    </Group>
  );
}
