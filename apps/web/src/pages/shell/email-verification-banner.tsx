import { useMutation } from '@tanstack/react-query';
import { accountApi } from '../../api/account.api';
import { describeError } from '../../api/api-client';
import { Button } from '../../components/button';
import { MailIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { useMe } from '../../session/session';

/** Until the address is confirmed, a calm reminder with a way to get a new link. */
export function EmailVerificationBanner() {
  const me = useMe();
  const toast = useToast();
  const resend = useMutation({
    mutationFn: accountApi.resendVerification,
    onSuccess: () => toast.showSuccess(`A new link is on its way to ${me.data?.email ?? 'your inbox'}.`),
    onError: (error) => toast.showError(describeError(error)),
  });
  if (!me.data || me.data.isEmailVerified) return null;
  return (
    <div className="banner" role="status">
      <MailIcon />
      <span className="grow">
        Confirm your email address: we sent a link to <strong>{me.data.email}</strong>.
      </span>
      <Button size="sm" variant="ghost" isLoading={resend.isPending} onClick={() => resend.mutate()}>
        Send a new link
      </Button>
    </div>
  );
}
