import { useQuery } from '@tanstack/react-query';
import { accountApi } from '../../api/account.api';
import { queryKeys } from '../../api/query-keys';
import { Card } from '../../components/card';
import { PageHeader } from '../../components/page-header';
import { formatRelativeTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useSignedInAccount } from '../../session/session';
import { PasswordCard } from './password-card';
import { SessionsCard } from './sessions-card';
import { TwoFactorCard } from './two-factor-card';

const EVENT_LABELS: Record<string, string> = {
  'login.new-device': 'Sign-in from a new device',
  'password.changed': 'Password changed',
  'password.reset': 'Password reset by email',
  'totp.enabled': 'Two-factor authentication turned on',
  'totp.disabled': 'Two-factor authentication turned off',
  'recovery-codes.regenerated': 'New recovery codes',
  'discord.linked': 'Discord linked',
};

export function SecurityPage() {
  useDocumentTitle('Security');
  const account = useSignedInAccount();
  const events = useQuery({ queryKey: queryKeys.securityEvents, queryFn: accountApi.listSecurityEvents });
  return (
    <div className="page page-narrow">
      <PageHeader title="Security" description="Your password, two-factor authentication and where you are signed in." />
      <PasswordCard account={account} />
      <TwoFactorCard account={account} />
      <SessionsCard />
      <Card title="Recent security events">
        {events.data?.items.length ? (
          <ul className="list-plain list-rows">
            {events.data.items.map((event) => (
              <li key={`${event.kind}-${event.at}`}>
                <span className="grow">
                  {EVENT_LABELS[event.kind] ?? event.kind}
                  <span className="subtle"> · {event.device}</span>
                </span>
                <time className="subtle" dateTime={event.at} title={new Date(event.at).toLocaleString()}>
                  {formatRelativeTime(event.at)}
                </time>
              </li>
            ))}
          </ul>
        ) : (
          <p className="subtle">{events.isPending ? 'Loading…' : 'Nothing to report.'}</p>
        )}
      </Card>
    </div>
  );
}
