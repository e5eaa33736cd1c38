// A guest views, moves or cancels their booking with its reference and email, or straight from
// the signed link in its mails (…/manage?ref=REF#key=KEY: the key stays out of server logs).
import { useEffect, useState } from 'preact/hooks';
import { BookingFacts } from '../../components/booking-facts';
import { ReceiptButton } from '../../components/receipt-button';
import { TicketCodes } from '../../components/ticket-codes';
import { TextField } from '../../components/field';
import { Alert } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { api, ApiError, enc } from '../../lib/api';
import type { Booking, Checkout, PublicOfferings } from '../../lib/types';
import { CancelPanel } from './cancel';
import { MoveBooking } from './move';

export function Manage(props: { site: PublicOfferings; base: string }) {
  const { t } = useI18n();
  const tenant = enc(props.site.tenant.code);
  const [reference, setReference] = useState(new URLSearchParams(location.search).get('ref') ?? '');
  const [email, setEmail] = useState('');
  const linkKey = new URLSearchParams(location.hash.slice(1)).get('key') ?? '';
  const [booking, setBooking] = useState<Booking | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [moving, setMoving] = useState(false);
  const [moved, setMoved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function run(action: 'lookup') {
    setBusy(true);
    setProblem(null);
    try {
      const b = await api<Booking>(
        'POST',
        `/api/v1/public/${tenant}/bookings/${enc(reference.trim().toUpperCase())}/${action}`,
        { body: linkKey && !email ? { key: linkKey } : { email } },
      );
      setBooking(b);
      setConfirming(false);
      setMoved(false);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setProblem(t('manage.not_found'));
      else if (e instanceof ApiError) setProblem(e.detail);
      else setProblem(t('app.error'));
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    if (linkKey && reference) void run('lookup');
  }, []);

  // A booking held while its customer pays, or one paid later and still unpaid: to the
  // provider's page (the one open, or a new one).
  async function pay() {
    if (!booking) return;
    setBusy(true);
    setProblem(null);
    try {
      const c = await api<Checkout>('POST', `/api/v1/public/${tenant}/bookings/${enc(booking.reference)}/checkout`, {
        body: linkKey && !email ? { key: linkKey } : { email },
      });
      location.assign(c.url);
    } catch (e) {
      setProblem(e instanceof ApiError ? e.detail : t('app.error'));
      setBusy(false);
    }
  }

  const offering = booking ? props.site.items.find((o) => o.id === booking.offering_id) : undefined;
  const cancellable = booking && (booking.status === 'confirmed' || booking.status === 'pending');
  return (
    <>
      <h1>{t('manage.title')}</h1>
      <form
        class="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run('lookup');
        }}
      >
        <div class="field">
          <label for="reference">{t('manage.reference')}</label>
          <input
            id="reference"
            autoComplete="off"
            autoCapitalize="characters"
            value={reference}
            onInput={(e) => setReference(e.currentTarget.value)}
          />
        </div>
        <TextField id="email" label={t('manage.email')} type="email" autoComplete="email" value={email} onInput={setEmail} />
        <button type="submit" disabled={busy}>
          {t('manage.find')}
        </button>
      </form>
      {problem ? <Alert>{problem}</Alert> : null}
      {booking ? (
        <section aria-labelledby="booking-title" class="card">
          <h2 id="booking-title">{booking.reference}</h2>
          <BookingFacts booking={booking} offering={offering?.name ?? ''} zone={props.site.tenant.time_zone} total status />
          {booking.status === 'cancelled' ? <p role="status">{t('manage.cancelled')}</p> : null}
          {(booking.status === 'held' && booking.payment?.awaiting && booking.payment.state === 'unpaid') ||
          (cancellable && offering !== undefined && offering.payment !== 'on_site' && booking.payment?.state === 'unpaid') ? (
            <div class="group">
              <button type="button" class="primary" disabled={busy} onClick={() => void pay()}>
                {t('payment.pay')}
              </button>
            </div>
          ) : null}
          <ReceiptButton
            tenant={props.site.tenant.code}
            booking={booking}
            proof={linkKey && !email ? { key: linkKey } : { email }}
          />
          <TicketCodes
            tenant={props.site.tenant.code}
            zone={props.site.tenant.time_zone}
            booking={booking}
            proof={linkKey && !email ? { key: linkKey } : { email }}
          />
          {moved ? <p role="status">{t('me.changed')}</p> : null}
          {cancellable && !confirming && !moving ? (
            <div class="group">
              {offering && offering.kind !== 'course' ? (
                <button type="button" onClick={() => setMoving(true)}>
                  {t('me.change')}
                </button>
              ) : null}
              <button type="button" onClick={() => setConfirming(true)}>
                {t('manage.cancel')}
              </button>
            </div>
          ) : null}
          {cancellable && moving && offering ? (
            <MoveBooking
              site={props.site}
              booking={booking}
              offering={offering}
              email={linkKey && !email ? undefined : email}
              linkKey={linkKey && !email ? linkKey : undefined}
              onMoved={(b) => {
                setBooking(b);
                setMoving(false);
                setMoved(true);
              }}
              onKeep={() => setMoving(false)}
            />
          ) : null}
          {cancellable && confirming ? (
            <CancelPanel
              path={`/api/v1/public/${tenant}/bookings/${enc(booking.reference)}`}
              email={linkKey && !email ? undefined : email}
              linkKey={linkKey && !email ? linkKey : undefined}
              zone={props.site.tenant.time_zone}
              onCancelled={(b) => {
                setBooking(b);
                setConfirming(false);
              }}
              onKeep={() => setConfirming(false)}
            />
          ) : null}
        </section>
      ) : null}
    </>
  );
}
