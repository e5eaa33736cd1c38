// The confirmation: the reference in large type and as a QR code (scanned by the kiosk), what
// was booked, and the way to change or cancel it.
import { renderSVG } from 'uqr';
import { BookingFacts } from '../../components/booking-facts';
import { useI18n } from '../../i18n/i18n';
import { enc } from '../../lib/api';
import { svgDataUri } from '../../lib/svg';
import type { PublicOfferings } from '../../lib/types';
import { formatInstant } from '../../lib/datetime';
import { recall } from './store';
import { BackToLine, openedInLiff } from './liff';

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
        <img class="qr" src={svgDataUri(renderSVG(props.reference, { border: 2 }))} alt={t('done.qr')} width={176} height={176} />
      </div>
      {b && made ? <BookingFacts booking={b} offering={made.offering} zone={props.site.tenant.time_zone} total /> : null}
      {b?.series && b.series.length > 1 ? (
        <section aria-labelledby="series-title">
          <h2 id="series-title">{t('repeat.made', { n: b.series.length })}</h2>
          <ul>
            {b.series.map((x) => (
              <li key={x.reference}>
                {formatInstant(x.starts_at, props.site.tenant.time_zone, locale)} · {x.reference}
              </li>
            ))}
          </ul>
          {b.skipped && b.skipped.length ? (
            <>
              <p>{t('repeat.skipped')}</p>
              <ul>
                {b.skipped.map((x) => (
                  <li key={x.starts_at}>
                    {formatInstant(x.starts_at, props.site.tenant.time_zone, locale)}: {x.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
      {made ? <p>{t('done.mail', { email: made.email })}</p> : null}
      <p>
        <a href={manage}>{t('done.manage')}</a>
      </p>
      {props.site.tenant.line_liff_id && openedInLiff(props.site.tenant.code) ? (
        <BackToLine liffId={props.site.tenant.line_liff_id} />
      ) : null}
    </>
  );
}
