// The bookings list: search by the days they start (in the tenant's zone), status, offering and
// exact email (the server matches it through its blind index); a row opens the booking's panel.
import { useEffect, useState } from 'preact/hooks';
import { TextField } from '../../components/field';
import { Alert, Loading } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { addDays, formatInstant, localDay, setDayRange } from '../../lib/datetime';
import type { Booking, BookingStatus, Offering } from '../../lib/types';
import { BookingPanel } from './booking-panel';

const statuses: BookingStatus[] = ['pending', 'confirmed', 'checked_in', 'no_show', 'cancelled', 'rejected', 'held', 'expired'];

export function BookingList(props: { zone: string }) {
  const { t, locale } = useI18n();
  const today = localDay(new Date(), props.zone);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(addDays(today, 30));
  const [status, setStatus] = useState('');
  const [offering, setOffering] = useState('');
  const [email, setEmail] = useState('');
  const [offerings, setOfferings] = useState<Offering[]>([]);
  const [items, setItems] = useState<Booking[] | null>(null);
  const [open, setOpen] = useState<Booking | null>(null);
  const { busy, problem, run } = useSubmit();

  const search = () =>
    run(async () => {
      const q = new URLSearchParams({ limit: '500' });
      setDayRange(q, from, to, props.zone);
      if (status) q.set('status', status);
      if (offering) q.set('offering_id', offering);
      if (email.trim()) q.set('email', email.trim());
      setItems((await api<{ items: Booking[] }>('GET', `/api/v1/bookings?${q.toString()}`)).items);
    });
  useEffect(() => {
    void api<{ items: Offering[] }>('GET', '/api/v1/offerings').then((r) => setOfferings(r.items), () => undefined);
    void search();
  }, []);

  const name = (id: number) => offerings.find((o) => o.id === id)?.name ?? '';
  return (
    <>
      <h1>{t('list.title')}</h1>
      <form
        class="filters card"
        noValidate
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <TextField id="f-from" label={t('list.from')} type="date" value={from} onInput={setFrom} />
        <TextField id="f-to" label={t('list.to')} type="date" value={to} onInput={setTo} />
        <div class="field">
          <label for="f-status">{t('status.label')}</label>
          <select id="f-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">{t('list.any')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-offering">{t('list.offering')}</label>
          <select id="f-offering" value={offering} onChange={(e) => setOffering(e.currentTarget.value)}>
            <option value="">{t('list.any')}</option>
            {offerings.map((o) => (
              <option key={o.id} value={String(o.id)}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-email">{t('list.email')}</label>
          <input id="f-email" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {t('list.search')}
        </button>
      </form>
      {problem ? <Alert>{problem}</Alert> : null}
      {open ? (
        <BookingPanel
          booking={open}
          zone={props.zone}
          offering={name(open.offering_id)}
          onClose={() => setOpen(null)}
          onChanged={(b) => {
            setOpen(b);
            setItems((all) => all?.map((x) => (x.reference === b.reference ? b : x)) ?? null);
          }}
        />
      ) : null}
      {!items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p>{t('list.none')}</p>
      ) : (
        <table class="list">
          <caption>{t('list.count', { n: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.when')}</th>
              <th scope="col">{t('list.reference')}</th>
              <th scope="col">{t('list.offering')}</th>
              <th scope="col">{t('admin.customer')}</th>
              <th scope="col">{t('done.seats')}</th>
              <th scope="col">{t('status.label')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((b) => (
              <tr key={b.reference}>
                <td>{formatInstant(b.starts_at, props.zone, locale)}</td>
                <td>
                  <button
                    type="button"
                    class="link"
                    aria-label={t('list.open', { reference: b.reference })}
                    onClick={() => setOpen(b)}
                  >
                    <code>{b.reference}</code>
                  </button>
                </td>
                <td>{name(b.offering_id)}</td>
                <td>{b.customer?.name}</td>
                <td>{b.seats}</td>
                <td>{t(`status.${b.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
