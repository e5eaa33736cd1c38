// LINE on the booking site: sign in (or up) with LINE Login, link LINE to one's account from
// the customer's page, and finish a LINE sign-up with an address (/line-sign-up#token=…).
// The server talks to LINE; the browser only goes to LINE's authorization page and back.
import { useEffect, useState } from 'preact/hooks';
import { FormProblem, TextField } from '../../components/field';
import { SignIn, useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api, enc } from '../../lib/api';
import { useLinkFragment } from '../../lib/router';
import type { components } from '../../lib/api.gen';

type LineLink = components['schemas']['LineLink'];
type Authorization = components['schemas']['LineAuthorization'];

const OUTCOMES = ['linked', 'failed', 'cancelled', 'unverified', 'taken', 'unavailable', 'mfa'] as const;
type Outcome = (typeof OUTCOMES)[number];

// How the last LINE sign-in ended, from the callback's ?line=… (then taken off the address).
function lineOutcome(): Outcome | '' {
  const outcome = new URLSearchParams(location.search).get('line') ?? '';
  if (outcome) history.replaceState(null, '', location.pathname);
  return (OUTCOMES as readonly string[]).includes(outcome) ? (outcome as Outcome) : '';
}

function OutcomeNote(props: { outcome: Outcome | '' }) {
  const { t } = useI18n();
  if (!props.outcome) return null;
  const ok = props.outcome === 'linked';
  return (
    <p role={ok ? 'status' : 'alert'} class={ok ? undefined : 'problem'} data-testid="line-outcome">
      {t(`line.outcome.${props.outcome}`)}
    </p>
  );
}

/** "LINEでログイン" under the sign-in form, when the venue offers it. */
export function LineSignIn(props: { tenant: string; returnTo?: string }) {
  const { t } = useI18n();
  const [outcome] = useState(lineOutcome);
  const { busy, problem, run } = useSubmit();
  return (
    <div class="stack">
      <OutcomeNote outcome={outcome} />
      <button
        type="button"
        class="line"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            const a = await api<Authorization>('POST', `/api/v1/public/${enc(props.tenant)}/line/login`, {
              body: props.returnTo ? { return_to: props.returnTo } : {},
            });
            location.assign(a.authorize_url);
          })
        }
      >
        {t('line.sign_in')}
      </button>
      {problem ? <p class="problem">{problem}</p> : null}
    </div>
  );
}

/** The customer's page: linked or not, link (through LINE) or unlink. */
export function MyLine() {
  const { t } = useI18n();
  const [link, setLink] = useState<LineLink | null>(null);
  const [outcome] = useState(lineOutcome);
  const { busy, problem, run } = useSubmit();
  useEffect(() => {
    void run(async () => setLink(await api<LineLink>('GET', '/api/v1/me/line')));
  }, []);
  return (
    <section class="card stack" aria-labelledby="line-title">
      <h2 id="line-title">{t('line.title')}</h2>
      <p>{t('line.intro')}</p>
      <OutcomeNote outcome={outcome} />
      {link?.relink ? (
        <p role="alert" data-testid="line-relink">
          {t('line.relink')}
        </p>
      ) : null}
      {link?.linked ? (
        <p role="status" data-testid="line-linked">
          {t('line.linked')}{' '}
          <button
            type="button"
            class="link"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await api('DELETE', '/api/v1/me/line');
                setLink({ ...link, linked: false, user_id: null, relink: false });
              })
            }
          >
            {t('line.unlink')}
          </button>
        </p>
      ) : (
        <button
          type="button"
          class="line"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              const a = await api<Authorization>('POST', '/api/v1/me/line/link', {
                body: { return_to: location.pathname.replace(/^\/t\/[^/]+/, '') || '/me' },
              });
              location.assign(a.authorize_url);
            })
          }
        >
          {t('line.link')}
        </button>
      )}
      {link?.linked ? (
        <fieldset>
          <legend>{t('line.channel')}</legend>
          {(['both', 'line', 'mail'] as const).map((c) => (
            <label key={c}>
              <input
                type="radio"
                name="notify-channel"
                checked={link.channel === c}
                disabled={busy}
                onChange={() =>
                  void run(async () => setLink(await api<LineLink>('PUT', '/api/v1/me/line', { body: { channel: c } })))
                }
              />{' '}
              {t(`line.channel.${c}`)}
            </label>
          ))}
          <label>
            <input
              type="checkbox"
              checked={link.announcements}
              disabled={busy}
              onChange={(e) => {
                const announcements = e.currentTarget.checked;
                setLink({ ...link, announcements });
                void run(async () => setLink(await api<LineLink>('PUT', '/api/v1/me/line', { body: { announcements } })));
              }}
            />{' '}
            {t('me.announcements')}
          </label>
        </fieldset>
      ) : null}
      {problem ? <p class="problem">{problem}</p> : null}
    </section>
  );
}

/** A LINE user this venue does not know gives an address to finish signing up. */
export function LineSignUp(props: { tenant: string }) {
  const { t, locale } = useI18n();
  const hash = useLinkFragment();
  const token = hash.get('token') ?? '';
  // The LINE profile's name, when the site was opened as the venue's LIFF app.
  const [name, setName] = useState(hash.get('name') ?? '');
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const submit = useSubmit();
  if (sent) return <p role="status">{t('line.sign_up_sent')}</p>;
  return (
    <form
      class="stack narrow"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(async () => {
          await api('POST', `/api/v1/public/${enc(props.tenant)}/line/sign-up`, {
            body: { token, name, email, locale },
          });
          setSent(true);
        });
      }}
    >
      <h1>{t('line.sign_up_title')}</h1>
      <p>{t('line.sign_up_intro')}</p>
      <TextField id="name" label={t('details.name')} autoComplete="name" value={name} onInput={setName} error={submit} />
      <TextField id="email" label={t('details.email')} type="email" autoComplete="email" value={email} onInput={setEmail} error={submit} />
      <FormProblem error={submit} fields={['name', 'email', 'token']} />
      <button type="submit" class="primary" disabled={submit.busy}>
        {t('signup.submit')}
      </button>
    </form>
  );
}

/** The official account's link page (/line-link?linkToken=…): signed in, on to LINE's dialog. */
export function LineAccountLink(props: { signedIn: boolean; tenant: string; onSignedIn: () => void }) {
  const { t } = useI18n();
  const [linkToken] = useState(() => new URLSearchParams(location.search).get('linkToken') ?? '');
  const { busy, problem, run } = useSubmit();
  return (
    <section class="stack narrow" aria-labelledby="account-link-title">
      <h1 id="account-link-title">{t('line.account_link_title')}</h1>
      <p>{t('line.account_link_intro')}</p>
      {props.signedIn ? (
        <button
          type="button"
          class="line"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              const r = await api<{ url: string }>('POST', '/api/v1/me/line/account-link', {
                body: { link_token: linkToken },
              });
              location.assign(r.url);
            })
          }
        >
          {t('line.link')}
        </button>
      ) : (
        <SignIn tenant={props.tenant} title={t('me.signin')} onSignedIn={props.onSignedIn} />
      )}
      {problem ? <p class="problem">{problem}</p> : null}
    </section>
  );
}
