// One booking as staff see it (from the calendar or the list), with what they can do to it by
// its status: approve or reject a pending one; check in, mark a no-show (after the start) or
// cancel a confirmed one; give back part or all of an online payment. Cancelling asks twice.
import { useEffect, useRef, useState } from 'preact/hooks';
import { documentsOf } from '../../components/receipt-button';
import { BookingFacts } from '../../components/booking-facts';
import { Alert } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api, enc } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';
import type { Booking } from '../../lib/types';

type Action = 'approve' | 'reject' | 'check-in' | 'no-show' | 'paid';

export function BookingPanel(props: {
  booking: Booking;
  zone: string;
  offering: string;
  onClose: () => void;
  onChanged: (b: Booking) => void;
}) {
  const { t, locale } = useI18n();
  const b = props.booking;
  const [confirming, setConfirming] = useState(false);
  const [waive, setWaive] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const { busy, problem, run } = useSubmit();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    setDone(null);
    setConfirming(false);
  }, [b.reference]);

  const path = `/api/v1/bookings/${enc(b.reference)}`;
  const act = (action: Action, message: string) =>
    run(async () => {
      props.onChanged(await api<Booking>('POST', `${path}/${action}`));
      setDone(message);
    });
  const cancel = () =>
    run(async () => {
      props.onChanged(await api<Booking>('DELETE', waive ? `${path}?waive_fee=true` : path));
      setConfirming(false);
      setDone(t('admin.cancelled'));
    });

  // Part or all of what was paid online goes back through the provider (a refund job).
  const [refund, setRefund] = useState('');
  const refundable = b.payment ? b.payment.paid_jpy - b.payment.refunded_jpy : 0;
  const giveBack = () =>
    run(async () => {
      props.onChanged(await api<Booking>('POST', `${path}/refund`, { body: { amount_jpy: Number(refund) } }));
      setRefund('');
      setDone(t('payment.refund_asked'));
    });

  const cancellable = b.status === 'confirmed' || b.status === 'pending' || b.status === 'held';
  const started = Date.parse(b.starts_at) <= Date.now();
  return (
    <section class="card panel" aria-labelledby="panel-title">
      <h2 id="panel-title" tabIndex={-1} ref={heading}>
        {t('admin.booking', { reference: b.reference })}
      </h2>
      <BookingFacts booking={b} offering={props.offering} zone={props.zone} customer status />
      {b.paid_at ? <p>{t('admin.paid_at', { when: formatInstant(b.paid_at, props.zone, locale) })}</p> : null}
      {done ? <p role="status">{done}</p> : null}
      {problem ? <Alert>{problem}</Alert> : null}
      <div class="group">
        {b.status === 'pending' ? (
          <>
            <button type="button" class="primary" disabled={busy} onClick={() => void act('approve', t('admin.approved'))}>
              {t('admin.approve')}
            </button>
            <button type="button" disabled={busy} onClick={() => void act('reject', t('admin.rejected'))}>
              {t('admin.reject')}
            </button>
          </>
        ) : null}
        {b.status === 'confirmed' ? (
          <button type="button" class="primary" disabled={busy} onClick={() => void act('check-in', t('admin.checked_in'))}>
            {t('admin.check_in')}
          </button>
        ) : null}
        {b.status === 'confirmed' && started ? (
          <button type="button" disabled={busy} onClick={() => void act('no-show', t('admin.marked_no_show'))}>
            {t('admin.no_show')}
          </button>
        ) : null}
        {cancellable && !confirming ? (
          <button type="button" class="danger" onClick={() => setConfirming(true)}>
            {t('admin.cancel')}
          </button>
        ) : null}
        {(b.status === 'confirmed' || b.status === 'pending') && !b.paid_at && b.total_jpy > 0 ? (
          <button type="button" disabled={busy} onClick={() => void act('paid', t('admin.marked_paid'))}>
            {t('admin.mark_paid')}
          </button>
        ) : null}
        {cancellable && confirming ? (
          <>
            <label class="check">
              <input type="checkbox" checked={waive} onChange={(e) => setWaive(e.currentTarget.checked)} /> {t('admin.waive_fee')}
            </label>
            <button type="button" class="danger" disabled={busy} onClick={() => void cancel()}>
              {t('admin.cancel_confirm')}
            </button>
          </>
        ) : null}
        {refundable > 0 ? (
          <form
            class="group"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void giveBack();
            }}
          >
            <label for="refund-amount">{t('payment.refund_amount', { max: refundable.toLocaleString(locale) })}</label>
            <input
              id="refund-amount"
              inputMode="numeric"
              value={refund}
              onInput={(e) => setRefund(e.currentTarget.value)}
            />
            <button type="submit" disabled={busy || !refund}>
              {t('payment.refund')}
            </button>
          </form>
        ) : null}
        {documentsOf(b).map((kind) => (
          <a key={kind} href={`${path}/${kind}`} download>
            {t(`${kind}.staff`)}
          </a>
        ))}
        <button type="button" onClick={props.onClose}>
          {t('admin.close')}
        </button>
      </div>
    </section>
  );
}
