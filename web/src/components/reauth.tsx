// Sensitive actions need the password confirmed within the last minutes: this asks for it
// (the session rotates, with a new CSRF token) and hands back to the action that asked.
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';
import { ApiError } from '../lib/api';
import { confirmPassword } from '../lib/session';
import { TextField } from './field';
import { Alert } from './layout';
import { useSubmit } from './sign-in';

export function Reauthenticate(props: { onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const { busy, problem, run } = useSubmit();
  return (
    <form
      class="card stack narrow"
      noValidate
      aria-labelledby="reauth-title"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await confirmPassword(password);
          props.onDone();
        });
      }}
    >
      <h2 id="reauth-title">{t('reauth.title')}</h2>
      <TextField
        id="reauth-password"
        label={t('admin.password')}
        type="password"
        autoComplete="current-password"
        value={password}
        onInput={setPassword}
      />
      {problem ? <Alert>{problem}</Alert> : null}
      <div class="group">
        <button type="submit" class="primary" disabled={busy}>
          {t('reauth.submit')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('me.keep')}
        </button>
      </div>
    </form>
  );
}

/** True when the API asks for the password again before it does what was asked. */
function needsPassword(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'reauthentication_required';
}

/** useSubmit, plus: when the API wants the password again, ask for it and run the work again. */
export function useFreshSubmit() {
  const submit = useSubmit();
  const [retry, setRetry] = useState<(() => Promise<void>) | null>(null);
  const act = (work: () => Promise<void>) =>
    submit.run(async () => {
      try {
        await work();
      } catch (e) {
        if (!needsPassword(e)) throw e;
        setRetry(() => work);
      }
    });
  const prompt = retry ? (
    <Reauthenticate
      onCancel={() => setRetry(null)}
      onDone={() => {
        setRetry(null);
        void act(retry);
      }}
    />
  ) : null;
  return { ...submit, act, prompt };
}

