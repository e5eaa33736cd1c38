// A booking's tickets for its customer: one QR code per admission (what the kiosk scans),
// with what it admits to, and the printable PDF. `proof` is the booking's email or its mailed
// link's key (none when signed in as its customer). Shown for a confirmed booking only.
import { useEffect, useState } from 'preact/hooks';
import { renderSVG } from 'uqr';
import { useI18n } from '../i18n/i18n';
import { api, ApiError, download, enc } from '../lib/api';
import { formatInstant } from '../lib/datetime';
import { svgDataUri } from '../lib/svg';
import type { Booking } from '../lib/types';
import { Alert } from './layout';

interface Ticket {
  reference: string;
  number: number;
  ticket_type: string;
  ticket_type_name: string;
  seat: string;
  starts_at: string;
  checked_in_at: string | null;
  token: string;
}

export function TicketCodes(props: {
  tenant: string;
  zone: string;
  booking: Booking;
  proof?: { email: string } | { key: string };
}) {
  const { t, locale } = useI18n();
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const admits = props.booking.status === 'confirmed' || props.booking.status === 'checked_in';
  const path = `/api/v1/public/${enc(props.tenant)}/bookings/${enc(props.booking.reference)}/tickets`;
  const proof = JSON.stringify(props.proof ?? {});

  useEffect(() => {
    if (!admits) {
      setTickets([]);
      return;
    }
    let gone = false;
    api<{ tickets: Ticket[] }>('POST', path, { body: JSON.parse(proof) as object })
      .then((r) => {
        if (!gone) setTickets(r.tickets);
      })
      .catch((e: unknown) => {
        if (!gone) setProblem(e instanceof ApiError ? e.detail : t('app.error'));
      });
    return () => {
      gone = true;
    };
  }, [path, proof, admits, props.booking.starts_at]);

  if (!admits || (!tickets.length && !problem)) return null;
  async function print() {
    setBusy(true);
    setProblem(null);
    try {
      await download('POST', `${path}/pdf`, { body: props.proof ?? {} });
    } catch (e) {
      setProblem(e instanceof ApiError ? e.detail : t('app.error'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="tickets-title" class="tickets">
      <h3 id="tickets-title">{t('admission.title', { n: tickets.length })}</h3>
      <p class="muted">{t('admission.show')}</p>
      <ul class="ticket-list">
        {tickets.map((x) => {
          const label = `${x.reference}-${x.number} ${x.ticket_type === 'admission' ? '' : x.ticket_type_name}${x.seat ? ` ${x.seat}` : ''}`;
          return (
            <li key={x.number} class="ticket" data-testid="ticket">
              <img class="qr" src={svgDataUri(renderSVG(x.token, { border: 2 }))} alt={t('admission.qr', { label })} width={200} height={200} />
              <p>{label}</p>
              <p class="muted">{formatInstant(x.starts_at, props.zone, locale)}</p>
              {x.checked_in_at ? <p role="status">{t('admission.used')}</p> : null}
            </li>
          );
        })}
      </ul>
      <div class="group">
        <button type="button" disabled={busy} onClick={() => void print()}>
          {t('admission.print')}
        </button>
      </div>
      {problem ? <Alert>{problem}</Alert> : null}
    </section>
  );
}
