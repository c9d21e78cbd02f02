import { AppError } from '../../core/errors.js';
import type {
  TrackerConfig,
  TrackerIssueInput,
  TrackerPort,
  TrackerState,
} from '../../domains/postmortems/index.js';

/** What the trackers share: the SSRF-guarded fetch and the timeout. */
export interface TrackerContext {
  fetch: typeof fetch;
  timeoutMs: number;
}

const failed = (what: string, detail: string, token: string) =>
  new AppError({
    kind: 'unavailable',
    code: 'TRACKER_REQUEST_FAILED',
    // The token never reaches a message, whatever a vendor echoes back.
    message: `${what}: ${token ? detail.split(token).join('***') : detail}`.slice(0, 500),
  });

async function call(
  ctx: TrackerContext,
  what: string,
  token: string,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: unknown },
): Promise<unknown> {
  let res: Response;
  try {
    res = await ctx.fetch(url, {
      method: init.method,
      headers: {
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(ctx.timeoutMs),
      redirect: 'error',
    });
  } catch (err) {
    throw failed(what, err instanceof Error ? err.message : String(err), token);
  }
  const text = await res.text();
  if (!res.ok) throw failed(what, `HTTP ${res.status} ${text.slice(0, 300)}`, token);
  try {
    return text ? (JSON.parse(text) as unknown) : {};
  } catch {
    throw failed(what, 'the answer is not JSON', token);
  }
}

const base = (u: string) => u.replace(/\/+$/, '');
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' ? (v as Record<string, unknown>) : {};

// ---- Jira (REST API v2: plain-text description; Cloud and Data Center)

type Jira = Extract<TrackerConfig, { kind: 'jira' }>;

function jiraAuth(c: Jira): string {
  // Cloud: email + API token as Basic; Data Center: a personal access token as Bearer.
  return c.email
    ? `Basic ${Buffer.from(`${c.email}:${c.token}`).toString('base64')}`
    : `Bearer ${c.token}`;
}

/** Done with a resolution such as "Won't Do" / "Won't Fix" / "Declined" means won't do. */
const wontDo = /won.?t (do|fix)|declined|rejected|not planned|obsolete/i;

function jiraState(issue: unknown): TrackerState {
  const fields = obj(obj(issue).fields);
  const category = obj(obj(fields.status).statusCategory).key;
  const resolution = obj(fields.resolution).name;
  const state = typeof category === 'string' ? category : 'new';
  return {
    state,
    reason:
      state === 'done' && typeof resolution === 'string' && wontDo.test(resolution)
        ? 'wont_do'
        : typeof resolution === 'string'
          ? resolution
          : null,
  };
}

async function jiraCreate(ctx: TrackerContext, c: Jira, issue: TrackerIssueInput) {
  const fields: Record<string, unknown> = {
    project: { key: c.projectKey },
    summary: issue.title.slice(0, 250),
    description: issue.body,
    issuetype: { name: c.issueType },
    labels: [...c.labels, `tocsin-priority-${issue.priority}`],
  };
  if (issue.dueAt !== null) fields.duedate = new Date(issue.dueAt).toISOString().slice(0, 10);
  const created = obj(
    await call(ctx, 'Jira create issue', c.token, `${base(c.baseUrl)}/rest/api/2/issue`, {
      method: 'POST',
      headers: { authorization: jiraAuth(c) },
      body: { fields },
    }),
  );
  if (typeof created.key !== 'string') throw failed('Jira create issue', 'no issue key', c.token);
  return {
    key: created.key,
    url: `${base(c.baseUrl)}/browse/${created.key}`,
    ...(await jiraGet(ctx, c, created.key)),
  };
}

async function jiraGet(ctx: TrackerContext, c: Jira, key: string): Promise<TrackerState> {
  return jiraState(
    await call(
      ctx,
      'Jira get issue',
      c.token,
      `${base(c.baseUrl)}/rest/api/2/issue/${encodeURIComponent(key)}?fields=status,resolution`,
      { method: 'GET', headers: { authorization: jiraAuth(c) } },
    ),
  );
}

// ---- GitHub issues (REST; GitHub Enterprise at <host>/api/v3)

type GitHub = Extract<TrackerConfig, { kind: 'github' }>;

const ghHeaders = (c: GitHub) => ({
  authorization: `Bearer ${c.token}`,
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
});
const ghRepo = (c: GitHub) =>
  `${base(c.baseUrl)}/repos/${encodeURIComponent(c.owner)}/${encodeURIComponent(c.repo)}`;

function ghState(issue: unknown): TrackerState {
  const i = obj(issue);
  return {
    state: typeof i.state === 'string' ? i.state : 'open',
    reason: typeof i.state_reason === 'string' ? i.state_reason : null,
  };
}

async function ghCreate(ctx: TrackerContext, c: GitHub, issue: TrackerIssueInput) {
  const due =
    issue.dueAt === null ? '' : `\n\nDue: ${new Date(issue.dueAt).toISOString().slice(0, 10)}`;
  const created = obj(
    await call(ctx, 'GitHub create issue', c.token, `${ghRepo(c)}/issues`, {
      method: 'POST',
      headers: ghHeaders(c),
      body: {
        title: issue.title.slice(0, 250),
        body: `${issue.body}${due}`,
        labels: [...c.labels, `priority: ${issue.priority}`],
      },
    }),
  );
  if (typeof created.number !== 'number')
    throw failed('GitHub create issue', 'no issue number', c.token);
  return {
    key: `${c.owner}/${c.repo}#${created.number}`,
    url: typeof created.html_url === 'string' ? created.html_url : '',
    ...ghState(created),
  };
}

async function ghGet(ctx: TrackerContext, c: GitHub, key: string): Promise<TrackerState> {
  const number = /#(\d+)$/.exec(key)?.[1];
  if (!number) throw failed('GitHub get issue', `bad key ${key}`, c.token);
  return ghState(
    await call(ctx, 'GitHub get issue', c.token, `${ghRepo(c)}/issues/${number}`, {
      method: 'GET',
      headers: ghHeaders(c),
    }),
  );
}

/** The tracker port the postmortems domain exports action items through. */
export function createTrackerPort(ctx: TrackerContext): TrackerPort {
  return {
    create: (config, issue) =>
      config.kind === 'jira' ? jiraCreate(ctx, config, issue) : ghCreate(ctx, config, issue),
    state: (config, key) =>
      config.kind === 'jira' ? jiraGet(ctx, config, key) : ghGet(ctx, config, key),
  };
}
