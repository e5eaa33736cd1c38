// The venue's Zoom account (a Server-to-Server OAuth app): with it connected, offerings may give
// each booking its own Zoom meeting. The credentials are checked with Zoom, stored sealed and
// never shown again; connecting asks for the password again.
import { useEffect, useState } from 'preact/hooks';
import { FormProblem, TextField } from '../../components/field';
import { useFreshSubmit } from '../../components/reauth';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import type { components } from '../../lib/api.gen';
import { formatInstant } from '../../lib/datetime';

type Connection = components['schemas']['ZoomConnection'];

export function ZoomAccount(props: { zone: string }) {
  const { t, locale } = useI18n();
  const [connection, setConnection] = useState<Connection | null>(null);
  const [accountId, setAccountId] = useState('');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const { busy, problem, field, act, prompt } = useFreshSubmit();
  const path = '/api/v1/settings/zoom';
  const error = { field, problem };
  useEffect(() => {
    void act(async () => setConnection(await api('GET', path)));
  }, []);
  return (
    <section aria-labelledby="zoom-title">
      <h2 id="zoom-title">{t('zoom.title')}</h2>
      <p>{t('zoom.intro')}</p>
      {prompt}
      <p role="status" data-testid="zoom-connection">
        {connection?.configured && connection.updated_at
          ? t('zoom.connected', {
              id: connection.client_id ?? '',
              when: formatInstant(connection.updated_at, props.zone, locale),
            })
          : t('line.not_configured')}
      </p>
      <form
        class="card stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            setConnection(
              await api('PUT', path, {
                body: { account_id: accountId.trim(), client_id: clientId.trim(), client_secret: secret.trim() },
              }),
            );
            setSecret('');
          });
        }}
      >
        <TextField
          id="zoom-account_id"
          name="account_id"
          label={t('zoom.account_id')}
          value={accountId}
          onInput={setAccountId}
          error={error}
        />
        <TextField
          id="zoom-client_id"
          name="client_id"
          label={t('zoom.client_id')}
          value={clientId}
          onInput={setClientId}
          error={error}
        />
        <TextField
          id="zoom-client_secret"
          name="client_secret"
          type="password"
          label={t('zoom.client_secret')}
          value={secret}
          onInput={setSecret}
          error={error}
        />
        <FormProblem error={error} fields={['account_id', 'client_id', 'client_secret']} />
        <div class="group">
          <button type="submit" disabled={busy}>
            {t('zoom.save')}
          </button>
          {connection?.configured ? (
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  await api('DELETE', path);
                  setConnection({ configured: false, account_id: null, client_id: null, updated_at: null });
                })
              }
            >
              {t('line.remove')}
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
