import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { accountApi, type Account, type TotpEnrolment } from '../../api/account.api';
import { describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field, FormError } from '../../components/field';
import { Input } from '../../components/input';
import { useToast } from '../../components/toast';
import { DisableTwoFactorDialog } from './disable-two-factor-dialog';
import { RecoveryCodesDialog } from './recovery-codes-dialog';

function EnrolmentForm({ enrolment, onDone }: { enrolment: TotpEnrolment; onDone: (codes: string[]) => void }) {
  const [code, setCode] = useState('');
  const confirm = useMutation({ mutationFn: () => accountApi.confirmTotp(code.replace(/\s/g, '')), onSuccess: (reply) => onDone(reply.recoveryCodes) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <ol className="stack-sm" style={{ margin: 0, paddingLeft: 18 }}>
        <li>Scan this QR code with an authenticator app (1Password, Aegis, Google Authenticator…).</li>
        <li>Enter the six-digit code it shows.</li>
      </ol>
      <img className="qr-code" src={enrolment.qrCodeDataUrl} alt="QR code to add Weft to an authenticator app" />
      <p className="subtle">
        Cannot scan? Enter this key by hand: <code>{enrolment.secret}</code>
      </p>
      <FormError message={confirm.error ? describeError(confirm.error) : null} />
      <Field label="Code from the app">
        {(control) => (
          <Input {...control} value={code} onChange={(event) => setCode(event.target.value)} inputMode="numeric" autoComplete="one-time-code" isMono maxLength={7} style={{ maxWidth: 160 }} />
        )}
      </Field>
      <div>
        <Button type="submit" variant="primary" isLoading={confirm.isPending}>
          Turn on two-factor authentication
        </Button>
      </div>
    </form>
  );
}

function RegenerateCodesForm({ onDone }: { onDone: (codes: string[]) => void }) {
  const [code, setCode] = useState('');
  const regenerate = useMutation({ mutationFn: () => accountApi.regenerateRecoveryCodes(code.replace(/\s/g, '')), onSuccess: (reply) => onDone(reply.recoveryCodes) });
  return (
    <form
      className="toolbar"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        regenerate.mutate();
      }}
    >
      <Field label="Code from your app" error={regenerate.error ? describeError(regenerate.error) : null}>
        {(control) => <Input {...control} value={code} onChange={(event) => setCode(event.target.value)} inputMode="numeric" autoComplete="one-time-code" isMono maxLength={7} />}
      </Field>
      <Button type="submit" isLoading={regenerate.isPending}>
        New recovery codes
      </Button>
    </form>
  );
}

export function TwoFactorCard({ account }: { account: Account }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [isDisabling, setDisabling] = useState(false);
  const start = useMutation({ mutationFn: accountApi.startTotpEnrolment, onSuccess: setEnrolment, onError: (error) => toast.showError(describeError(error)) });

  const showCodes = (codes: string[]) => {
    setEnrolment(null);
    setRecoveryCodes(codes);
    void queryClient.invalidateQueries({ queryKey: queryKeys.me });
  };

  return (
    <Card
      title="Two-factor authentication"
      description={account.isTotpEnabled ? 'On: signing in asks for a code from your authenticator app.' : 'Protect your account with a code from an authenticator app.'}
      actions={
        account.isTotpEnabled ? (
          <span className="badge badge-success">
            <span className="badge-dot" aria-hidden="true" />
            On
          </span>
        ) : (
          <span className="badge">Off</span>
        )
      }
    >
      {account.isTotpEnabled ? (
        <div className="stack">
          <RegenerateCodesForm onDone={showCodes} />
          <div>
            <Button variant="ghost" onClick={() => setDisabling(true)}>
              Turn off two-factor authentication
            </Button>
          </div>
        </div>
      ) : enrolment ? (
        <EnrolmentForm enrolment={enrolment} onDone={showCodes} />
      ) : (
        <Button variant="primary" isLoading={start.isPending} onClick={() => start.mutate()}>
          Set up two-factor authentication
        </Button>
      )}
      <RecoveryCodesDialog codes={recoveryCodes} onClose={() => setRecoveryCodes(null)} />
      <DisableTwoFactorDialog account={account} isOpen={isDisabling} onClose={() => setDisabling(false)} />
    </Card>
  );
}
