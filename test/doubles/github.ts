import { HttpDouble, type RecordedRequest, type ScriptedResponse } from './http-double.js';

/** An issue the GitHub double holds. */
export interface GitHubIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'reopened' | null;
}

/**
 * A local GitHub REST API (issues) for tests: `POST /repos/{owner}/{repo}/issues` (201 with
 * `number`, `html_url`, `state`; 422 `{message, errors}` without a title) and
 * `GET /repos/{owner}/{repo}/issues/{number}`. A wrong Bearer token gets 401 `Bad credentials`,
 * an unknown repository 404. Tests close issues with `close`.
 */
export class GitHubDouble extends HttpDouble {
  readonly issues = new Map<number, GitHubIssue>();
  private seq = 0;

  constructor(
    readonly token: string,
    readonly repo = 'acme/ops',
  ) {
    super((req) => this.answer(req));
  }

  close(number: number, reason: 'completed' | 'not_planned' = 'completed'): void {
    const issue = this.issues.get(number);
    if (!issue) throw new Error(`no issue ${number}`);
    issue.state = 'closed';
    issue.state_reason = reason;
  }

  private view(i: GitHubIssue) {
    return {
      id: 900 + i.number,
      number: i.number,
      title: i.title,
      body: i.body,
      labels: i.labels.map((name) => ({ name })),
      state: i.state,
      state_reason: i.state_reason,
      html_url: `https://github.example/${this.repo}/issues/${i.number}`,
      url: `${this.url}/repos/${this.repo}/issues/${i.number}`,
    };
  }

  private answer(req: RecordedRequest): ScriptedResponse {
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return { status: 401, body: { message: 'Bad credentials', status: '401' } };
    const url = new URL(req.path, 'http://x');
    const m = /^\/repos\/([^/]+\/[^/]+)\/issues(?:\/(\d+))?$/.exec(url.pathname);
    if (!m || decodeURIComponent(m[1]!) !== this.repo)
      return { status: 404, body: { message: 'Not Found' } };
    if (req.method === 'POST' && !m[2]) {
      let input: { title?: unknown; body?: unknown; labels?: unknown };
      try {
        input = JSON.parse(req.body) as typeof input;
      } catch {
        return { status: 400, body: { message: 'Problems parsing JSON' } };
      }
      if (typeof input.title !== 'string' || input.title === '')
        return {
          status: 422,
          body: {
            message: 'Validation Failed',
            errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }],
          },
        };
      const issue: GitHubIssue = {
        number: ++this.seq,
        title: input.title,
        body: typeof input.body === 'string' ? input.body : '',
        labels: Array.isArray(input.labels) ? input.labels.map(String) : [],
        state: 'open',
        state_reason: null,
      };
      this.issues.set(issue.number, issue);
      return { status: 201, body: this.view(issue) };
    }
    if (req.method === 'GET' && m[2]) {
      const issue = this.issues.get(Number(m[2]));
      return issue
        ? { status: 200, body: this.view(issue) }
        : { status: 404, body: { message: 'Not Found' } };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }
}
