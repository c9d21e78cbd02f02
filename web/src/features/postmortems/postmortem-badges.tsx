import { Badge } from '@mantine/core';
import type { PostmortemStatus } from '../../api/postmortems';

const colors: Record<PostmortemStatus, string> = {
  draft: 'gray',
  in_review: 'yellow',
  published: 'green',
};
const labels: Record<PostmortemStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  published: 'Published',
};

export function PostmortemStatusBadge({ status }: { status: PostmortemStatus }) {
  return (
    <Badge color={colors[status]} variant="light">
      {labels[status]}
    </Badge>
  );
}
