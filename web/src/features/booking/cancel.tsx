// Cancelling a booking, for guests (reference + email) and members alike: the fee the
// offering's tiers charge now is read first and shown, and the cancel request carries it, so
// the customer is never charged another fee than the one they saw (the server answers 409 on
// expected_fee_jpy when a tier began meanwhile; the panel then shows the new fee).
import { useEffect, useState } from 'preact/hooks';
import { Alert, Loading } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { api, ApiError } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';
import type { Booking, FeeQuote } from '../../lib/types';

export function CancelPanel(props: {
  /** /api/v1/public/{code}/bookings/{reference} */
  path: string;
  /** A guest's proof; members are known by their session. */
  email?: string;
  /** Or the key of the link in the booking's mails. */
  linkKey?: string;
  zone: string;
  onCancelled: (b: Booking) => void;
  onKeep: () => void;
}) {
  const { t, locale } = useI18n();
  const [quote, setQuote] = useState<FeeQuote | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const proof = props.email ? { email: props.email } : props.linkKey ? { key: props.linkKey } : {};
  const load = () =>
    api<Booking>('POST', `${props.path}/lookup`, { body: proof })
      .then((b) => setQuote(b.cancellation_quote ?? { percent: 0, fee_jpy: 0, changes_at: null }))
      .catch((e: unknown) => setProblem(e instanceof ApiError ? e.detail : t('app.error')));
  useEffect(() => {
    void load();
  }, [props.path]);

  async function cancel() {
    if (!quote) return;
    setBusy(true);
    setProblem(null);
    try {
      const b = await api<Booking>('POST', `${props.path}/cancel`, {
        body: { ...proof, expected_fee_jpy: quote.fee_jpy },
      });
      props.onCancelled(b);
    } catch (e) {
      if (e instanceof ApiError && e.field === 'expected_fee_jpy') {
        setProblem(t('fee.changed'));
        void load();
      } else {
        setProblem(e instanceof ApiError ? e.detail : t('app.error'));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="confirm" role="group" aria-label={t('manage.cancel')}>
      <p>{t('manage.cancel_confirm')}</p>
      {!quote && !problem ? <Loading /> : null}
      {quote ? (
        <p class="fee" role="status">
          {quote.fee_jpy > 0
            ? t('fee.charge', { fee: quote.fee_jpy.toLocaleString(locale), percent: quote.percent })
            : t('manage.fee_none')}
          {quote.changes_at ? ` ${t('fee.until', { when: formatInstant(quote.changes_at, props.zone, locale) })}` : ''}
        </p>
      ) : null}
      {problem ? <Alert>{problem}</Alert> : null}
      <div class="group">
        <button type="button" class="danger" disabled={busy || !quote} onClick={() => void cancel()}>
          {quote && quote.fee_jpy > 0 ? t('fee.cancel_paying', { fee: quote.fee_jpy.toLocaleString(locale) }) : t('manage.cancel')}
        </button>
        <button type="button" onClick={props.onKeep}>
          {t('me.keep')}
        </button>
      </div>
    </div>
  );
}
