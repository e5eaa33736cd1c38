// Security settings (session timeouts per role, lockout, two-step sign-in for staff; saving
// needs the password again) and one's own sessions (end one, or sign out everywhere).
import { useEffect, useState } from 'preact/hooks';
import { Loading } from '../../components/layout';
import { useFreshSubmit } from '../../components/reauth';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/ja';
import { api, setCsrfToken } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';

type Settings = Record<string, number | string>;

const numeric: [string, MessageKey][] = [
  ['session.manager.idle_minutes', 'sec.manager_idle'],
  ['session.manager.absolute_minutes', 'sec.manager_absolute'],
  ['session.staff.idle_minutes', 'sec.staff_idle'],
  ['session.staff.absolute_minutes', 'sec.staff_absolute'],
  ['session.customer.idle_minutes', 'sec.customer_idle'],
  ['session.customer.absolute_minutes', 'sec.customer_absolute'],
  ['lockout.threshold', 'sec.lockout_threshold'],
  ['lockout.minutes', 'sec.lockout_minutes'],
];

export function Security(props: { zone: string; onSignedOut: () => void }) {
  return (
    <>
      <SecuritySettings />
      <Sessions zone={props.zone} onSignedOut={props.onSignedOut} />
    </>
  );
}

function SecuritySettings() {
  const { t } = useI18n();
  const [saved, setSaved] = useState<Settings | null>(null);
  const [form, setForm] = useState<Settings>({});
  const [note, setNote] = useState(false);
  const { busy, problem, field, act, prompt } = useFreshSubmit();
  useEffect(() => {
    void act(async () => {
      const s = await api<Settings>('GET', '/api/v1/settings/security');
      setSaved(s);
      setForm(s);
    });
  }, []);
  if (!saved) return <Loading />;
  return (
    <form
      class="card filters"
      noValidate
      aria-labelledby="sec-title"
      onSubmit={(e) => {
        e.preventDefault();
        setNote(false);
        const changed: Settings = {};
        for (const [k, v] of Object.entries(form)) if (saved[k] !== v) changed[k] = v;
        void act(async () => {
          const s = await api<Settings>('PATCH', '/api/v1/settings/security', { body: changed });
          setSaved(s);
          setForm(s);
          setNote(true);
        });
      }}
    >
      <h1 id="sec-title" class="span">
        {t('sec.title')}
      </h1>
      {prompt ? <div class="span">{prompt}</div> : null}
      {numeric.map(([key, label]) => (
        <div class="field" key={key}>
          <label for={`sec-${key}`}>{t(label)}</label>
          <input
            id={`sec-${key}`}
            type="number"
            inputMode="numeric"
            value={form[key] ?? ''}
            onInput={(e) => setForm({ ...form, [key]: Number(e.currentTarget.value) })}
            aria-invalid={field === key ? true : undefined}
            aria-describedby={field === key ? 'sec-error' : undefined}
          />
        </div>
      ))}
      <div class="field span">
        <label for="sec-networks">{t('sec.networks')}</label>
        <input
          id="sec-networks"
          value={String(form['access.staff_networks'] ?? '')}
          placeholder="203.0.113.0/24, 2001:db8:10::/48"
          onInput={(e) => setForm({ ...form, 'access.staff_networks': e.currentTarget.value })}
          aria-invalid={field === 'access.staff_networks' ? true : undefined}
          aria-describedby={field === 'access.staff_networks' ? 'sec-error' : 'sec-networks-hint'}
        />
        <p class="muted" id="sec-networks-hint">
          {t('sec.networks_hint')}
        </p>
      </div>
      <label class="check span">
        <input
          type="checkbox"
          checked={form['mfa.staff_required'] === 1}
          onChange={(e) => setForm({ ...form, 'mfa.staff_required': e.currentTarget.checked ? 1 : 0 })}
        />{' '}
        {t('sec.mfa_staff')}
      </label>
      {problem ? (
        <p class="alert span" role="alert" id="sec-error">
          {problem}
        </p>
      ) : null}
      {note ? (
        <p class="span" role="status">
          {t('me.saved')}
        </p>
      ) : null}
      <button type="submit" class="primary" disabled={busy}>
        {t('me.save')}
      </button>
    </form>
  );
}

interface Session {
  id: string;
  created_at: string;
  last_seen_at: string;
  client_address: string;
  user_agent: string;
  current: boolean;
}

function Sessions(props: { zone: string; onSignedOut: () => void }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Session[] | null>(null);
  const { busy, problem, run } = useSubmit();
  const load = async () => setItems((await api<{ items: Session[] }>('GET', '/api/v1/sessions')).items);
  useEffect(() => {
    void run(load);
  }, []);
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('sec.sessions')}</h2>
      {problem ? <p class="alert">{problem}</p> : null}
      {!items ? (
        <Loading />
      ) : (
        <table class="list">
          <caption>{t('sec.sessions_intro')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('sec.signed_in')}</th>
              <th scope="col">{t('sec.last_seen')}</th>
              <th scope="col">{t('audit.address')}</th>
              <th scope="col">{t('sec.device')}</th>
              <th scope="col">{t('op.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id}>
                <td>{formatInstant(s.created_at, props.zone, locale)}</td>
                <td>{formatInstant(s.last_seen_at, props.zone, locale)}</td>
                <td>{s.client_address}</td>
                <td>{s.user_agent}</td>
                <td>
                  {s.current ? (
                    <span class="muted">{t('sec.this_one')}</span>
                  ) : (
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() =>
                        void run(async () => {
                          await api('DELETE', `/api/v1/sessions/${encodeURIComponent(s.id)}`);
                          await load();
                        })
                      }
                    >
                      {t('sec.end')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <button
          type="button"
          class="danger"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await api('DELETE', '/api/v1/sessions');
              setCsrfToken('');
              props.onSignedOut();
            })
          }
        >
          {t('sec.everywhere')}
        </button>
      </p>
    </section>
  );
}
