// The LINE settings in 連携: the Messaging API channel (token and secret, stored sealed, never
// shown again), the LINE Login channel with its optional LIFF app (the booking site inside LINE),
// and the official account's rich menu.
import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/layout';
import { useFreshSubmit } from '../../components/reauth';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';
import { SecretField } from './secret-field';

export function LineChannel(props: { zone: string }) {
  const { t, locale } = useI18n();
  const [channel, setChannel] = useState<{ configured: boolean; webhook: boolean; updated_at: string | null } | null>(
    null,
  );
  const [token, setToken] = useState('');
  const [secret, setSecret] = useState('');
  const { busy, problem, field, act, prompt } = useFreshSubmit();
  const path = '/api/v1/settings/line';
  useEffect(() => {
    void act(async () => setChannel(await api('GET', path)));
  }, []);
  return (
    <section aria-labelledby="line-title">
      <h2 id="line-title">{t('line.admin_title')}</h2>
      <p>{t('line.admin_intro')}</p>
      {prompt}
      <p role="status" data-testid="line-channel">
        {channel?.configured && channel.updated_at
          ? t('line.configured', { when: formatInstant(channel.updated_at, props.zone, locale) })
          : t('line.not_configured')}
      </p>
      <form
        class="card stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const body: Record<string, string> = { channel_access_token: token.trim() };
            if (secret.trim()) body.channel_secret = secret.trim();
            setChannel(await api('PUT', path, { body }));
            setToken('');
            setSecret('');
          });
        }}
      >
        <SecretField
          id="line-token"
          label={t('line.token')}
          value={token}
          onInput={setToken}
          invalid={field === 'channel_access_token'}
        />
        <SecretField
          id="line-secret"
          label={t('line.channel_secret')}
          value={secret}
          onInput={setSecret}
          invalid={field === 'channel_secret'}
        />
        {problem ? <Alert>{problem}</Alert> : null}
        <div class="group">
          <button type="submit" disabled={busy}>
            {t('line.save')}
          </button>
          {channel?.configured ? (
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  await api('DELETE', path);
                  setChannel({ configured: false, webhook: false, updated_at: null });
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

// The official account's rich menu (book, my page, my bookings), made at LINE.
export function LineRichMenu(props: { zone: string }) {
  const { t, locale } = useI18n();
  const [menu, setMenu] = useState<{ configured: boolean; set_at?: string } | null>(null);
  const { busy, problem, run } = useSubmit();
  const path = '/api/v1/settings/line/rich-menu';
  useEffect(() => {
    void run(async () => setMenu(await api('GET', path)));
  }, []);
  return (
    <section aria-labelledby="line-menu-title">
      <h2 id="line-menu-title">{t('line.menu_title')}</h2>
      <p>{t('line.menu_intro')}</p>
      <p role="status" data-testid="line-rich-menu">
        {menu?.configured && menu.set_at
          ? t('line.menu_set', { when: formatInstant(menu.set_at, props.zone, locale) })
          : t('line.not_configured')}
      </p>
      {problem ? <Alert>{problem}</Alert> : null}
      <div class="group">
        <button type="button" disabled={busy} onClick={() => void run(async () => setMenu(await api('PUT', path)))}>
          {t('line.menu_save')}
        </button>
        {menu?.configured ? (
          <button
            type="button"
            class="danger"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await api('DELETE', path);
                setMenu({ configured: false });
              })
            }
          >
            {t('line.menu_remove')}
          </button>
        ) : null}
      </div>
    </section>
  );
}

// The LINE Login channel: customers sign in and link LINE through it (its secret never shown);
// with its LIFF app's id the booking site also opens inside LINE.
export function LineLogin(props: { tenant: string }) {
  const { t } = useI18n();
  const [channel, setChannel] = useState<{ configured: boolean; channel_id: string | null; liff_id?: string | null } | null>(
    null,
  );
  const [channelId, setChannelId] = useState('');
  const [secret, setSecret] = useState('');
  const [liffId, setLiffId] = useState('');
  const { busy, problem, field, act, prompt } = useFreshSubmit();
  const path = '/api/v1/settings/line/login';
  useEffect(() => {
    void act(async () => {
      const c = await api<{ configured: boolean; channel_id: string | null; liff_id?: string | null }>('GET', path);
      setChannel(c);
      setLiffId(c.liff_id ?? '');
    });
  }, []);
  return (
    <section aria-labelledby="line-login-title">
      <h2 id="line-login-title">{t('line.login_title')}</h2>
      <p>{t('line.login_intro')}</p>
      {prompt}
      <p role="status" data-testid="line-login-channel">
        {channel?.configured ? t('line.login_configured', { id: channel.channel_id ?? '' }) : t('line.not_configured')}
      </p>
      <form
        class="card stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            setChannel(
              await api('PUT', path, {
                body: { channel_id: channelId.trim(), channel_secret: secret.trim(), liff_id: liffId.trim() },
              }),
            );
            setSecret('');
          });
        }}
      >
        <div class="field">
          <label for="line-login-id">{t('line.login_channel_id')}</label>
          <input
            id="line-login-id"
            inputMode="numeric"
            value={channelId}
            onInput={(e) => setChannelId(e.currentTarget.value)}
            aria-invalid={field === 'channel_id' ? true : undefined}
          />
        </div>
        <SecretField
          id="line-login-secret"
          label={t('line.login_channel_secret')}
          value={secret}
          onInput={setSecret}
          invalid={field === 'channel_secret'}
        />
        <div class="field">
          <label for="line-liff-id">{t('line.liff_id')}</label>
          <input
            id="line-liff-id"
            value={liffId}
            onInput={(e) => setLiffId(e.currentTarget.value)}
            aria-invalid={field === 'liff_id' ? true : undefined}
            aria-describedby="line-liff-endpoint"
          />
          <p id="line-liff-endpoint" class="muted" data-testid="line-liff-endpoint">
            {t('line.liff_endpoint', { url: `${location.origin}/t/${props.tenant}/liff` })}
          </p>
        </div>
        {problem ? <Alert>{problem}</Alert> : null}
        <div class="group">
          <button type="submit" disabled={busy}>
            {t('line.login_save')}
          </button>
          {channel?.configured ? (
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  await api('DELETE', path);
                  setChannel({ configured: false, channel_id: null });
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
