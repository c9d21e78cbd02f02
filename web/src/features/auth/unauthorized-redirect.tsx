import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { setUnauthorizedHandler } from '../../api/client';
import { loginPathFor } from './login-redirect';

/** Makes any 401 from the API send the user to /login, and back to where they were afterwards. */
export function UnauthorizedRedirect() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  useEffect(
    () =>
      setUnauthorizedHandler(() => {
        const { pathname, search, hash } = window.location;
        if (pathname === '/login') return;
        void navigate(loginPathFor(pathname + search + hash), { replace: true });
        // Cached data belonged to the session that just ended.
        queueMicrotask(() => queryClient.removeQueries());
      }),
    [navigate, queryClient],
  );
  return null;
}
