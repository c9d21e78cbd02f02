import type { Row } from '../../db/index.js';

/** Something a team runs and gets paged for. Integrations, policies and dependencies come with the signals issue. */
export interface Service {
  id: string;
  teamId: string;
  teamName: string;
  name: string;
  description: string;
  createdAt: number;
}

export function toService(row: Row<'services'> & { team_name: string }): Service {
  return {
    id: row.id,
    teamId: row.team_id,
    teamName: row.team_name,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
  };
}
