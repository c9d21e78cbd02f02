import { execFileSync } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';

/*
 * Targets for check tests: an HTTP(S) server and a TCP server that can be switched down and up
 * on the same port, a self-signed certificate of a chosen lifetime (openssl), and a tiny DNS
 * server (UDP) answering A, AAAA, TXT and MX from a table.
 */

/** How the HTTP target answers. */
export type HttpMode = 'up' | 'error' | 'refuse' | 'hang';

/** An HTTP(S) server whose health the test switches. */
export class SwitchableHttpServer {
  mode: HttpMode = 'up';
  /** Status and body when up. */
  status = 200;
  body = '{"status":"ok","queue":3}';
  readonly requests: Array<{
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
    at: number;
  }> = [];
  private server: http.Server | https.Server;
  private sockets = new Set<net.Socket>();
  port = 0;

  constructor(tls?: { key: string; cert: string }) {
    const handler: http.RequestListener = (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        if (this.mode === 'hang') return; // never answers
        if (req.url?.startsWith('/redirect-to?')) {
          const to = new URLSearchParams(req.url.split('?')[1]).get('u') ?? '/';
          res.writeHead(302, { location: to }).end();
          return;
        }
        if (req.url?.startsWith('/redirect/')) {
          const n = Number(req.url.split('/')[2]);
          res.writeHead(302, { location: n > 0 ? `/redirect/${n - 1}` : '/' }).end();
          return;
        }
        if (this.mode === 'error') {
          res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
          return;
        }
        res.writeHead(this.status, { 'content-type': 'application/json' }).end(this.body);
      });
    };
    this.server = tls ? https.createServer(tls, handler) : http.createServer(handler);
    this.server.on('connection', (s: net.Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  /** Listens (on the same port as before, after `switchOff`). */
  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.mode = 'up';
    return this;
  }

  get url(): string {
    return `${this.server instanceof https.Server ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** Stops listening: connections are refused until `start()`. */
  async switchOff(): Promise<void> {
    this.mode = 'refuse';
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.server.listening)
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A TCP server that accepts (and closes) connections, switchable on one port. */
export class SwitchableTcpServer {
  private server = net.createServer((s) => s.end());
  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((resolve) =>
      this.server.listen(this.port, '127.0.0.1', () => resolve()),
    );
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async switchOff(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async stop(): Promise<void> {
    if (this.server.listening) await this.switchOff();
  }
}

/** A self-signed certificate for localhost and 127.0.0.1 valid for `days` days (openssl). */
export function selfSignedCert(days: number): { key: string; cert: string } {
  const dir = mkdtempSync(join(os.tmpdir(), 'tocsin-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        String(days),
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Records a DNS server answers from. */
export type DnsRecords = Record<
  string,
  { A?: string[]; AAAA?: string[]; TXT?: string[]; MX?: Array<[number, string]> }
>;

const types = { A: 1, MX: 15, TXT: 16, AAAA: 28 } as const;

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([
    ...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p)])),
    Buffer.from([0]),
  ]);
}

/** A DNS server over UDP on 127.0.0.1 answering from `records` (NXDOMAIN otherwise). */
export class DnsDouble {
  private socket: UdpSocket = createSocket('udp4');
  port = 0;
  queries = 0;

  constructor(public records: DnsRecords) {
    this.socket.on('message', (msg, rinfo) => {
      this.queries++;
      const reply = this.answer(msg);
      if (reply) this.socket.send(reply, rinfo.port, rinfo.address);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve()));
    this.port = this.socket.address().port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private answer(msg: Buffer): Buffer | undefined {
    if (msg.length < 12) return undefined;
    let i = 12;
    const labels: string[] = [];
    while (i < msg.length && msg[i] !== 0) {
      const len = msg[i]!;
      labels.push(msg.subarray(i + 1, i + 1 + len).toString());
      i += len + 1;
    }
    const qEnd = i + 5;
    const qtype = msg.readUInt16BE(i + 1);
    const name = labels.join('.').toLowerCase();
    const entry = this.records[name];
    const answers: Buffer[] = [];
    const rr = (type: number, data: Buffer) => {
      const head = Buffer.alloc(12);
      head.writeUInt16BE(0xc00c, 0);
      head.writeUInt16BE(type, 2);
      head.writeUInt16BE(1, 4);
      head.writeUInt32BE(60, 6);
      head.writeUInt16BE(data.length, 10);
      answers.push(Buffer.concat([head, data]));
    };
    if (entry) {
      if (qtype === types.A)
        for (const a of entry.A ?? []) rr(qtype, Buffer.from(a.split('.').map(Number)));
      if (qtype === types.AAAA)
        for (const a of entry.AAAA ?? []) {
          const b = Buffer.alloc(16);
          const full = a.includes('::') ? expand6(a) : a.split(':');
          full.forEach((h, k) => b.writeUInt16BE(parseInt(h || '0', 16), k * 2));
          rr(qtype, b);
        }
      if (qtype === types.TXT)
        for (const t of entry.TXT ?? [])
          rr(qtype, Buffer.concat([Buffer.from([t.length]), Buffer.from(t)]));
      if (qtype === types.MX)
        for (const [pref, host] of entry.MX ?? []) {
          const p = Buffer.alloc(2);
          p.writeUInt16BE(pref);
          rr(qtype, Buffer.concat([p, encodeName(host)]));
        }
    }
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(entry ? 0x8180 : 0x8183, 2); // response, RD, RA; NOERROR or NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    return Buffer.concat([header, msg.subarray(12, qEnd), ...answers]);
  }
}

function expand6(a: string): string[] {
  const [head = '', tail = ''] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  return [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t];
}
