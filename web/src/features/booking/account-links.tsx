// What a customer does from a mail or without signing in: sign up, confirm the address from the
// link (/verify#token=…), ask for a reset link, and choose a password from one (/reset#token=…,
// and staff's /setup#token=…). Tokens travel in the fragment, which no server or log sees.
import { useEffect, useState } from 'preact/hooks';
import { FormProblem, TextField } from '../../components/field';
import { Alert, Loading } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { solveChallenge } from '../../lib/pow';
import { useLinkFragment } from '../../lib/router';

export function SignUp(props: { tenant: string }) {
  const { t, locale } = useI18n();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [sent, setSent] = useState(false);
  const submit = useSubmit();
  const { busy, run } = submit;
  if (sent) return <p role="status">{t('signup.sent')}</p>;
  return (
    <form
      class="stack narrow"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const altcha = await solveChallenge();
          // The account's mail comes in the language the visitor signs up in.
          await api('POST', '/api/v1/sign-up', { body: { tenant: props.tenant, name, email, password, altcha, locale } });
          setSent(true);
        });
      }}
    >
      <h1>{t('signup.title')}</h1>
      <p>{t('signup.intro')}</p>
      <TextField id="name" label={t('details.name')} autoComplete="name" value={name} onInput={setName} error={submit} />
      <TextField id="email" label={t('details.email')} type="email" autoComplete="email" value={email} onInput={setEmail} error={submit} />
      <TextField
        id="password"
        label={t('signup.password')}
        type="password"
        autoComplete="new-password"
        value={password}
        onInput={setPassword}
        error={submit}
      />
      <FormProblem error={submit} fields={['name', 'email', 'password']} />
      <button type="submit" class="primary" disabled={busy}>
        {t('signup.submit')}
      </button>
    </form>
  );
}

export function Verify(props: { signIn: string }) {
  const { t } = useI18n();
  const token = useLinkFragment().get('token') ?? '';
  const [state, setState] = useState<'working' | 'done' | 'failed'>('working');
  useEffect(() => {
    api('POST', '/api/v1/email/verify', { body: { token } })
      .then(() => setState('done'))
      .catch(() => setState('failed'));
  }, []);
  return (
    <>
      <h1>{t('verify.title')}</h1>
      {state === 'working' ? <Loading /> : null}
      {state === 'done' ? (
        <>
          <p role="status">{t('verify.done')}</p>
          <p>
            <a href={props.signIn}>{t('reset.signin')}</a>
          </p>
        </>
      ) : null}
      {state === 'failed' ? <Alert>{t('verify.failed')}</Alert> : null}
    </>
  );
}

/** Choosing a password from a reset or set-up link; then where to sign in (by the role). */
export function SetPassword(props: { signIn: (role: string) => string }) {
  const { t } = useI18n();
  const token = useLinkFragment().get('token') ?? '';
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<string | null>(null);
  const submit = useSubmit();
  const { busy, run } = submit;
  if (role) {
    return (
      <>
        <p role="status">{t('reset.done')}</p>
        <p>
          <a href={props.signIn(role)}>{t('reset.signin')}</a>
        </p>
      </>
    );
  }
  return (
    <form
      class="stack narrow"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const r = await api<{ account: { role: string } }>('POST', '/api/v1/password/redeem', {
            body: { token, password },
          });
          setRole(r.account.role);
        });
      }}
    >
      <h1>{t('reset.title')}</h1>
      <TextField
        id="password"
        label={t('reset.password')}
        type="password"
        autoComplete="new-password"
        value={password}
        onInput={setPassword}
        error={submit}
      />
      <FormProblem error={submit} fields={['password']} />
      <button type="submit" class="primary" disabled={busy}>
        {t('reset.submit')}
      </button>
    </form>
  );
}

export function Forgot(props: { tenant: string }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const submit = useSubmit();
  const { busy, run } = submit;
  if (sent) return <p role="status">{t('forgot.sent')}</p>;
  return (
    <form
      class="stack narrow"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const altcha = await solveChallenge();
          await api('POST', '/api/v1/password/reset', { body: { tenant: props.tenant, email, altcha } });
          setSent(true);
        });
      }}
    >
      <h1>{t('forgot.title')}</h1>
      <p>{t('forgot.intro')}</p>
      <TextField id="email" label={t('details.email')} type="email" autoComplete="email" value={email} onInput={setEmail} error={submit} />
      <FormProblem error={submit} fields={['email']} />
      <button type="submit" class="primary" disabled={busy}>
        {t('forgot.submit')}
      </button>
    </form>
  );
}
