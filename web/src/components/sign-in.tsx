// Signing in: email and password (with the proof-of-work solved invisibly), the venue code for
// staff (a customer's page knows its tenant), then the authenticator code when the account has one.
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';
import { api, ApiError, setCsrfToken } from '../lib/api';
import { solveChallenge } from '../lib/pow';
import { TextField } from './field';
import { Alert } from './layout';

export interface SignedIn {
  csrf_token: string;
  mfa_enrolment_required?: boolean;
}

interface SignInAnswer extends Partial<SignedIn> {
  mfa_required?: boolean;
  mfa_token?: string;
}

/** Runs a form's work: busy while it runs; when it fails, the API's message (or a generic one)
 *  and the field the API named, so the form can show it beside that input. */
export function useSubmit() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [field, setField] = useState<string | null>(null);
  async function run(work: () => Promise<void>) {
    setBusy(true);
    setProblem(null);
    setField(null);
    try {
      await work();
    } catch (e) {
      setProblem(e instanceof ApiError ? e.detail : t('app.error'));
      setField(e instanceof ApiError ? (e.field ?? null) : null);
    } finally {
      setBusy(false);
    }
  }
  return { busy, problem, field, run };
}

export function SignIn(props: { onSignedIn: (s: SignedIn) => void; tenant?: string; title?: string }) {
  const { t } = useI18n();
  const [tenant, setTenant] = useState(props.tenant ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const { busy, problem, run } = useSubmit();

  const signedIn = (s: SignedIn) => {
    setCsrfToken(s.csrf_token);
    props.onSignedIn(s);
  };

  if (mfaToken) {
    return (
      <form
        class="stack narrow"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            signedIn(await api<SignedIn>('POST', '/api/v1/session/mfa', { body: { mfa_token: mfaToken, code } }));
          });
        }}
      >
        <h1>{t('admin.code_title')}</h1>
        <TextField
          id="code"
          label={t('admin.code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          onInput={(v) => setCode(v.trim())}
        />
        {problem ? <Alert>{problem}</Alert> : null}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('admin.signing_in') : t('admin.code_submit')}
        </button>
      </form>
    );
  }
  return (
    <form
      class="stack narrow"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const altcha = await solveChallenge();
          const body: Record<string, string> = { email, password, altcha };
          if (tenant) body.tenant = tenant;
          const r = await api<SignInAnswer>('POST', '/api/v1/session', { body });
          if (r.mfa_required && r.mfa_token) setMfaToken(r.mfa_token);
          else if (r.csrf_token) signedIn(r as SignedIn);
        });
      }}
    >
      <h1>{props.title ?? t('admin.signin')}</h1>
      {props.tenant === undefined ? (
        <TextField
          id="tenant"
          label={t('admin.tenant')}
          autoComplete="organization"
          value={tenant}
          onInput={(v) => setTenant(v.trim())}
        />
      ) : null}
      <TextField id="email" label={t('admin.email')} type="email" autoComplete="username" value={email} onInput={setEmail} />
      <TextField
        id="password"
        label={t('admin.password')}
        type="password"
        autoComplete="current-password"
        value={password}
        onInput={setPassword}
      />
      {problem ? <Alert>{problem}</Alert> : null}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('admin.signing_in') : t('admin.signin')}
      </button>
    </form>
  );
}

