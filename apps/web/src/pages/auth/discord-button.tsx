import { useQuery } from '@tanstack/react-query';
import { ButtonAnchor } from '../../components/button';
import { DiscordIcon } from '../../components/icons';

const DISCORD_START_URL = '/api/v1/auth/discord';

/**
 * Whether the instance has Discord login configured: the start route answers
 * a redirect when it is, 404 AUTH_DISCORD_DISABLED when it is not. The
 * redirect is not followed (`redirect: 'manual'`), so Discord is not contacted.
 */
function useIsDiscordLoginEnabled(): boolean {
  const probe = useQuery({
    queryKey: ['discord-login-enabled'],
    queryFn: async () => {
      const response = await fetch(DISCORD_START_URL, { redirect: 'manual', credentials: 'same-origin' });
      return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
    },
    staleTime: Infinity,
    retry: false,
  });
  return probe.data === true;
}

export function DiscordLoginButton({ referralCode }: { referralCode?: string | null }) {
  const isEnabled = useIsDiscordLoginEnabled();
  if (!isEnabled) return null;
  const href = referralCode ? `${DISCORD_START_URL}?ref=${encodeURIComponent(referralCode)}` : DISCORD_START_URL;
  return (
    <>
      <ButtonAnchor href={href} className="btn-discord" isBlock icon={<DiscordIcon />}>
        Log in with Discord
      </ButtonAnchor>
      <div className="auth-divider">or with your email</div>
    </>
  );
}
