import { Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  /** Buttons shown on the right. */
  actions?: ReactNode;
  /** Heading level: 1 for pages, 2 for sub-pages inside a section that has its own h1. */
  order?: 1 | 2;
}

/** A page's heading and short description; also sets the document title. */
export function PageHeader({ title, description, actions, order = 1 }: PageHeaderProps) {
  useDocumentTitle(`${title} · Tocsin`);
  return (
    <Group justify="space-between" align="flex-start" mb="lg">
      <Stack gap={4}>
        <Title order={order}>{title}</Title>
        {description ? <Text c="dimmed">{description}</Text> : null}
      </Stack>
      {actions ? <Group gap="sm">{actions}</Group> : null}
    </Group>
  );
}
