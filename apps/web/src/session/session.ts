import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { accountApi, type Account } from '../api/account.api';
import { markSignedOut, rememberCsrfToken } from '../api/api-client';
import { queryKeys } from '../api/query-keys';
import { clearFormDrafts } from '../lib/form-draft';
import { clearCachedApiResponses } from '../lib/service-worker';
import { forgetLastWorkspace } from './last-workspace';

/** The signed-in account, or null when nobody is signed in (never redirects by itself). */
export function useMe() {
  return useQuery<Account | null>({
    queryKey: queryKeys.me,
    queryFn: async () => {
      try {
        return await accountApi.findMe(true);
      } catch (error) {
        if ((error as { status?: number }).status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Provided by RequireAuth, which renders its children only once the account is loaded. */
export const SignedInAccountContext = createContext<Account | null>(null);

/** The signed-in account inside the shell (stable while a sign-out unmounts the shell). */
export function useSignedInAccount(): Account {
  const account = useContext(SignedInAccountContext);
  if (!account) throw new Error('useSignedInAccount is used outside RequireAuth');
  return account;
}

/** Stores what a sign-in or sign-up returned, so the next screen needs no extra request. */
export function useAcceptSignIn() {
  const queryClient = useQueryClient();
  return (reply: { user: Account; csrfToken: string }) => {
    rememberCsrfToken(reply.csrfToken);
    queryClient.setQueryData(queryKeys.me, reply.user);
  };
}

export function useLogOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => accountApi.logOut(),
    onSettled: () => {
      // Whatever the server said, this browser forgets the account and its drafts.
      // With `me` null, RequireAuth sends the page to /login (without "next": this was on purpose).
      markSignedOut();
      clearFormDrafts();
      clearCachedApiResponses();
      forgetLastWorkspace();
      queryClient.setQueryData(queryKeys.me, null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.me[0] });
    },
  });
}
