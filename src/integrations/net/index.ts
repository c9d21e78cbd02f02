/** The network guard every outbound request goes through (ADR 0005). */
export {
  checkHost,
  createGuardedFetch,
  isBlockedAddress,
  normalizeHost,
  parseAllowList,
  SsrfBlockedError,
  type GuardedFetchOptions,
  type LookupAll,
} from './ssrf-guard.js';
