// A booking's documents (PDF) for its customer: a paid booking's receipt, and a rental's
// permit (confirmed) and invoice (something to pay). Issued on the first download, the same
// document on every later one (a permit or invoice again, marked 再発行, once the booking
// changed). `proof` is the booking's email or its mailed link's key (none when signed in).
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';
import { ApiError, download, enc } from '../lib/api';
import type { Booking } from '../lib/types';
import { Alert } from './layout';

type Kind = 'receipt' | 'permit' | 'invoice';

/** Which documents the booking has for its customer. */
export function documentsOf(b: Booking): Kind[] {
  const out: Kind[] = [];
  const live = b.status === 'confirmed' || b.status === 'checked_in';
  if (b.fees?.lines.length && live) out.push('permit');
  if (b.fees?.lines.length && (live || b.status === 'pending') && b.total_jpy > 0 && b.payment?.state !== 'paid')
    out.push('invoice');
  if (b.payment && b.payment.paid_jpy > 0) out.push('receipt');
  return out;
}

export function ReceiptButton(props: { tenant: string; booking: Booking; proof?: { email: string } | { key: string } }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const kinds = documentsOf(props.booking);
  if (!kinds.length) return null;
  async function fetchIt(kind: Kind) {
    setBusy(true);
    setProblem(null);
    try {
      await download('POST', `/api/v1/public/${enc(props.tenant)}/bookings/${enc(props.booking.reference)}/${kind}`, {
        body: props.proof ?? {},
      });
    } catch (e) {
      setProblem(e instanceof ApiError ? e.detail : t('app.error'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="group">
      {kinds.map((kind) => (
        <button type="button" key={kind} disabled={busy} onClick={() => void fetchIt(kind)}>
          {t(`${kind}.download`)}
        </button>
      ))}
      {problem ? <Alert>{problem}</Alert> : null}
    </div>
  );
}
