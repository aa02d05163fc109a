import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { accountApi, type Account } from '../../api/account.api';
import { ApiError, describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field, FormError } from '../../components/field';
import { Input, Select } from '../../components/input';
import { useToast } from '../../components/toast';

const LANGUAGES = [
  { tag: 'en', label: 'English' },
  { tag: 'de', label: 'Deutsch' },
  { tag: 'es', label: 'Español' },
  { tag: 'fr', label: 'Français' },
  { tag: 'it', label: 'Italiano' },
  { tag: 'nl', label: 'Nederlands' },
  { tag: 'pl', label: 'Polski' },
  { tag: 'pt-BR', label: 'Português (Brasil)' },
];

export function ProfileCard({ account }: { account: Account }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [username, setUsername] = useState(account.username);
  const [locale, setLocale] = useState(account.locale);

  const save = useMutation({
    mutationFn: () => accountApi.updateProfile({ ...(username !== account.username ? { username } : {}), ...(locale !== account.locale ? { locale } : {}) }),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.me, updated);
      toast.showSuccess('Profile saved.');
    },
  });

  const error = save.error;
  const usernameError =
    error instanceof ApiError && error.code === 'ACCOUNTS_USERNAME_TAKEN'
      ? 'This username is taken.'
      : error instanceof ApiError && error.code === 'ACCOUNTS_USERNAME_RESERVED'
        ? 'This username is reserved.'
        : error instanceof ApiError
          ? error.fieldErrors().username
          : undefined;
  const isChanged = username !== account.username || locale !== account.locale;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (isChanged) save.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Card
        title="Account"
        footer={
          <Button type="submit" variant="primary" disabled={!isChanged} isLoading={save.isPending}>
            Save changes
          </Button>
        }
      >
        <div className="stack">
          <FormError message={error && !usernameError ? describeError(error) : null} />
          <dl className="definition-list">
            <dt>Email</dt>
            <dd>
              {account.email}{' '}
              {account.isEmailVerified ? <span className="badge badge-success">Confirmed</span> : <span className="badge badge-warning">Not confirmed</span>}
            </dd>
            <dt>Member since</dt>
            <dd>{new Date(account.createdAt).toLocaleDateString()}</dd>
          </dl>
          <Field label="Username" error={usernameError}>
            {(control) => <Input {...control} value={username} autoComplete="username" onChange={(event) => setUsername(event.target.value)} />}
          </Field>
          <Field label="Language" hint="Used for emails and, as translations arrive, the dashboard.">
            {(control) => (
              <Select {...control} value={locale} onChange={(event) => setLocale(event.target.value)}>
                {LANGUAGES.some((language) => language.tag === locale) ? null : <option value={locale}>{locale}</option>}
                {LANGUAGES.map((language) => (
                  <option key={language.tag} value={language.tag}>
                    {language.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
      </Card>
    </form>
  );
}
