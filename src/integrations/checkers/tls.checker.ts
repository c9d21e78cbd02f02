import { isIP } from 'node:net';
import tls from 'node:tls';
import type { ProbeResult, TlsCheckConfig } from '../../domains/checks/index.js';
import { deadline, down, since, type ProbeContext } from './checker.js';
import {
  certificateExpired,
  certificateFacts,
  certificateWarning,
  describeError,
  resolveGuarded,
} from './guard.js';

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * TLS: up when a handshake completes and (with verifyTls) the certificate chain and name are
 * valid; an expired certificate is down even without verification. A certificate within
 * `certExpiryDays` of expiry is up with a warning (a warning-severity alert).
 */
export async function probeTls(config: TlsCheckConfig, ctx: ProbeContext): Promise<ProbeResult> {
  const started = performance.now();
  const signal = deadline(ctx.timeoutMs, ctx.signal);
  const servername = config.servername ?? config.host;
  try {
    const [target] = await resolveGuarded(config.host, ctx.allow, ctx.lookup, signal);
    const facts = await new Promise<{
      validTo: string | undefined;
      subject: string | undefined;
      issuer: string | undefined;
      protocol: string | null;
      authorized: boolean;
      authorizationError: string | undefined;
    }>((resolve, reject) => {
      const socket = tls.connect({
        host: target!.address,
        port: config.port,
        ...(isIP(servername) ? {} : { servername }),
        rejectUnauthorized: config.verifyTls,
        signal,
      } as tls.ConnectionOptions);
      socket.once('secureConnect', () => {
        const cert = socket.getPeerCertificate();
        resolve({
          validTo: cert?.valid_to,
          subject: first(cert?.subject?.CN),
          issuer: first(cert?.issuer?.O ?? cert?.issuer?.CN),
          protocol: socket.getProtocol(),
          authorized: socket.authorized,
          authorizationError: socket.authorizationError?.toString(),
        });
        socket.destroy();
      });
      socket.once('error', reject);
    });
    const latencyMs = since(started);
    const cert = certificateFacts(facts.validTo, ctx.now());
    const details: Record<string, unknown> = {
      address: target!.address,
      protocol: facts.protocol,
      subject: facts.subject ?? null,
      issuer: facts.issuer ?? null,
      authorized: facts.authorized,
      ...(facts.authorizationError ? { authorizationError: facts.authorizationError } : {}),
      ...(cert ?? {}),
    };
    const expired = certificateExpired(cert);
    if (expired) return down(expired, latencyMs, details);
    return {
      ok: true,
      latencyMs,
      error: null,
      warning: certificateWarning(cert, config.certExpiryDays),
      details,
    };
  } catch (err) {
    return down(
      describeError(signal.aborted && !ctx.signal?.aborted ? signal.reason : err, ctx.timeoutMs),
      since(started),
    );
  }
}
