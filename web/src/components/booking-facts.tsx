// What a booking is, as every screen lists it: offering, time in the tenant's zone, places, and
// (where the screen asks) total, customer, status and where its payment stands.
import { useI18n } from '../i18n/i18n';
import { formatInstant } from '../lib/datetime';
import type { Booking } from '../lib/types';
import { FeeLines } from './fee-lines';

export function BookingFacts(props: {
  booking: Booking;
  offering: string;
  zone: string;
  total?: boolean;
  customer?: boolean;
  status?: boolean;
}) {
  const { t, locale } = useI18n();
  const b = props.booking;
  return (
    <dl class="facts">
      <dt>{t('done.what')}</dt>
      <dd>{props.offering || '—'}</dd>
      <dt>{t('done.when')}</dt>
      <dd>{formatInstant(b.starts_at, props.zone, locale)}</dd>
      {b.meeting_url ? (
        <>
          <dt>{t('done.online')}</dt>
          <dd>
            <a href={b.meeting_url} target="_blank" rel="noopener noreferrer" data-testid="meeting-link">
              {t('done.join_online')}
            </a>
          </dd>
        </>
      ) : null}
      <dt>{t('done.seats')}</dt>
      <dd>{b.seats}</dd>
      {props.total ? (
        <>
          <dt>{t('done.total')}</dt>
          <dd>
            {t('tickets.price', { price: b.total_jpy.toLocaleString(locale) })}
            {b.fees?.lines.length ? <FeeLines lines={b.fees.lines} total={b.total_jpy} /> : null}
          </dd>
        </>
      ) : null}
      {props.customer ? (
        <>
          <dt>{t('admin.customer')}</dt>
          <dd>
            {b.customer?.name} {b.customer?.email ? `<${b.customer.email}>` : ''}
          </dd>
        </>
      ) : null}
      {props.status ? (
        <>
          <dt>{t('status.label')}</dt>
          <dd data-testid="booking-status">{t(`status.${b.status}`)}</dd>
        </>
      ) : null}
      {props.status && b.status === 'pending' && b.hold_expires_at ? (
        <>
          <dt>{t('status.provisional_until')}</dt>
          <dd>{formatInstant(b.hold_expires_at, props.zone, locale)}</dd>
        </>
      ) : null}
      {props.status && b.payment && b.payment.state !== 'none' ? (
        <>
          <dt>{t('payment.label')}</dt>
          <dd data-testid="payment-state">
            {b.payment.awaiting ? t('payment.awaiting') : t(`payment.${b.payment.state}`)}
            {b.payment.refunded_jpy > 0
              ? ` (${t('payment.refunded_amount', { price: b.payment.refunded_jpy.toLocaleString(locale) })})`
              : ''}
          </dd>
        </>
      ) : null}
    </dl>
  );
}
