import { Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface CardSectionProps {
  /** The heading's id: the section is labelled by it. */
  headingId: string;
  title: string;
  /** A line under the heading saying what the section is for. */
  description: ReactNode;
  children: ReactNode;
}

/** A bordered section of a settings page: a heading, a dimmed description, then the content. */
export function CardSection({ headingId, title, description, children }: CardSectionProps) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId}>
      <Title order={3} id={headingId} mb="xs">
        {title}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {description}
      </Text>
      {children}
    </Paper>
  );
}
