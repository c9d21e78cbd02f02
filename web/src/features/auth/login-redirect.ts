/** Where to go after login: `next` if it is a same-origin path, else the home page. */
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return '/';
  }
  if (next === '/login' || next.startsWith('/login?')) return '/';
  return next;
}

/** The login page URL that comes back to `path` (pathname + search + hash) afterwards. */
export function loginPathFor(path: string): string {
  if (path === '/' || path.startsWith('/login')) return '/login';
  return `/login?next=${encodeURIComponent(path)}`;
}
