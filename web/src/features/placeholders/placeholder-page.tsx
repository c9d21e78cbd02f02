import { Alert, Text } from '@mantine/core';
import { PageHeader } from '../../ui/page-header';
import type { Placeholder } from './placeholders';

/** The page of an area that is not built yet. */
export function PlaceholderPage({ title, description }: Placeholder) {
  return (
    <>
      <PageHeader title={title} />
      <Text maw={720}>{description}</Text>
      <Alert variant="light" color="gray" mt="lg" maw={720} title="Coming soon">
        This part of Tocsin is not built yet.
      </Alert>
    </>
  );
}
