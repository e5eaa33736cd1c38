// The confirmation: the reference in large type and as a QR code (scanned by the kiosk), what
// was booked, and the way to change or cancel it.
import { renderSVG } from 'uqr';
import { useI18n } from '../../i18n/i18n';
import { enc } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';
import type { PublicOfferings } from '../../lib/types';
import { recall } from './store';

export function qrDataUri(text: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(text, { border: 2 }))}`;
}

export function Done(props: { site: PublicOfferings; reference: string; base: string }) {
  const { t, locale } = useI18n();
  const made = recall(props.reference);
  const manage = `${props.base}/manage?ref=${enc(props.reference)}`;
  const b = made?.booking;
  return (
    <>
      <h1>{b?.status === 'pending' ? t('done.pending') : t('done.title')}</h1>
      <div class="ticket">
        <p class="muted">{t('done.reference')}</p>
        <p class="reference" data-testid="reference">
          {props.reference}
        </p>
        <img class="qr" src={qrDataUri(props.reference)} alt={t('done.qr')} width={176} height={176} />
      </div>
      {b && made ? (
        <dl class="facts">
          <dt>{t('done.what')}</dt>
          <dd>{made.offering}</dd>
          <dt>{t('done.when')}</dt>
          <dd>{formatInstant(b.starts_at, props.site.tenant.time_zone, locale)}</dd>
          <dt>{t('done.seats')}</dt>
          <dd>{b.seats}</dd>
          <dt>{t('done.total')}</dt>
          <dd>{t('tickets.price', { price: b.total_jpy.toLocaleString(locale) })}</dd>
        </dl>
      ) : null}
      {made ? <p>{t('done.mail', { email: made.email })}</p> : null}
      <p>
        <a href={manage}>{t('done.manage')}</a>
      </p>
    </>
  );
}
