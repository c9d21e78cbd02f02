import { Badge, Button, Checkbox, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useServiceReviews, useUpdateServiceReview } from '../../api/postmortems';
import { ApiErrorAlert } from '../../ui/api-error-alert';

/** Open service reviews (burn-in after six weeks, periodic): tick the checklist, mark done. */
export function ServiceReviewsCard() {
  const reviews = useServiceReviews();
  const update = useUpdateServiceReview();
  if (!reviews.data?.length) return null;
  return (
    <Paper withBorder p="md" mt="lg" component="section" aria-labelledby="service-reviews">
      <Title order={2} size="h3" id="service-reviews" mb="xs">
        Service reviews due
      </Title>
      <Stack gap="md">
        {reviews.data.map((r) => (
          <div key={r.id}>
            <Group gap="xs" mb={4}>
              <Text fw={600}>{r.serviceName}</Text>
              <Badge variant="light">{r.kind === 'burn_in' ? 'burn-in' : 'periodic'}</Badge>
              <Text size="sm" c={r.overdue ? 'red' : 'dimmed'}>
                due {new Date(r.dueAt).toISOString().slice(0, 10)}
              </Text>
            </Group>
            <Stack gap={2}>
              {r.checklist.map((c, i) => (
                <Checkbox
                  key={c.item}
                  label={c.item}
                  checked={c.done}
                  onChange={(e) =>
                    update.mutate({
                      id: r.id,
                      checklist: r.checklist.map((x, j) =>
                        j === i ? e.currentTarget.checked : x.done,
                      ),
                    })
                  }
                />
              ))}
            </Stack>
            <Button
              size="xs"
              mt={6}
              variant="default"
              onClick={() => update.mutate({ id: r.id, status: 'done' })}
            >
              Mark review done
            </Button>
          </div>
        ))}
        <ApiErrorAlert error={update.error} />
      </Stack>
    </Paper>
  );
}
