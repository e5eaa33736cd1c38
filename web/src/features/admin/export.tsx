// The tenant's data export (/admin/export, managers): everything as one JSON file, the bookings
// as CSV and as an iCalendar file. It stays available after the contract ends, until the purge.
// Below it, a customer's deletion request: everything kept under their address is erased
// (bookings stay in the counts without their details), after the manager confirms it twice
// and, when it has been a while, their password.
import { useState } from 'preact/hooks';
import { useFreshSubmit } from '../../components/reauth';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';

export function DataExport() {
  const { t } = useI18n();
  return (
    <>
      <section class="card stack" aria-labelledby="export-title">
        <h1 id="export-title">{t('export.title')}</h1>
        <p>{t('export.intro')}</p>
        <ul>
          <li>
            <a href="/api/v1/export" download>
              {t('export.json')}
            </a>
          </li>
          <li>
            <a href="/api/v1/export/bookings.csv" download>
              {t('export.csv')}
            </a>
          </li>
          <li>
            <a href="/api/v1/export/bookings.ics" download>
              {t('export.ics')}
            </a>
          </li>
          <li>
            <a href="/api/v1/audit-entries.csv" download>
              {t('export.audit')}
            </a>
          </li>
        </ul>
      </section>
      <CustomerErasure />
    </>
  );
}

interface Erased {
  bookings_anonymised: number;
  waitlist_entries_anonymised: number;
  lottery_entries_anonymised: number;
  account_deleted: boolean;
}

function CustomerErasure() {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [asked, setAsked] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const { busy, problem, field, act, prompt } = useFreshSubmit();
  const invalid = field === 'email' ? { 'aria-invalid': true as const, 'aria-describedby': 'erase-error' } : {};
  return (
    <>
      {prompt}
      <form
        class="card stack"
        noValidate
        aria-labelledby="erase-customer-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (!asked) {
            setDone(null);
            setAsked(true);
            return;
          }
          setAsked(false);
          void act(async () => {
            const r = await api<Erased>('POST', '/api/v1/customer-erasures', { body: { email } });
            setEmail('');
            setDone(
              t('erase.done', {
                bookings: r.bookings_anonymised,
                waitlist: r.waitlist_entries_anonymised,
                lottery: r.lottery_entries_anonymised,
              }) + (r.account_deleted ? ` ${t('erase.account_deleted')}` : ''),
            );
          });
        }}
      >
        <h2 id="erase-customer-title">{t('erase.title')}</h2>
        <p>{t('erase.intro')}</p>
        <div class="field">
          <label for="erase-email">{t('details.email')}</label>
          <input
            id="erase-email"
            type="email"
            autoComplete="off"
            value={email}
            onInput={(e) => {
              setEmail(e.currentTarget.value);
              setAsked(false);
            }}
            {...invalid}
          />
        </div>
        {asked ? <p role="alert">{t('erase.confirm', { email })}</p> : null}
        {problem && !asked ? (
          <p class="alert" role="alert" id="erase-error">
            {field === 'bookings' ? t('erase.upcoming') : problem}
          </p>
        ) : null}
        {done ? (
          <p role="status" id="erase-done">
            {done}
          </p>
        ) : null}
        <div class="group">
          <button type="submit" class="danger" disabled={busy || email.trim() === ''}>
            {asked ? t('erase.really') : t('erase.submit')}
          </button>
          {asked ? (
            <button type="button" onClick={() => setAsked(false)}>
              {t('erase.cancel')}
            </button>
          ) : null}
        </div>
      </form>
    </>
  );
}
