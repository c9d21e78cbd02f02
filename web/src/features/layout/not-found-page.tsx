import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from '../../ui/page-header';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <Text>
        There is nothing at this address.{' '}
        <Anchor component={Link} to="/incidents">
          Go to incidents
        </Anchor>
        .
      </Text>
    </>
  );
}
