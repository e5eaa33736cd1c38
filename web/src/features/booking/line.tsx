// A customer's LINE link: with their LINE user id linked, their booking messages also arrive
// on LINE through the venue's official account (when the venue has set one up).
import { useEffect, useState } from 'preact/hooks';
import { FormProblem, TextField } from '../../components/field';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';

interface LineLink {
  linked: boolean;
  user_id: string | null;
}

export function MyLine() {
  const { t } = useI18n();
  const [link, setLink] = useState<LineLink | null>(null);
  const [userId, setUserId] = useState('');
  const { busy, problem, field, run } = useSubmit();
  useEffect(() => {
    void run(async () => setLink(await api<LineLink>('GET', '/api/v1/me/line')));
  }, []);
  return (
    <form
      class="card stack"
      noValidate
      aria-labelledby="line-title"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          setLink(await api<LineLink>('PUT', '/api/v1/me/line', { body: { user_id: userId.trim() } }));
          setUserId('');
        });
      }}
    >
      <h2 id="line-title">{t('line.title')}</h2>
      <p>{t('line.intro')}</p>
      {link?.linked ? (
        <p role="status" data-testid="line-linked">
          {t('line.linked', { id: link.user_id ?? '' })}{' '}
          <button
            type="button"
            class="link"
            disabled={busy}
            onClick={() => void run(async () => {
              await api('DELETE', '/api/v1/me/line');
              setLink({ linked: false, user_id: null });
            })}
          >
            {t('line.unlink')}
          </button>
        </p>
      ) : null}
      <TextField
        id="line-user"
        name="user_id"
        label={t('line.user_id')}
        value={userId}
        onInput={setUserId}
        error={{ field, problem }}
      />
      <FormProblem error={{ field, problem }} fields={['user_id']} />
      <button type="submit" disabled={busy}>
        {t('line.link')}
      </button>
    </form>
  );
}
