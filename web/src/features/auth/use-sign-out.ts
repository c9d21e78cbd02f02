import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useLogout } from '../../api/auth';

/** Signs out, goes to /login, and forgets everything cached for the ended session. */
export function useSignOut() {
  const logout = useLogout();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signOut = () =>
    logout.mutate(undefined, {
      // Even if the server call failed, the user asked to leave: go to the login page.
      onSettled: () => {
        void navigate('/login', { replace: true });
        // After navigating, so that the signed-in pages do not refetch what is being removed.
        queryClient.removeQueries();
      },
    });
  return { signOut, isPending: logout.isPending };
}
