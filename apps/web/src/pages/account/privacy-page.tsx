import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { accountApi } from '../../api/account.api';
import { describeError } from '../../api/api-client';
import { workspacesApi } from '../../api/workspaces.api';
import { Button, ButtonAnchor } from '../../components/button';
import { Card } from '../../components/card';
import { DownloadIcon, ExternalIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { useToast } from '../../components/toast';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useSignedInAccount } from '../../session/session';
import { DeleteAccountDialog } from './delete-account-dialog';

/**
 * Gathers what the account routes can tell about you into one JSON file. The
 * full data-subject export (every module, JSON + CSV zip) belongs to the
 * privacy module; this is the interim self-service copy.
 */
async function buildAccountCopy() {
  const [account, sessions, securityEvents, apiTokens, workspaces] = await Promise.all([
    accountApi.findMe(),
    accountApi.listSessions(),
    accountApi.listSecurityEvents(),
    accountApi.listApiTokens(),
    workspacesApi.listWorkspaces(),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    account,
    sessions: sessions.items,
    securityEvents: securityEvents.items,
    apiTokens: apiTokens.items,
    workspaces: workspaces.items,
  };
}

function downloadJson(filename: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

export function PrivacyPage() {
  useDocumentTitle('Privacy');
  const account = useSignedInAccount();
  const toast = useToast();
  const [isDeleting, setDeleting] = useState(false);
  const exportCopy = useMutation({
    mutationFn: buildAccountCopy,
    onSuccess: (copy) => downloadJson(`weft-account-${account.username}.json`, copy),
    onError: (error) => toast.showError(describeError(error)),
  });

  return (
    <div className="page page-narrow">
      <PageHeader title="Privacy" description="What this instance keeps about you, and your rights over it." />
      <Card
        title="Privacy notice"
        description="Generated from the code’s own data inventory: every column, why it is kept, and for how long."
        footer={
          <ButtonAnchor href="/privacy" target="_blank" rel="noopener" icon={<ExternalIcon />}>
            Read the privacy notice
          </ButtonAnchor>
        }
      />
      <Card
        title="Download your data"
        description="A JSON copy of your account, sessions, security events, API tokens (never their secrets) and workspace memberships."
        footer={
          <Button icon={<DownloadIcon />} isLoading={exportCopy.isPending} onClick={() => exportCopy.mutate()}>
            Download my data
          </Button>
        }
      />
      <Card
        title="Delete your account"
        description="Your account is deactivated at once and its personal data erased. Workspaces you alone own are deleted with it; records the law requires us to keep (such as invoices) are kept for that time only."
        footer={
          <Button variant="danger" onClick={() => setDeleting(true)}>
            Delete my account
          </Button>
        }
      />
      <DeleteAccountDialog account={account} isOpen={isDeleting} onClose={() => setDeleting(false)} />
    </div>
  );
}
