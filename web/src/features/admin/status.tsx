// The service's state for a manager (/admin/status): operating, incident or maintenance, the
// notices reaching this tenant, its own usage and its message deliveries (failed ones are in
// the integrations screen's delivery log).
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Alert, Loading } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';

const usageKeys = [
  'bookings_last_30_days',
  'upcoming_bookings',
  'offerings',
  'staff_accounts',
  'customer_accounts',
] as const;
const deliveryKeys = ['queued', 'failed', 'failed_last_7_days'] as const;

interface TenantStatus {
  state: 'operational' | 'incident' | 'maintenance';
  usage: Record<(typeof usageKeys)[number], number>;
  deliveries: Record<(typeof deliveryKeys)[number], number>;
}

export function ServiceStatus() {
  const { t } = useI18n();
  const [s, setS] = useState<TenantStatus | null>(null);
  const { problem, run } = useSubmit();
  useEffect(() => {
    void run(async () => setS(await api<TenantStatus>('GET', '/api/v1/status')));
  }, []);
  if (!s) return problem ? <Alert>{problem}</Alert> : <Loading />;
  const facts = <K extends (typeof usageKeys)[number] | (typeof deliveryKeys)[number]>(
    keys: readonly K[],
    values: Record<K, number>,
  ) => (
    <dl class="facts">
      {keys.map((k) => (
        <Fragment key={k}>
          <dt>{t(`svc.${k}`)}</dt>
          <dd>{values[k]}</dd>
        </Fragment>
      ))}
    </dl>
  );
  return (
    <>
      <h1>{t('svc.title')}</h1>
      <p role="status" class={`state state-${s.state}`} data-testid="service-state">
        {t(`status.${s.state}`)}
      </p>
      <section class="card" aria-labelledby="svc-usage">
        <h2 id="svc-usage">{t('svc.usage')}</h2>
        {facts(usageKeys, s.usage)}
      </section>
      <section class="card" aria-labelledby="svc-deliveries">
        <h2 id="svc-deliveries">{t('svc.deliveries')}</h2>
        {facts(deliveryKeys, s.deliveries)}
      </section>
      <p>
        <a href="/status">{t('svc.status_page')}</a>
      </p>
    </>
  );
}
