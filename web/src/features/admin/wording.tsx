// Setup: the wording of the mails customers and staff get — any message in either language in
// the tenant's own words (the first line is the subject), or back to the built-in text.
import { useEffect, useState } from 'preact/hooks';
import { Alert, Loading } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api, enc } from '../../lib/api';

interface Wording {
  name: string;
  locale: 'ja' | 'en';
  body: string;
  custom: boolean;
  built_in: string;
}

export function MailWording() {
  const { t } = useI18n();
  const [items, setItems] = useState<Wording[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [body, setBody] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, problem, field, run } = useSubmit();
  const key = (w: Wording) => `${w.name}/${w.locale}`;
  const load = async () => {
    const all = (await api<{ items: Wording[] }>('GET', '/api/v1/mail-templates')).items;
    setItems(all);
    return all;
  };
  useEffect(() => {
    void run(async () => {
      const all = await load();
      const first = all[0];
      if (first) {
        setChosen(key(first));
        setBody(first.body);
      }
    });
  }, []);
  const current = items?.find((w) => key(w) === chosen);
  const path = current ? `/api/v1/mail-templates/${enc(current.name)}/${current.locale}` : '';
  const apply = (w: Wording, message: string) => {
    setItems((items ?? []).map((x) => (key(x) === key(w) ? w : x)));
    setBody(w.body);
    setSaved(message);
  };
  return (
    <>
      <h1>{t('wording.title')}</h1>
      <p class="muted">{t('wording.intro')}</p>
      {!items ? (
        <Loading />
      ) : (
        <form
          class="card stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setSaved(null);
            void run(async () => apply(await api<Wording>('PUT', path, { body: { body } }), t('me.saved')));
          }}
        >
          <div class="field">
            <label for="wording-message">{t('wording.message')}</label>
            <select
              id="wording-message"
              value={chosen}
              onChange={(e) => {
                const w = items.find((x) => key(x) === e.currentTarget.value);
                setChosen(e.currentTarget.value);
                setBody(w?.body ?? '');
                setSaved(null);
              }}
            >
              {items.map((w) => (
                <option key={key(w)} value={key(w)}>
                  {w.name} ({w.locale}){w.custom ? ` — ${t('wording.custom')}` : ''}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="wording-body">{t('wording.body')}</label>
            <textarea
              id="wording-body"
              rows={14}
              value={body}
              onInput={(e) => setBody(e.currentTarget.value)}
              aria-invalid={field === 'body' ? true : undefined}
              aria-describedby={field === 'body' ? 'wording-error' : undefined}
            />
          </div>
          {problem ? (
            <p class="alert" role="alert" id="wording-error">
              {problem}
            </p>
          ) : null}
          {saved ? <p role="status">{saved}</p> : null}
          <div class="group">
            <button type="submit" class="primary" disabled={busy}>
              {t('me.save')}
            </button>
            {current?.custom ? (
              <button
                type="button"
                disabled={busy}
                onClick={() => void run(async () => apply(await api<Wording>('DELETE', path), t('wording.reset_done')))}
              >
                {t('wording.reset')}
              </button>
            ) : null}
          </div>
          {current ? (
            <details>
              <summary>{t('wording.built_in')}</summary>
              <pre class="wording">{current.built_in}</pre>
            </details>
          ) : null}
        </form>
      )}
      {problem && !items ? <Alert>{problem}</Alert> : null}
    </>
  );
}
