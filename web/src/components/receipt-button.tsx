// A paid booking's receipt (PDF) for its customer: issued on the first download, the same
// receipt on every later one. `proof` is the booking's email or its mailed link's key (none
// when signed in as its customer).
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';
import { ApiError, download, enc } from '../lib/api';
import type { Booking } from '../lib/types';
import { Alert } from './layout';

export function ReceiptButton(props: { tenant: string; booking: Booking; proof?: { email: string } | { key: string } }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!props.booking.payment || props.booking.payment.paid_jpy <= 0) return null;
  async function fetchIt() {
    setBusy(true);
    setProblem(null);
    try {
      await download('POST', `/api/v1/public/${enc(props.tenant)}/bookings/${enc(props.booking.reference)}/receipt`, {
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
      <button type="button" disabled={busy} onClick={() => void fetchIt()}>
        {t('receipt.download')}
      </button>
      {problem ? <Alert>{problem}</Alert> : null}
    </div>
  );
}
