// Kiosk and integration tokens: made here (the secret is shown once), listed without their
// secrets, revoked at once. Making and revoking need the password confirmed within 10 minutes.
import { useEffect, useState } from 'preact/hooks';
import { ShownOnce } from '../../components/shown-once';
import { Alert, Loading } from '../../components/layout';
import { useFreshSubmit } from '../../components/reauth';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';

interface ApiToken {
  id: number;
  kind: 'integration' | 'kiosk';
  name: string;
  hint: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

const integrationScopes = [
  'tenant.bookings.read',
  'tenant.bookings.manage',
  'tenant.setup.manage',
  'tenant.checkin',
  'tenant.audit.read',
  'tenant.export',
];

export function Tokens(props: { zone: string }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<ApiToken[] | null>(null);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'kiosk' | 'integration'>('kiosk');
  const [scopes, setScopes] = useState<string[]>(['tenant.bookings.read']);
  const [days, setDays] = useState(365);
  const [secret, setSecret] = useState<string | null>(null);
  const { busy, problem, act, prompt } = useFreshSubmit();

  const load = async () => setItems((await api<{ items: ApiToken[] }>('GET', '/api/v1/api-tokens')).items);
  useEffect(() => {
    void act(load);
  }, []);

  const when = (iso: string | null) => (iso ? formatInstant(iso, props.zone, locale) : '—');
  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">{t('tokens.title')}</h1>
      <p>{t('tokens.intro')}</p>
      {prompt}
      <ShownOnce intro={t('tokens.secret_once')} value={secret} testId="new-token" />
      <form
        class="card stack"
        noValidate
        aria-labelledby="token-new"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const made = await api<ApiToken & { token: string }>('POST', '/api/v1/api-tokens', {
              body: {
                name,
                kind,
                scopes: kind === 'kiosk' ? ['tenant.checkin'] : scopes,
                expires_at: new Date(Date.now() + days * 86_400_000).toISOString(),
              },
            });
            setSecret(made.token);
            setName('');
            await load();
          });
        }}
      >
        <h2 id="token-new">{t('tokens.new')}</h2>
        <div class="field">
          <label for="token-name">{t('tokens.name')}</label>
          <input id="token-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="token-kind">{t('tokens.kind')}</label>
          <select id="token-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value === 'integration' ? 'integration' : 'kiosk')}>
            <option value="kiosk">{t('tokens.kind_kiosk')}</option>
            <option value="integration">{t('tokens.kind_integration')}</option>
          </select>
        </div>
        <div class="field">
          <label for="token-lifetime">{t('tokens.lifetime')}</label>
          <select id="token-lifetime" value={String(days)} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            {[30, 90, 365, 730].map((d) => (
              <option key={d} value={String(d)}>
                {t('tokens.days', { days: String(d) })}
              </option>
            ))}
          </select>
        </div>
        {kind === 'integration' ? (
          <fieldset>
            <legend>{t('tokens.scopes')}</legend>
            {integrationScopes.map((s) => (
              <label key={s} class="check">
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
                />{' '}
                <code>{s}</code>
              </label>
            ))}
          </fieldset>
        ) : null}
        {problem ? <Alert>{problem}</Alert> : null}
        <button type="submit" class="primary" disabled={busy}>
          {t('tokens.create')}
        </button>
      </form>
      {!items ? (
        <Loading />
      ) : (
        <table class="list">
          <caption>{t('tokens.list')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tokens.name')}</th>
              <th scope="col">{t('tokens.kind')}</th>
              <th scope="col">{t('tokens.hint')}</th>
              <th scope="col">{t('tokens.last_used')}</th>
              <th scope="col">{t('tokens.expires')}</th>
              <th scope="col">{t('status.label')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((x) => (
              <tr key={x.id}>
                <td>{x.name}</td>
                <td>{x.kind === 'kiosk' ? t('tokens.kind_kiosk') : t('tokens.kind_integration')}</td>
                <td>
                  <code>{x.hint}…</code>
                </td>
                <td>{when(x.last_used_at)}</td>
                <td>{x.expires_at ? when(x.expires_at) : t('tokens.never')}</td>
                <td>
                  {x.revoked_at ? (
                    t('tokens.revoked', { when: when(x.revoked_at) })
                  ) : (
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() =>
                        void act(async () => {
                          await api('DELETE', `/api/v1/api-tokens/${x.id}`);
                          await load();
                        })
                      }
                    >
                      {t('tokens.revoke', { name: x.name })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
