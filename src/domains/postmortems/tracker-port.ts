import type { TrackerKind } from './postmortem.js';

/** A tracker's connection settings with the token decrypted (never stored or logged like this). */
export type TrackerConfig =
  | {
      kind: 'jira';
      baseUrl: string;
      projectKey: string;
      issueType: string;
      email: string;
      token: string;
      labels: string[];
    }
  | {
      kind: 'github';
      baseUrl: string;
      owner: string;
      repo: string;
      token: string;
      labels: string[];
    };

/** The issue to open for an action item. */
export interface TrackerIssueInput {
  title: string;
  body: string;
  priority: 'high' | 'medium' | 'low';
  dueAt: number | null;
}

/** An issue's state as the tracker reports it (Jira: status category key; GitHub: open/closed). */
export interface TrackerState {
  state: string;
  /** Jira: resolution name mapped to `wont_do` when it means so; GitHub: `state_reason`. */
  reason: string | null;
}

/**
 * What the postmortems domain needs from an issue tracker (Jira, GitHub), implemented in
 * integrations/trackers over the SSRF-guarded fetch and composed by app/. Failures throw an
 * `AppError` (kind `unavailable`) whose message never carries the token.
 */
export interface TrackerPort {
  create(
    config: TrackerConfig,
    issue: TrackerIssueInput,
  ): Promise<{ key: string; url: string } & TrackerState>;
  state(config: TrackerConfig, key: string): Promise<TrackerState>;
}

export type { TrackerKind };
