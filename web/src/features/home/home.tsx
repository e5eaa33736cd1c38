import { Layout } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';

export function Home(props: { known: boolean }) {
  const { t } = useI18n();
  return (
    <Layout title={t('app.title')}>
      <h1>{t('app.title')}</h1>
      <p>{props.known ? t('app.home_intro') : t('app.not_found')}</p>
    </Layout>
  );
}
