// Notices from the platform's operators (incidents, maintenance): the banner on every admin page
// and the list on the public status page share this rendering.
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { formatInstant } from '../lib/datetime';

export interface Notice {
  id: number;
  kind: 'incident' | 'maintenance';
  severity: 'info' | 'minor' | 'major' | 'critical';
  title: string;
  body: string;
  starts_at: string;
  ends_at: string | null;
  resolved_at: string | null;
  emergency_reason: string | null;
  updates: { at: string; body: string; resolved: boolean }[];
  tenants?: string[];
  all_tenants?: boolean;
}

export function NoticeItem(props: { notice: Notice; zone: string }) {
  const { t, locale } = useI18n();
  const n = props.notice;
  const when = (iso: string) => formatInstant(iso, props.zone, locale);
  const latest = n.updates[n.updates.length - 1];
  return (
    <article class={`notice notice-${n.severity}`} aria-labelledby={`notice-${n.id}`}>
      <h3 id={`notice-${n.id}`}>
        {t(n.kind === 'incident' ? 'notice.incident' : 'notice.maintenance')} · {t(`notice.${n.severity}`)}:{' '}
        {n.title}
      </h3>
      <p>
        {when(n.starts_at)}
        {n.ends_at ? ` – ${when(n.ends_at)}` : ''}
        {n.resolved_at ? ` · ${t('notice.resolved', { when: when(n.resolved_at) })}` : ''}
      </p>
      {n.body ? <p class="pre">{n.body}</p> : null}
      {n.emergency_reason ? <p>{t('notice.emergency', { reason: n.emergency_reason })}</p> : null}
      {latest ? (
        <p>
          <strong>{t('notice.latest', { when: when(latest.at) })}</strong> {latest.body}
        </p>
      ) : null}
    </article>
  );
}

/** The open notices that reach this tenant, above every admin page. Silent when there are none
 *  or they cannot be read. */
export function NoticeBanner(props: { zone: string }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Notice[]>([]);
  useEffect(() => {
    api<{ items: Notice[] }>('GET', '/api/v1/current-notices')
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  }, []);
  if (!items.length) return null;
  return (
    <section class="notices" role="region" aria-label={t('notice.banner')} data-testid="notice-banner">
      {items.map((n) => (
        <NoticeItem key={n.id} notice={n} zone={props.zone} />
      ))}
    </section>
  );
}
