// The public status page (/status): whether the platform works, is in maintenance or has an
// incident, and the notices to every tenant of the last week.
import { useEffect, useState } from 'preact/hooks';
import { Alert, Layout, Loading } from '../../components/layout';
import { NoticeItem, type Notice } from '../../components/notices';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';

interface Status {
  state: 'operational' | 'incident' | 'maintenance';
  maintenance_message: string | null;
  items: Notice[];
}

export function StatusPage() {
  const { t } = useI18n();
  const [status, setStatus] = useState<Status | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    api<Status>('GET', '/api/v1/public/status')
      .then(setStatus)
      .catch(() => setFailed(true));
  }, []);
  let body;
  if (failed) body = <Alert>{t('status.unknown')}</Alert>;
  else if (!status) body = <Loading />;
  else
    body = (
      <>
        <p role="status" class={`state state-${status.state}`} data-testid="platform-state">
          {t(`status.${status.state}`)}
          {status.maintenance_message ? ` — ${status.maintenance_message}` : ''}
        </p>
        <h2>{t('status.notices')}</h2>
        {status.items.length ? (
          status.items.map((n) => <NoticeItem key={n.id} notice={n} zone="Asia/Tokyo" />)
        ) : (
          <p>{t('status.none')}</p>
        )}
      </>
    );
  return (
    <Layout title={t('status.title')} heading={t('status.title')} home="/">
      {body}
    </Layout>
  );
}
