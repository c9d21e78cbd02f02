import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a double received, body as text. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** A scripted answer: a status/headers/body, or `hang` (never answer: the client times out). */
export type ScriptedResponse =
  { status: number; headers?: Record<string, string>; body?: unknown } | 'hang';

/** What a vendor double answers when nothing is scripted. */
export type DefaultHandler = (req: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>;

/**
 * A local HTTP server standing in for a vendor API: records every request and answers from a
 * queue of scripted responses, falling back to the vendor double's normal behaviour. Vendor
 * doubles (Slack, Twilio, webhooks) build on this; tests script failures with `respondNext`.
 */
export class HttpDouble {
  readonly requests: RecordedRequest[] = [];
  private readonly script: ScriptedResponse[] = [];
  private readonly waiters: Array<() => void> = [];
  private server: Server | undefined;
  private hanging: ServerResponse[] = [];
  url = '';

  constructor(private readonly fallback: DefaultHandler) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Answers the next request(s) with these, in order, before the default behaviour resumes. */
  respondNext(...responses: ScriptedResponse[]): void {
    this.script.push(...responses);
  }

  /** Resolves once at least `n` requests (matching `pred`, if given) have arrived. */
  async waitFor(n: number, pred: (r: RecordedRequest) => boolean = () => true, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.filter(pred).length < n) {
      if (Date.now() > deadline)
        throw new Error(
          `double: ${this.requests.filter(pred).length}/${n} requests after ${timeoutMs} ms`,
        );
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
    return this.requests.filter(pred);
  }

  clear(): void {
    this.requests.length = 0;
    this.script.length = 0;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.hanging = [];
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at: Date.now(),
    };
    this.requests.push(rec);
    for (const w of this.waiters.splice(0)) w();
    const answer = this.script.shift() ?? (await this.fallback(rec));
    if (answer === 'hang') {
      this.hanging.push(res);
      return;
    }
    const body =
      answer.body === undefined
        ? ''
        : typeof answer.body === 'string'
          ? answer.body
          : JSON.stringify(answer.body);
    const headers: Record<string, string> = {
      ...(typeof answer.body === 'object' ? { 'content-type': 'application/json' } : {}),
      ...answer.headers,
    };
    res.writeHead(answer.status, headers).end(body);
  }
}
