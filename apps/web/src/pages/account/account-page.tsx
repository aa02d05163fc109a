import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { accountApi } from '../../api/account.api';
import { queryKeys } from '../../api/query-keys';
import { ButtonAnchor } from '../../components/button';
import { Card } from '../../components/card';
import { CopyButton } from '../../components/copy-button';
import { DiscordIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { useToast } from '../../components/toast';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useSignedInAccount } from '../../session/session';
import { ThemeSwitcher } from '../shell/theme-switcher';
import { ProfileCard } from './profile-card';

export function AccountPage() {
  useDocumentTitle('Profile');
  const account = useSignedInAccount();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const referral = useQuery({ queryKey: queryKeys.referral, queryFn: accountApi.showReferral });

  useEffect(() => {
    // The Discord callback lands here with ?discord=linked.
    if (params.get('discord') === 'linked') {
      toast.showSuccess('Discord is linked: you can now log in with it.');
      setParams({}, { replace: true });
    }
  }, [params, setParams, toast]);

  return (
    <div className="page page-narrow">
      <PageHeader title="Profile" description="How you appear in Weft, and how Weft looks to you." />
      <ProfileCard account={account} />
      <Card title="Appearance" description="Light, dark, or follow your device.">
        <ThemeSwitcher />
      </Card>
      <Card
        title="Discord"
        description={account.isDiscordLinked ? 'Your Discord account is linked; you can log in with it.' : 'Link Discord to log in with it and to manage your bots’ servers.'}
      >
        {account.isDiscordLinked ? (
          <span className="badge badge-success">
            <span className="badge-dot" aria-hidden="true" />
            Linked
          </span>
        ) : (
          <ButtonAnchor href="/api/v1/auth/discord?link=true" icon={<DiscordIcon />}>
            Link Discord
          </ButtonAnchor>
        )}
      </Card>
      <Card title="Invite friends" description="People who sign up with your link are counted here.">
        {referral.data ? (
          <div className="stack-sm">
            <div className="secret-box">
              <span className="grow">{referral.data.link}</span>
              <CopyButton value={referral.data.link} />
            </div>
            <p className="subtle">
              {referral.data.referredCount === 1 ? '1 person has' : `${referral.data.referredCount} people have`} signed up with your link.
            </p>
          </div>
        ) : (
          <p className="subtle">{referral.isError ? 'Your referral link is not available right now.' : 'Loading…'}</p>
        )}
      </Card>
    </div>
  );
}
