import { HttpDouble, type RecordedRequest, type ScriptedResponse } from './http-double.js';

/** An issue the Jira double holds. */
export interface JiraIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  status: { name: string; category: 'new' | 'indeterminate' | 'done' };
  resolution: string | null;
}

/**
 * A local Jira (REST API v2) for tests: `POST /rest/api/2/issue` creates an issue in a known
 * project (201 `{id, key, self}`; 400 `{errorMessages, errors}` naming the field otherwise) and
 * `GET /rest/api/2/issue/{key}` returns it with `fields.status.statusCategory.key` and
 * `fields.resolution`. Requests without the expected Basic credentials get 401. Tests move an
 * issue through its workflow with `transition`.
 */
export class JiraDouble extends HttpDouble {
  readonly issues = new Map<string, JiraIssue>();
  private seq = 0;

  constructor(
    readonly auth: { email: string; token: string },
    readonly projects: string[] = ['OPS'],
  ) {
    super((req) => this.answer(req));
  }

  /** Moves the issue to a status (Done closes it, with a resolution). */
  transition(
    key: string,
    name: string,
    category: JiraIssue['status']['category'],
    resolution: string | null = null,
  ) {
    const issue = this.issues.get(key);
    if (!issue) throw new Error(`no issue ${key}`);
    issue.status = { name, category };
    issue.resolution = category === 'done' ? (resolution ?? 'Done') : null;
  }

  private answer(req: RecordedRequest): ScriptedResponse {
    const expected = `Basic ${Buffer.from(`${this.auth.email}:${this.auth.token}`).toString('base64')}`;
    if (req.headers.authorization !== expected)
      return { status: 401, body: { errorMessages: ['You are not authenticated.'], errors: {} } };
    const url = new URL(req.path, 'http://x');
    if (req.method === 'POST' && url.pathname === '/rest/api/2/issue') return this.create(req);
    const m = /^\/rest\/api\/2\/issue\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      const issue = this.issues.get(decodeURIComponent(m[1]!));
      if (!issue)
        return { status: 404, body: { errorMessages: ['Issue does not exist'], errors: {} } };
      return {
        status: 200,
        body: {
          id: issue.id,
          key: issue.key,
          self: `${this.url}/rest/api/2/issue/${issue.id}`,
          fields: {
            ...issue.fields,
            status: {
              name: issue.status.name,
              statusCategory: { key: issue.status.category, name: issue.status.name },
            },
            resolution: issue.resolution ? { name: issue.resolution } : null,
          },
        },
      };
    }
    return { status: 404, body: { errorMessages: ['Not found'], errors: {} } };
  }

  private create(req: RecordedRequest): ScriptedResponse {
    let fields: Record<string, unknown>;
    try {
      fields = (JSON.parse(req.body) as { fields: Record<string, unknown> }).fields;
    } catch {
      return { status: 400, body: { errorMessages: ['Unexpected body'], errors: {} } };
    }
    const errors: Record<string, string> = {};
    const project = (fields?.project as { key?: string } | undefined)?.key;
    if (!project || !this.projects.includes(project)) errors.project = 'valid project is required';
    if (typeof fields?.summary !== 'string' || fields.summary === '')
      errors.summary = 'You must specify a summary of the issue.';
    if (!(fields?.issuetype as { name?: string } | undefined)?.name)
      errors.issuetype = 'valid issue type is required';
    if (Object.keys(errors).length) return { status: 400, body: { errorMessages: [], errors } };
    const id = String(10000 + ++this.seq);
    const key = `${project}-${this.seq}`;
    this.issues.set(key, {
      id,
      key,
      fields,
      status: { name: 'To Do', category: 'new' },
      resolution: null,
    });
    return { status: 201, body: { id, key, self: `${this.url}/rest/api/2/issue/${id}` } };
  }
}
