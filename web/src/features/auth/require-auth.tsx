import { Button, Center, Stack } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { isApiError } from '../../api/client';
import { useMe } from '../../api/auth';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { CurrentUserProvider } from './current-user';
import { loginPathFor } from './login-redirect';

/** Renders the child routes for a signed-in user; otherwise goes to /login. */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();

  if (me.data) {
    return (
      <CurrentUserProvider value={me.data}>
        <Outlet />
      </CurrentUserProvider>
    );
  }
  if (me.isPending) return <LoadingBlock label="Checking your session" fullScreen />;
  if (isApiError(me.error) && me.error.status === 401) {
    return (
      <Navigate to={loginPathFor(location.pathname + location.search + location.hash)} replace />
    );
  }
  return (
    <Center h="100vh" p="md">
      <Stack maw={480} w="100%">
        <ApiErrorAlert error={me.error} title="Could not load your session" />
        <Button onClick={() => void me.refetch()} loading={me.isFetching}>
          Try again
        </Button>
      </Stack>
    </Center>
  );
}
