import type { Row } from '../../db/index.js';
import { parseServiceSettings, type ServiceSettings } from './service-settings.js';

/** Something a team runs and gets paged for. */
export interface Service {
  id: string;
  teamId: string;
  teamName: string;
  name: string;
  description: string;
  tags: string[];
  /** Set by the on-call work; null until then. */
  escalationPolicyId: string | null;
  settings: ServiceSettings;
  /** Ids of services this one depends on. */
  dependsOn: string[];
  createdAt: number;
}

export function toService(
  row: Row<'services'> & { team_name: string },
  dependsOn: string[] = [],
): Service {
  return {
    id: row.id,
    teamId: row.team_id,
    teamName: row.team_name,
    name: row.name,
    description: row.description,
    tags: JSON.parse(row.tags_json) as string[],
    escalationPolicyId: row.escalation_policy_id,
    settings: parseServiceSettings(row.settings_json),
    dependsOn,
    createdAt: row.created_at,
  };
}
