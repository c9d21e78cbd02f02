import { Button } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { useIncidentPostmortem, useStartPostmortem } from '../../api/postmortems';

/** On the incident page: open its postmortem, or start one (responders). */
export function PostmortemButton({
  incidentId,
  canWrite,
}: {
  incidentId: string;
  canWrite: boolean;
}) {
  const navigate = useNavigate();
  const existing = useIncidentPostmortem(incidentId);
  const start = useStartPostmortem(incidentId);
  if (existing.data)
    return (
      <Button component={Link} variant="default" to={`/postmortems/${existing.data.postmortem.id}`}>
        Postmortem
      </Button>
    );
  if (!canWrite || existing.isPending || existing.error) return null;
  return (
    <Button
      variant="default"
      loading={start.isPending}
      onClick={() =>
        start.mutate(undefined, {
          onSuccess: (d) => void navigate(`/postmortems/${d.postmortem.id}`),
        })
      }
    >
      Start postmortem
    </Button>
  );
}
