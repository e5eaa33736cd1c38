// The customer's own page (/t/{code}/me): sign-in (with the ways to sign up or reset), then
// their bookings (cancel, move), their name, calendar feeds, their LINE link, their data as one
// JSON file, and erasing the account.
import { useEffect, useState } from 'preact/hooks';
import { BookingFacts } from '../../components/booking-facts';
import { ReceiptButton } from '../../components/receipt-button';
import { TicketCodes } from '../../components/ticket-codes';
import { FormProblem, TextField } from '../../components/field';
import { Alert, Loading } from '../../components/layout';
import { SignIn, useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api, enc, setCsrfToken } from '../../lib/api';
import { confirmPassword, type WhoAmI } from '../../lib/session';
import type { Booking, Group, PublicOfferings } from '../../lib/types';
import { CancelPanel } from './cancel';
import { MyFeeds } from './feeds';
import { LineSignIn, MyLine } from './line';
import { MyGroups } from './groups';
import { MoveBooking } from './move';
import { MyRoomLotteries } from './room-lottery';

/** Booked, not yet over: what a customer can still cancel or move. */
function upcoming(b: Booking, now: number): boolean {
  return (b.status === 'confirmed' || b.status === 'pending') && Date.parse(b.ends_at) > now;
}

export function MyPage(props: {
  site: PublicOfferings;
  base: string;
  customer: WhoAmI | null;
  /** The session changed (signed in, renamed, erased): ask the server who is signed in. */
  onSignIn: () => void;
  onSignOut: () => void;
}) {
  const { t } = useI18n();
  const [deleted, setDeleted] = useState(false);
  const [groups, setGroups] = useState<Group[]>([]);
  const [refreshed, setRefreshed] = useState(0);
  if (deleted) return <p role="status">{t('me.deleted')}</p>;
  if (!props.customer) {
    return (
      <>
        <SignIn tenant={props.site.tenant.code} title={t('me.signin')} onSignedIn={props.onSignIn} />
        {props.site.tenant.line_login ? <LineSignIn tenant={props.site.tenant.code} /> : null}
        <p>
          {t('me.no_account')} <a href={`${props.base}/signup`}>{t('me.signup_link')}</a>
        </p>
        <p>
          <a href={`${props.base}/forgot`}>{t('me.forgot_link')}</a>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t('me.title')}</h1>
      <p class="who">
        {t('me.signed_in_as', { name: props.customer.account.name ?? '' })}
        <button type="button" class="link" onClick={props.onSignOut}>
          {t('me.signout')}
        </button>
      </p>
      <MyBookings key={refreshed} site={props.site} base={props.base} />
      <MyRoomLotteries site={props.site} groups={groups} onConfirmed={() => setRefreshed(refreshed + 1)} />
      <MyGroups zone={props.site.tenant.time_zone} onChanged={setGroups} />
      <Profile
        name={props.customer.account.name ?? ''}
        locale={props.customer.account.locale ?? ''}
        onSaved={props.onSignIn}
      />
      <MyFeeds zone={props.site.tenant.time_zone} />
      <MyLine />
      <section class="card stack" aria-labelledby="export-title">
        <h2 id="export-title">{t('me.export')}</h2>
        <p>{t('me.export_intro')}</p>
        <p>
          <a href="/api/v1/me/export" download>
            {t('me.export')}
          </a>
        </p>
      </section>
      <Erase
        onErased={() => {
          setCsrfToken('');
          setDeleted(true);
          props.onSignIn();
        }}
      />
    </>
  );
}

function MyBookings(props: { site: PublicOfferings; base: string }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Booking[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const { problem, run } = useSubmit();
  const load = () => run(async () => setItems((await api<{ items: Booking[] }>('GET', '/api/v1/me/bookings')).items));
  useEffect(() => {
    void load();
  }, []);
  if (!items) return problem ? <Alert>{problem}</Alert> : <Loading />;
  const now = Date.now();
  const next = items.filter((b) => upcoming(b, now));
  const past = items.filter((b) => !upcoming(b, now)).reverse();
  const changed = (message: string) => {
    setNote(message);
    void load();
  };
  return (
    <section aria-labelledby="bookings-title">
      <h2 id="bookings-title">{t('me.bookings')}</h2>
      {note ? <p role="status">{note}</p> : null}
      <h3>{t('me.upcoming')}</h3>
      {next.length ? (
        <ul class="cards">
          {next.map((b) => (
            <li key={b.reference}>
              <MyBooking site={props.site} booking={b} onChanged={changed} />
            </li>
          ))}
        </ul>
      ) : (
        <p>
          {t('me.none')} <a href={props.base}>{t('me.book_more')}</a>
        </p>
      )}
      {past.length ? (
        <>
          <h3>{t('me.past')}</h3>
          <ul class="cards">
            {past.map((b) => (
              <li key={b.reference} class="card">
                <h4 class="reference-small">{b.reference}</h4>
                <BookingFacts booking={b} offering={offeringName(props.site, b)} zone={props.site.tenant.time_zone} status />
                <ReceiptButton tenant={props.site.tenant.code} booking={b} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function offeringName(site: PublicOfferings, b: Booking): string {
  return site.items.find((o) => o.id === b.offering_id)?.name ?? '';
}

function MyBooking(props: { site: PublicOfferings; booking: Booking; onChanged: (message: string) => void }) {
  const { t } = useI18n();
  const { site, booking: b } = props;
  const [mode, setMode] = useState<'idle' | 'cancel' | 'move'>('idle');
  const offering = site.items.find((o) => o.id === b.offering_id);
  const path = `/api/v1/public/${enc(site.tenant.code)}/bookings/${enc(b.reference)}`;
  const movable = offering && offering.kind !== 'course';
  const zone = site.tenant.time_zone;
  return (
    <section class="card" aria-labelledby={`b-${b.reference}`}>
      <h4 id={`b-${b.reference}`} class="reference-small">
        {b.reference}
      </h4>
      <BookingFacts booking={b} offering={offering?.name ?? ''} zone={zone} total status />
      <ReceiptButton tenant={site.tenant.code} booking={b} />
      <TicketCodes tenant={site.tenant.code} zone={zone} booking={b} />
      {mode === 'idle' ? (
        <div class="group">
          {movable ? (
            <button type="button" onClick={() => setMode('move')}>
              {t('me.change')}
            </button>
          ) : null}
          <button type="button" onClick={() => setMode('cancel')}>
            {t('manage.cancel')}
          </button>
        </div>
      ) : null}
      {mode === 'cancel' ? (
        <CancelPanel
          path={path}
          zone={zone}
          onCancelled={() => props.onChanged(t('me.cancelled', { reference: b.reference }))}
          onKeep={() => setMode('idle')}
        />
      ) : null}
      {mode === 'move' && offering ? (
        <MoveBooking
          site={site}
          booking={b}
          offering={offering}
          onMoved={() => props.onChanged(t('me.changed'))}
          onKeep={() => setMode('idle')}
        />
      ) : null}
    </section>
  );
}

function Profile(props: { name: string; locale: string; onSaved: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(props.name);
  const [mailLocale, setMailLocale] = useState(props.locale);
  const [saved, setSaved] = useState(false);
  const { busy, problem, field, run } = useSubmit();
  return (
    <form
      class="card stack"
      noValidate
      aria-labelledby="profile-title"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void run(async () => {
          await api('PATCH', '/api/v1/me', { body: { name, locale: mailLocale } });
          setSaved(true);
          props.onSaved();
        });
      }}
    >
      <h2 id="profile-title">{t('me.profile')}</h2>
      <TextField
        id="profile-name"
        name="name"
        label={t('me.name')}
        autoComplete="name"
        value={name}
        onInput={setName}
        error={{ field, problem }}
      />
      <div class="field">
        <label for="profile-locale">{t('details.language')}</label>
        <select id="profile-locale" value={mailLocale} onChange={(e) => setMailLocale(e.currentTarget.value)}>
          <option value="">{t('me.locale_venue')}</option>
          <option value="ja" lang="ja">
            日本語
          </option>
          <option value="en" lang="en">
            English
          </option>
        </select>
      </div>
      <FormProblem error={{ field, problem }} fields={['name']} />
      {saved ? <p role="status">{t('me.saved')}</p> : null}
      <button type="submit" disabled={busy}>
        {t('me.save')}
      </button>
    </form>
  );
}

function Erase(props: { onErased: () => void }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const { busy, problem, field, run } = useSubmit();
  return (
    <form
      class="card stack"
      noValidate
      aria-labelledby="erase-title"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await confirmPassword(password);
          await api('DELETE', '/api/v1/me');
          props.onErased();
        });
      }}
    >
      <h2 id="erase-title">{t('me.delete')}</h2>
      <p>{t('me.delete_intro')}</p>
      <TextField
        id="erase-password"
        label={t('me.delete_password')}
        type="password"
        autoComplete="current-password"
        value={password}
        onInput={setPassword}
      />
      {problem ? <Alert>{field === 'bookings' ? t('me.delete_upcoming') : problem}</Alert> : null}
      <button type="submit" class="danger" disabled={busy}>
        {t('me.delete_submit')}
      </button>
    </form>
  );
}
