// A customer's calendar feeds: a secret iCalendar address of their own bookings for their phone's
// or computer's calendar (shown once), and revoking one that leaked.
import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/layout';
import { ShownOnce } from '../../components/shown-once';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';

interface Feed {
  id: number;
  created_at: string;
  revoked_at: string | null;
}

export function MyFeeds(props: { zone: string }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Feed[]>([]);
  const [url, setUrl] = useState<string | null>(null);
  const { busy, problem, run } = useSubmit();
  const load = async () => setItems((await api<{ items: Feed[] }>('GET', '/api/v1/me/calendar-feeds')).items);
  useEffect(() => {
    void run(load);
  }, []);
  const live = items.filter((f) => !f.revoked_at);
  return (
    <section class="card stack" aria-labelledby="feeds-title">
      <h2 id="feeds-title">{t('feeds.title')}</h2>
      <p>{t('feeds.intro')}</p>
      <ShownOnce intro={t('feeds.once')} value={url} testId="feed-url" />
      {problem ? <Alert>{problem}</Alert> : null}
      {live.length ? (
        <ul>
          {live.map((f) => (
            <li key={f.id}>
              {t('feeds.made', { when: formatInstant(f.created_at, props.zone, locale) })}{' '}
              <button
                type="button"
                class="link"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    await api('DELETE', `/api/v1/me/calendar-feeds/${f.id}`);
                    setUrl(null);
                    await load();
                  })
                }
              >
                {t('feeds.revoke', { when: formatInstant(f.created_at, props.zone, locale) })}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              setUrl((await api<{ url: string }>('POST', '/api/v1/me/calendar-feeds')).url);
              await load();
            })
          }
        >
          {t('feeds.create')}
        </button>
      </p>
    </section>
  );
}
