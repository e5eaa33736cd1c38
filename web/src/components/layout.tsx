// The page frame every screen shares: skip link, header with the language switch, main.
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';

export function Layout(props: {
  title: string;
  heading?: string;
  home?: string;
  wide?: boolean;
  children: ComponentChildren;
}) {
  const { t, locale, setLocale } = useI18n();
  useEffect(() => {
    document.title = props.title;
  }, [props.title]);
  return (
    <>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="top">
        <a class="brand" href={props.home ?? '/'}>
          {props.heading ?? t('app.title')}
        </a>
        <button
          type="button"
          class="link"
          lang={locale === 'ja' ? 'en' : 'ja'}
          onClick={() => setLocale(locale === 'ja' ? 'en' : 'ja')}
        >
          {t('app.language')}
        </button>
      </header>
      <main id="main" tabIndex={-1} class={props.wide ? 'wide' : undefined}>
        {props.children}
      </main>
    </>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="muted" role="status">
      {t('app.loading')}
    </p>
  );
}

export function Alert(props: { children: ComponentChildren }) {
  return (
    <p class="alert" role="alert">
      {props.children}
    </p>
  );
}
