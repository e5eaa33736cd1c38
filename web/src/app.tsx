// The app shell: language, routes. Each section's screens live in src/features/<section>/.
import type { ComponentType } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Alert, Layout, Loading } from './components/layout';
import { SetPassword } from './features/booking/account-links';
import { BookingSite } from './features/booking/site';
import { Home } from './features/home/home';
import { StatusPage } from './features/home/status';
import { I18nContext, isLocale, rememberLocale, rememberedLocale, translator, useI18n } from './i18n/i18n';
import type { Locale } from './lib/datetime';
import { match, onLinkClick, usePath } from './lib/router';

function initialLocale(): Locale {
  const asked = new URLSearchParams(location.search).get('lang');
  return isLocale(asked) ? asked : (rememberedLocale() ?? 'ja');
}

export function App() {
  const path = usePath();
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [chosen, setChosen] = useState(rememberedLocale() !== null);
  const i18n = useMemo(
    () => ({
      locale,
      t: translator(locale),
      setLocale: (l: Locale) => {
        rememberLocale(l);
        setChosen(true);
        setLocaleState(l);
      },
    }),
    [locale],
  );
  const { t } = i18n;
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const site = match('/t/:code', path.split('/').slice(0, 3).join('/'));
  let page;
  if (path === '/admin' || path.startsWith('/admin/')) {
    page = <Lazy load={() => import('./features/admin/admin')} />;
  } else if (path === '/operator' || path.startsWith('/operator/')) {
    page = <Lazy load={() => import('./features/operator/operator')} />;
  } else if (path === '/status') {
    page = <StatusPage />;
  } else if (path === '/kiosk') {
    page = <Lazy load={() => import('./features/kiosk/kiosk')} />;
  } else if (path === '/setup' || path === '/operator/reset') {
    // A new staff member's or operator's set-up link (/setup#token=…), an operator's reset link.
    page = (
      <Layout title={t('reset.title')}>
        <SetPassword signIn={(role) => (role === 'operator' ? '/operator' : '/admin')} />
      </Layout>
    );
  } else if (site?.code) {
    page = (
      <BookingSite
        code={site.code}
        path={path}
        // A tenant's own language applies until the visitor picks one.
        onTenantLocale={(l) => {
          if (!chosen && l !== locale) setLocaleState(l);
        }}
      />
    );
  } else {
    page = <Home known={path === '/'} />;
  }
  return (
    <I18nContext.Provider value={i18n}>
      <div onClick={onLinkClick}>{page}</div>
    </I18nContext.Provider>
  );
}

/** A section loaded on first use (its own chunk: the admin console's calendar stays off the
 *  public booking page). */
function Lazy(props: { load: () => Promise<{ default: ComponentType }> }) {
  const [Section, setSection] = useState<ComponentType | null>(null);
  const [failed, setFailed] = useState(false);
  const { t } = useI18n();
  useEffect(() => {
    props
      .load()
      .then((m) => setSection(() => m.default))
      .catch(() => setFailed(true));
  }, []);
  if (Section) return <Section />;
  return <Layout title={t('app.title')}>{failed ? <Alert>{t('app.error')}</Alert> : <Loading />}</Layout>;
}
