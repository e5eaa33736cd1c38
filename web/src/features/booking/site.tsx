// A tenant's public booking site: /t/{code} (offerings), /t/{code}/o/{id} (book one),
// /t/{code}/done/{reference} (confirmation), /t/{code}/manage (view or cancel).
import { useEffect, useState } from 'preact/hooks';
import { Alert, Layout, Loading } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { api, ApiError, enc } from '../../lib/api';
import type { Locale } from '../../lib/datetime';
import { match } from '../../lib/router';
import type { PublicOfferings } from '../../lib/types';
import { Done } from './done';
import { Manage } from './manage';
import { OfferingList } from './offerings';
import { BookOffering } from './book';

export function BookingSite(props: { code: string; path: string; onTenantLocale: (l: Locale) => void }) {
  const { t } = useI18n();
  const [site, setSite] = useState<PublicOfferings | null>(null);
  const [failed, setFailed] = useState<'missing' | 'error' | null>(null);
  const { code, onTenantLocale } = props;

  useEffect(() => {
    const abort = new AbortController();
    setSite(null);
    setFailed(null);
    api<PublicOfferings>('GET', `/api/v1/public/${enc(code)}/offerings`, { signal: abort.signal })
      .then((s) => {
        setSite(s);
        onTenantLocale(s.tenant.locale);
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        setFailed(e instanceof ApiError && e.status === 404 ? 'missing' : 'error');
      });
    return () => abort.abort();
  }, [code]);

  const base = `/t/${enc(code)}`;
  if (failed || !site) {
    return (
      <Layout title={t('app.title')}>
        {failed === 'missing' ? <Alert>{t('app.not_found')}</Alert> : failed ? <Alert>{t('app.error')}</Alert> : <Loading />}
      </Layout>
    );
  }
  const rest = props.path.slice(`/t/${code}`.length) || '/';
  const offering = match('/o/:id', rest);
  const done = match('/done/:reference', rest);
  let body;
  let title = site.tenant.name;
  if (offering) {
    const o = site.items.find((x) => String(x.id) === offering.id);
    body = o ? <BookOffering site={site} offering={o} base={base} /> : <Alert>{t('app.not_found')}</Alert>;
    if (o) title = `${o.name} | ${site.tenant.name}`;
  } else if (done?.reference) {
    body = <Done site={site} reference={done.reference} base={base} />;
    title = `${t('done.title')} | ${site.tenant.name}`;
  } else if (rest === '/manage') {
    body = <Manage site={site} base={base} />;
    title = `${t('manage.title')} | ${site.tenant.name}`;
  } else if (rest === '/' || rest === '') {
    body = <OfferingList site={site} base={base} />;
  } else {
    body = <Alert>{t('app.not_found')}</Alert>;
  }
  return (
    <Layout title={title} heading={site.tenant.name} home={base}>
      {body}
    </Layout>
  );
}
