// A manager who has not enrolled yet sets up the authenticator before anything else.
import { useEffect, useState } from 'preact/hooks';
import { Alert } from './layout';
import { useFreshSubmit } from './reauth';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { svgDataUri } from '../lib/svg';

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
  // Starting enrolment needs the password confirmed within 10 minutes: asked for when stale.
  const { busy, problem, act: run, prompt } = useFreshSubmit();

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
    <>
      {prompt}
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
    </>
  );
}
