// Staff sign-in: venue code, email, password (with the proof-of-work solved invisibly), then the
// authenticator code; a manager who has not enrolled yet sets up the authenticator first.
import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { api, ApiError, setCsrfToken } from '../../lib/api';
import { solveChallenge } from '../../lib/pow';
import { svgDataUri } from '../../lib/svg';

export interface SignedIn {
  csrf_token: string;
  mfa_enrolment_required?: boolean;
}

interface SignInAnswer extends Partial<SignedIn> {
  mfa_required?: boolean;
  mfa_token?: string;
}

function useSubmit() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function run(work: () => Promise<void>) {
    setBusy(true);
    setProblem(null);
    try {
      await work();
    } catch (e) {
      setProblem(e instanceof ApiError ? e.detail : t('app.error'));
    } finally {
      setBusy(false);
    }
  }
  return { busy, problem, run };
}

export function SignIn(props: { onSignedIn: (s: SignedIn) => void }) {
  const { t } = useI18n();
  const [tenant, setTenant] = useState('');
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
        <div class="field">
          <label for="code">{t('admin.code')}</label>
          <input
            id="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onInput={(e) => setCode(e.currentTarget.value.trim())}
          />
        </div>
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
      <h1>{t('admin.signin')}</h1>
      <div class="field">
        <label for="tenant">{t('admin.tenant')}</label>
        <input id="tenant" autoComplete="organization" value={tenant} onInput={(e) => setTenant(e.currentTarget.value.trim())} />
      </div>
      <div class="field">
        <label for="email">{t('admin.email')}</label>
        <input id="email" type="email" autoComplete="username" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="password">{t('admin.password')}</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </div>
      {problem ? <Alert>{problem}</Alert> : null}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('admin.signing_in') : t('admin.signin')}
      </button>
    </form>
  );
}

interface Enrolment {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}

/** Authenticator enrolment, which managers must finish before anything else. */
export function Enrol(props: { onDone: () => void }) {
  const { t } = useI18n();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const { busy, problem, run } = useSubmit();

  useEffect(() => {
    void run(async () => setEnrolment(await api<Enrolment>('POST', '/api/v1/session/totp')));
  }, []);
  if (codes) {
    return (
      <section class="stack narrow">
        <h1>{t('admin.recovery_title')}</h1>
        <p>{t('admin.recovery_intro')}</p>
        <ul class="codes" data-testid="recovery-codes">
          {codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <button type="button" class="primary" onClick={props.onDone}>
          {t('admin.continue')}
        </button>
      </section>
    );
  }
  return (
    <form
      class="stack narrow"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const r = await api<{ recovery_codes: string[] }>('POST', '/api/v1/session/totp/confirm', { body: { code } });
          setCodes(r.recovery_codes);
        });
      }}
    >
      <h1>{t('admin.enrol_title')}</h1>
      <p>{t('admin.enrol_intro')}</p>
      {enrolment ? (
        <>
          <img
            class="qr"
            src={svgDataUri(enrolment.qr_svg)}
            alt={t('admin.enrol_qr')}
            width={200}
            height={200}
          />
          <p>
            {t('admin.enrol_secret')}: <code data-testid="totp-secret">{enrolment.secret}</code>
          </p>
        </>
      ) : null}
      <div class="field">
        <label for="code">{t('admin.code')}</label>
        <input id="code" inputMode="numeric" autoComplete="one-time-code" value={code} onInput={(e) => setCode(e.currentTarget.value.trim())} />
      </div>
      {problem ? <Alert>{problem}</Alert> : null}
      <button type="submit" class="primary" disabled={busy || !enrolment}>
        {t('admin.code_submit')}
      </button>
    </form>
  );
}
