// The waitlist (キャンセル待ち) on the booking site: joining it for a full occurrence (an event's
// session, or a whole course) when the offering keeps one, and a page where the customer sees
// their place in line, accepts an offer before it runs out, or leaves.
import { useState } from 'preact/hooks';
import { FormProblem, TextField } from '../../components/field';
import { ApplicantFields, sendApplication, useApplicant } from './applicant';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api, enc } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';
import type { WhoAmI } from '../../lib/session';
import type { Booking, Offering, PublicOfferings, WaitlistEntry } from '../../lib/types';

/** The occurrences one can wait for: upcoming and full (a course counts as one, by its fullest session). */
export function fullOccurrences(o: Offering): { id: number; starts_at: string }[] {
  if (!o.waitlist || o.waitlist === 'off') return [];
  const now = Date.now();
  const occ = o.occurrences ?? [];
  if (o.kind === 'course') {
    const first = occ[0];
    return first && Date.parse(first.starts_at) > now && occ.some((x) => x.seats_left === 0) ? [first] : [];
  }
  if (o.kind !== 'event') return [];
  return occ.filter((x) => x.seats_left === 0 && Date.parse(x.starts_at) > now);
}

export function WaitlistJoin(props: { site: PublicOfferings; offering: Offering; base: string; customer: WhoAmI | null }) {
  const { t, locale } = useI18n();
  const { site, offering: o } = props;
  const full = fullOccurrences(o);
  const [occurrence, setOccurrence] = useState(full[0]?.id ?? 0);
  const [who, setWho] = useApplicant(props.customer);
  const [joined, setJoined] = useState<WaitlistEntry | null>(null);
  // Where prices differ by seat category, one waits for seats of a category.
  const categories = [...new Set((o.ticket_types ?? []).flatMap((tt) => Object.keys(tt.category_prices ?? {})))];
  const [category, setCategory] = useState(categories[0] ?? '');
  const { busy, problem, field, run } = useSubmit();
  if (full.length === 0) return null;
  const zone = site.tenant.time_zone;

  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const what =
        o.kind === 'event'
          ? { occurrence_id: occurrence, ...(category ? { seat_category: category } : {}) }
          : { offering_id: o.id };
      setJoined(await sendApplication<WaitlistEntry>(site.tenant.code, 'waitlist', what, who, locale, props.customer !== null));
    });
  };

  return (
    <section aria-labelledby="waitlist-title" class="card">
      <h2 id="waitlist-title">{t('waitlist.title')}</h2>
      {joined ? (
        <div role="status">
          <p>{joined.confirmed ? t('waitlist.joined', { position: joined.position ?? 1 }) : t('waitlist.check_mail')}</p>
          <p class="reference">{joined.reference}</p>
          <p>
            <a href={`${props.base}/waitlist?ref=${enc(joined.reference)}`}>{t('waitlist.check')}</a>
          </p>
        </div>
      ) : (
        <form class="stack" noValidate onSubmit={submit}>
          <p>{t(o.waitlist === 'automatic' ? 'waitlist.intro_automatic' : 'waitlist.intro_offer')}</p>
          {o.kind === 'event' ? (
            <div class="field">
              <label for="wait-occurrence">{t('waitlist.when')}</label>
              <select id="wait-occurrence" value={occurrence} onChange={(e) => setOccurrence(Number(e.currentTarget.value))}>
                {full.map((x) => (
                  <option key={x.id} value={x.id}>
                    {formatInstant(x.starts_at, zone, locale)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {o.kind === 'event' && categories.length > 0 ? (
            <div class="field">
              <label for="wait-category">{t('seats.category')}</label>
              <select id="wait-category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
                {categories.map((code) => (
                  <option key={code} value={code}>
                    {code}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <ApplicantFields
            prefix="wait"
            offering={o}
            member={props.customer !== null}
            value={who}
            onChange={setWho}
            field={field}
            problem={problem}
          />
          <button type="submit" disabled={busy}>
            {t('waitlist.join')}
          </button>
        </form>
      )}
    </section>
  );
}

export function WaitlistPage(props: { site: PublicOfferings; base: string }) {
  const { t, locale } = useI18n();
  const tenant = enc(props.site.tenant.code);
  const [reference, setReference] = useState(new URLSearchParams(location.search).get('ref') ?? '');
  const [email, setEmail] = useState('');
  const [entry, setEntry] = useState<WaitlistEntry | null>(null);
  const [booked, setBooked] = useState<Booking | null>(null);
  const { busy, problem, field, run } = useSubmit();
  const path = () => `/api/v1/public/${tenant}/waitlist/${enc(reference.trim().toUpperCase())}`;
  const act = (action: 'lookup' | 'leave') =>
    run(async () => {
      setEntry(await api<WaitlistEntry>('POST', `${path()}/${action}`, { body: { email } }));
      setBooked(null);
    });
  const accept = () =>
    run(async () => {
      setBooked(await api<Booking>('POST', `${path()}/accept`, { body: { email } }));
      setEntry(await api<WaitlistEntry>('POST', `${path()}/lookup`, { body: { email } }));
    });
  const zone = props.site.tenant.time_zone;
  const offering = entry ? props.site.items.find((o) => o.id === entry.offering_id) : undefined;
  return (
    <>
      <h1>{t('waitlist.page')}</h1>
      <form
        class="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void act('lookup');
        }}
      >
        <TextField id="wait-reference" name="reference" label={t('waitlist.reference')} value={reference} onInput={setReference} />
        <TextField id="wait-lookup-email" name="email" label={t('manage.email')} type="email" autoComplete="email" value={email} onInput={setEmail} error={{ field, problem }} />
        <button type="submit" disabled={busy}>
          {t('manage.find')}
        </button>
      </form>
      <FormProblem error={{ field, problem }} fields={['email']} />
      {entry ? (
        <section class="card" aria-labelledby="entry-title">
          <h2 id="entry-title">{entry.reference}</h2>
          {offering ? <p>{offering.name}</p> : null}
          <p role="status">
            {entry.status === 'waiting' && !entry.confirmed
              ? t('waitlist.unconfirmed')
              : entry.status === 'waiting'
                ? t('waitlist.position', { position: entry.position ?? 1 })
                : t(`waitlist.status.${entry.status}`)}
          </p>
          {entry.status === 'offered' && entry.offer_expires_at ? (
            <p>{t('waitlist.offer_until', { when: formatInstant(entry.offer_expires_at, zone, locale) })}</p>
          ) : null}
          {booked || (entry.status === 'booked' && entry.booking_reference) ? (
            <p>
              {t('waitlist.booking', { reference: booked?.reference ?? entry.booking_reference ?? '' })}{' '}
              <a href={`${props.base}/manage?ref=${enc(booked?.reference ?? entry.booking_reference ?? '')}`}>{t('site.manage')}</a>
            </p>
          ) : null}
          <div class="group">
            {entry.status === 'offered' ? (
              <button type="button" class="primary" disabled={busy} onClick={() => void accept()}>
                {t('waitlist.accept')}
              </button>
            ) : null}
            {entry.status === 'waiting' || entry.status === 'offered' ? (
              <button type="button" disabled={busy} onClick={() => void act('leave')}>
                {t('waitlist.leave')}
              </button>
            ) : null}
          </div>
        </section>
      ) : null}
    </>
  );
}
