// A tenant's public booking site: /t/{code} (offerings), /t/{code}/o/{id} (book one),
// /t/{code}/done/{reference} (confirmation), /t/{code}/manage (view or cancel as a guest),
// /t/{code}/waitlist (a place in a waitlist: position, accept an offer, leave), /t/{code}/confirm
// (the mailed link confirming a guest's waitlist entry or lottery application), /t/{code}/liff
// (the site opened as the venue's LIFF app inside LINE), and
// the customer's own pages: /me, /signup, /verify, /forgot, /reset.
import { useEffect, useState } from 'preact/hooks';
import { Alert, Layout, Loading } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { api, ApiError, enc } from '../../lib/api';
import type { Locale } from '../../lib/datetime';
import { match } from '../../lib/router';
import { currentSession, signOut, type WhoAmI } from '../../lib/session';
import type { PublicOfferings } from '../../lib/types';
import { Forgot, SetPassword, SignUp, Verify } from './account-links';
import { Done } from './done';
import { Manage } from './manage';
import { OfferingList } from './offerings';
import { BookOffering } from './book';
import { MyPage } from './me';
import { LineAccountLink, LineSignUp } from './line';
import { LiffEntry } from './liff';
import { LotteryPage } from './lottery';
import { WaitlistPage } from './waitlist';
import { ConfirmEntry } from './confirm';

export function BookingSite(props: { code: string; path: string; onTenantLocale: (l: Locale) => void }) {
  const { t } = useI18n();
  const [site, setSite] = useState<PublicOfferings | null>(null);
  const [failed, setFailed] = useState<'missing' | 'error' | null>(null);
  const { code, onTenantLocale } = props;
  // undefined while asking; null when nobody (or not this tenant's customer) is signed in.
  const [customer, setCustomer] = useState<WhoAmI | null | undefined>(undefined);
  const loadCustomer = () =>
    currentSession()
      .then((w) => setCustomer(w && w.account.role === 'customer' && w.tenant?.code === code ? w : null))
      .catch(() => setCustomer(null));
  useEffect(() => {
    void loadCustomer();
  }, [code]);

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
    body = o ? (
      <BookOffering site={site} offering={o} base={base} customer={customer ?? null} />
    ) : (
      <Alert>{t('app.not_found')}</Alert>
    );
    if (o) title = `${o.name} | ${site.tenant.name}`;
  } else if (done?.reference) {
    body = <Done site={site} reference={done.reference} base={base} />;
    title = `${t('done.title')} | ${site.tenant.name}`;
  } else if (rest === '/manage') {
    body = <Manage site={site} base={base} />;
    title = `${t('manage.title')} | ${site.tenant.name}`;
  } else if (rest === '/lottery') {
    body = <LotteryPage site={site} />;
    title = `${t('lottery.check')} | ${site.tenant.name}`;
  } else if (rest === '/confirm') {
    body = <ConfirmEntry site={site} base={base} />;
    title = `${t('confirm.title')} | ${site.tenant.name}`;
  } else if (rest === '/waitlist') {
    body = <WaitlistPage site={site} base={base} />;
    title = `${t('waitlist.page')} | ${site.tenant.name}`;
  } else if (rest === '/me') {
    body =
      customer === undefined ? (
        <Loading />
      ) : (
        <MyPage
          site={site}
          base={base}
          customer={customer}
          onSignIn={() => void loadCustomer()}
          onSignOut={() => void signOut().then(loadCustomer)}
        />
      );
    title = `${t('me.title')} | ${site.tenant.name}`;
  } else if (rest === '/signup') {
    body = <SignUp tenant={site.tenant.code} />;
    title = `${t('signup.title')} | ${site.tenant.name}`;
  } else if (rest === '/line-link') {
    body = customer === undefined ? <Loading /> : (
        <LineAccountLink signedIn={!!customer} tenant={site.tenant.code} onSignedIn={() => void loadCustomer()} />
      );
    title = `${t('line.account_link_title')} | ${site.tenant.name}`;
  } else if (rest === '/liff' || rest.startsWith('/liff/')) {
    body = <LiffEntry site={site} path={rest.slice('/liff'.length)} />;
  } else if (rest === '/line-sign-up') {
    body = <LineSignUp tenant={site.tenant.code} />;
    title = `${t('line.sign_up_title')} | ${site.tenant.name}`;
  } else if (rest === '/verify') {
    body = <Verify signIn={`${base}/me`} />;
    title = `${t('verify.title')} | ${site.tenant.name}`;
  } else if (rest === '/forgot') {
    body = <Forgot tenant={site.tenant.code} />;
    title = `${t('forgot.title')} | ${site.tenant.name}`;
  } else if (rest === '/reset') {
    body = <SetPassword signIn={(role) => (role === 'customer' ? `${base}/me` : '/admin')} />;
    title = `${t('reset.title')} | ${site.tenant.name}`;
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
