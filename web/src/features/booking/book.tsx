// Booking one offering: choose a slot, the tickets (or blocks), answer the questions, give the
// guest's details, confirm. Bad input comes back from the API naming its field, shown beside it.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Alert } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { api, ApiError, enc, idempotencyKey } from '../../lib/api';
import { formatInstant, localDay, type Locale } from '../../lib/datetime';
import { solveChallenge } from '../../lib/pow';
import { navigate } from '../../lib/router';
import type { WhoAmI } from '../../lib/session';
import { priceIn, pricesByCategory, seatCategories, ticketsTotal } from '../../lib/seat_prices';
import { FeeLines } from '../../components/fee-lines';
import { runName } from '../../lib/divisions';
import type { Booking, Offering, PriceQuote, PublicOfferings, SeatLayout, Slot, TicketType } from '../../lib/types';
import { remember } from './store';
import { SeatPicker } from './seats';
import { SlotPicker } from './slots';
import { LotteryApply, lotteryOpen } from './lottery';
import { WaitlistJoin } from './waitlist';

type Answers = Record<string, string | boolean>;

/** The input that shows an error for an API field ("customer.email" → "email"). */
function inputFor(field: string | undefined): string | null {
  if (!field) return null;
  const known: Record<string, string> = {
    'customer.name': 'name',
    'customer.email': 'email',
    'customer.phone': 'phone',
    note: 'note',
    seat_category: 'seat-category',
  };
  if (known[field]) return known[field];
  if (field.startsWith('tickets')) return 'tickets';
  if (field.startsWith('seats')) return 'seats';
  if (field.startsWith('answers.')) return `q-${field.slice('answers.'.length)}`;
  if (field === 'blocks' || field === 'quantity') return field;
  if (field.startsWith('equipment')) return 'equipment';
  if (field.startsWith('surcharges')) return 'surcharges';
  return null;
}

function ErrorText(props: { id: string; error: ApiError | null }) {
  if (!props.error || inputFor(props.error.field) !== props.id) return null;
  return (
    <p class="field-error" id={`${props.id}-error`}>
      {props.error.detail}
    </p>
  );
}

export function BookOffering(props: {
  site: PublicOfferings;
  offering: Offering;
  base: string;
  /** A signed-in customer books under their account and its address. */
  customer: WhoAmI | null;
}) {
  const { t, locale } = useI18n();
  const { site, offering: o } = props;
  const zone = site.tenant.time_zone;
  const [slot, setSlot] = useState<Slot | null>(null);
  // A rental by divisions: the chosen division and the free ones following it that day.
  const [run, setRun] = useState<Slot[]>([]);
  // Rentals: equipment by resource id, surcharges declared, and the server's itemised price.
  const [equipment, setEquipment] = useState<Record<number, number>>({});
  const [surcharges, setSurcharges] = useState<string[]>([]);
  const [quote, setQuote] = useState<PriceQuote | null>(null);
  const [tickets, setTickets] = useState<Record<string, number>>({});
  // Numbered seats (an event with a seat map): null is the best available.
  const [seats, setSeats] = useState<string[] | null>(null);
  // … the best available in a category (required where prices differ by category).
  const [seatCategory, setSeatCategory] = useState('');
  const [layout, setLayout] = useState<SeatLayout | null>(null);
  const [blocks, setBlocks] = useState(o.min_blocks ?? 1);
  const [quantity, setQuantity] = useState(1);
  // Rentals may repeat weekly: every N weeks, this many times in all; skip dates not free.
  const [everyWeeks, setEveryWeeks] = useState(0);
  const [times, setTimes] = useState(4);
  const [skip, setSkip] = useState(true);
  const [name, setName] = useState(props.customer?.account.name ?? '');
  const [email, setEmail] = useState(props.customer?.account.email ?? '');
  const [phone, setPhone] = useState('');
  const [note, setNote] = useState('');
  const [mailLocale, setMailLocale] = useState<Locale>(locale);
  const [answers, setAnswers] = useState<Answers>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const retryKey = useRef<string | null>(null);
  // A guest's booking carries a solved proof-of-work challenge (SPEC S3), solved in a worker
  // while the form is filled in; each answer works once, so the next is started at once.
  const challenge = useRef<Promise<string> | null>(null);
  const prepare = () => {
    const next = solveChallenge();
    next.catch(() => undefined);
    challenge.current = next;
  };
  useEffect(() => {
    if (slot && !props.customer && !challenge.current) prepare();
  }, [slot, props.customer]);

  const firstDay = useMemo(() => {
    const first = o.occurrences?.find((x) => x.seats_left > 0)?.starts_at;
    return localDay(first ?? new Date(), zone);
  }, [o, zone]);
  const usesTickets = o.kind === 'event' || o.kind === 'course';
  const types = o.ticket_types ?? [];
  const priced = o.kind === 'event' && !!o.seat_map_id && pricesByCategory(types);
  const total = usesTickets
    ? ticketsTotal(types, tickets, {
        ids: seats,
        category: seatCategory,
        categories: layout ? seatCategories(layout) : null,
      })
    : o.kind === 'rental'
      ? (quote?.total_jpy ?? (o.price_jpy ?? 0) * blocks * quantity)
      : (o.price_jpy ?? 0);

  // A ticket type's price, or its prices by seat category ("S席 8,000 円 / A席 5,000 円").
  const ticketPrice = (tt: TicketType) => {
    const byCategory = Object.entries(tt.category_prices ?? {});
    if (!priced || byCategory.length === 0) return t('tickets.price', { price: tt.price_jpy.toLocaleString(locale) });
    const name = (code: string) => layout?.categories?.find((c) => c.code === code)?.name ?? code;
    return byCategory.map(([code, price]) => `${name(code)} ${t('tickets.price', { price: price.toLocaleString(locale) })}`).join(' / ');
  };

  function selection(s: Slot): Record<string, unknown> {
    switch (o.kind) {
      case 'event':
        if (seats && seats.length) return { occurrence_id: s.occurrence_id, tickets, seats };
        return seatCategory
          ? { occurrence_id: s.occurrence_id, tickets, seat_category: seatCategory }
          : { occurrence_id: s.occurrence_id, tickets };
      case 'course':
        return { offering_id: o.id, tickets };
      case 'appointment':
        return { offering_id: o.id, starts_at: s.starts_at };
      case 'rental': {
        const rental: Record<string, unknown> = { offering_id: o.id, starts_at: s.starts_at, blocks, quantity };
        const taken = Object.entries(equipment)
          .filter(([, n]) => n > 0)
          .map(([id, n]) => ({ resource_id: Number(id), quantity: n }));
        if (taken.length) rental.equipment = taken;
        if (surcharges.length) rental.surcharges = surcharges;
        if (everyWeeks > 0) rental.repeat = { every_weeks: everyWeeks, count: times, skip_conflicts: skip };
        return rental;
      }
    }
  }

  // A rental's price comes from the server, itemised, whenever what is chosen changes.
  const rentalChoice = JSON.stringify(slot && o.kind === 'rental' ? [slot.starts_at, blocks, quantity, equipment, surcharges] : null);
  useEffect(() => {
    if (!slot || o.kind !== 'rental') return;
    const abort = new AbortController();
    const { repeat: _repeat, ...body } = selection(slot);
    api<PriceQuote>('POST', `/api/v1/public/${enc(site.tenant.code)}/quote`, { body, signal: abort.signal })
      .then((q) => {
        setQuote(q);
        setError(null);
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        setQuote(null);
        if (err instanceof ApiError) setError(err);
      });
    return () => abort.abort();
  }, [rentalChoice]);

  async function submit(e: Event) {
    e.preventDefault();
    if (!slot || busy) return;
    setBusy(true);
    setError(null);
    setFailed(false);
    const customer: Record<string, string> = { name, email, locale: mailLocale };
    if (phone) customer.phone = phone;
    const body: Record<string, unknown> = { ...selection(slot), customer };
    if (note) body.note = note;
    if (Object.keys(answers).length) body.answers = answers;
    // A retry after a lost answer reuses the key, so the server never books twice.
    const key = retryKey.current ?? idempotencyKey();
    retryKey.current = key;
    const send = async (): Promise<Booking> => {
      if (!props.customer) {
        const pending = challenge.current ?? solveChallenge();
        prepare();
        body.altcha = await pending;
      }
      return api<Booking>('POST', `/api/v1/public/${enc(site.tenant.code)}/bookings`, {
        body,
        headers: { 'Idempotency-Key': key },
      });
    };
    try {
      // An answer that expired while the form was open is replaced once, unseen.
      const b = await send().catch((err: unknown) => {
        if (err instanceof ApiError && err.field === 'altcha') return send();
        throw err;
      });
      remember({ booking: b, offering: o.name, email });
      // Paid at once: the places are held while the customer pays on the provider's page,
      // which brings them back to the booking's own page.
      if (b.checkout) location.assign(b.checkout.url);
      else navigate(`${props.base}/done/${enc(b.reference)}`);
    } catch (err) {
      if (err instanceof ApiError) {
        retryKey.current = null;
        setError(err);
        const id = inputFor(err.field);
        if (id) document.getElementById(id)?.focus();
      } else {
        setFailed(true);
      }
    } finally {
      setBusy(false);
    }
  }

  const invalid = (id: string) =>
    error && inputFor(error.field) === id ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {};
  const summary = error
    ? error.code === 'slot_taken'
      ? t('error.taken')
      : inputFor(error.field)
        ? t('details.fix')
        : error.detail
    : null;

  return (
    <>
      <p>
        <a href={props.base}>{t('offering.back')}</a>
      </p>
      <h1>{o.name}</h1>
      {o.description ? <p>{o.description}</p> : null}
      {lotteryOpen(o) ? (
        <LotteryApply site={site} offering={o} base={props.base} customer={props.customer} />
      ) : (
        <SlotPicker
          tenant={site.tenant.code}
          zone={zone}
          offeringId={o.id}
          firstDay={firstDay}
          chosen={slot}
          onChoose={(s, following) => {
            setSlot(s);
            setRun(following);
            if (o.by_division) setBlocks(Math.max(o.min_blocks ?? 1, 1));
          }}
        />
      )}
      <WaitlistJoin site={site} offering={o} base={props.base} customer={props.customer} />
      {slot ? (
        <form class="stack" onSubmit={submit} noValidate>
          <p class="chosen" role="status">
            {t('slots.chosen', { when: formatInstant(slot.starts_at, zone, locale) })}
          </p>
          {usesTickets ? (
            <fieldset id="tickets" tabIndex={-1} {...invalid('tickets')}>
              <legend>{t('tickets.title')}</legend>
              {(o.ticket_types ?? []).map((tt) => (
                <div class="row" key={tt.code}>
                  <label for={`ticket-${tt.code}`}>
                    {tt.name} <span class="muted">{ticketPrice(tt)}</span>
                  </label>
                  <input
                    id={`ticket-${tt.code}`}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={tt.max_per_order ?? o.max_per_order ?? 10}
                    value={tickets[tt.code] ?? 0}
                    onInput={(e) =>
                      setTickets({ ...tickets, [tt.code]: Math.max(0, Number(e.currentTarget.value) || 0) })
                    }
                  />
                </div>
              ))}
              <ErrorText id="tickets" error={error} />
            </fieldset>
          ) : null}
          {o.kind === 'event' && o.seat_map_id && slot.occurrence_id ? (
            <>
              <SeatPicker
                tenant={site.tenant.code}
                occurrenceId={slot.occurrence_id}
                count={Object.values(tickets).reduce((a, b) => a + b, 0)}
                chosen={seats}
                onChange={setSeats}
                category={seatCategory}
                onCategory={setSeatCategory}
                priced={priced}
                describe={(category) =>
                  priced
                    ? types
                        .map((tt) => `${tt.name} ${t('tickets.price', { price: priceIn(tt, category).toLocaleString(locale) })}`)
                        .join('・')
                    : ''
                }
                onLayout={(l) => {
                  setLayout(l);
                  const first = l.categories?.[0]?.code;
                  if (priced && first && !seatCategory) setSeatCategory(first);
                }}
              />
              <ErrorText id="seat-category" error={error} />
              <ErrorText id="seats" error={error} />
            </>
          ) : null}
          {o.kind === 'rental' && o.by_division ? (
            <div class="field">
              <label for="blocks">{t('rental.divisions')}</label>
              <select id="blocks" value={blocks} onChange={(e) => setBlocks(Number(e.currentTarget.value))} {...invalid('blocks')}>
                {run.slice(0, o.max_blocks ?? 1).map((s, i) =>
                  i + 1 >= (o.min_blocks ?? 1) ? (
                    <option key={s.starts_at} value={i + 1}>
                      {runName(run.slice(0, i + 1))}（{formatInstant(run[0]!.starts_at, zone, locale, 'time')}–
                      {formatInstant(s.ends_at, zone, locale, 'time')}）
                    </option>
                  ) : null,
                )}
              </select>
              <ErrorText id="blocks" error={error} />
            </div>
          ) : null}
          {o.kind === 'rental' && (o.equipment?.length || o.surcharges?.length) ? (
            <>
              {o.equipment?.length ? (
                <fieldset id="equipment" tabIndex={-1} {...invalid('equipment')}>
                  <legend>{t('rental.equipment')}</legend>
                  {o.equipment.map((e) => {
                    const left = quote?.equipment.find((x) => x.resource_id === e.resource_id)?.left;
                    return (
                      <div class="row" key={e.resource_id}>
                        <label for={`equipment-${e.resource_id}`}>
                          {e.name} <span class="muted">{t('rental.per_division', { price: e.price_jpy.toLocaleString(locale) })}</span>
                          {left !== undefined ? <span class="muted"> {t('slots.remaining', { n: left })}</span> : null}
                        </label>
                        <input
                          id={`equipment-${e.resource_id}`}
                          type="number"
                          inputMode="numeric"
                          min={0}
                          max={Math.min(e.max_quantity ?? 1, left ?? e.max_quantity ?? 1)}
                          value={equipment[e.resource_id] ?? 0}
                          onInput={(ev) =>
                            setEquipment({ ...equipment, [e.resource_id]: Math.max(0, Number(ev.currentTarget.value) || 0) })
                          }
                        />
                      </div>
                    );
                  })}
                  <ErrorText id="equipment" error={error} />
                </fieldset>
              ) : null}
              {o.surcharges?.length ? (
                <fieldset id="surcharges" tabIndex={-1} {...invalid('surcharges')}>
                  <legend>{t('rental.surcharges')}</legend>
                  {o.surcharges.map((x) => (
                    <label class="check" key={x.code}>
                      <input
                        type="checkbox"
                        id={`surcharge-${x.code}`}
                        checked={surcharges.includes(x.code)}
                        onChange={(e) =>
                          setSurcharges(e.currentTarget.checked ? [...surcharges, x.code] : surcharges.filter((c) => c !== x.code))
                        }
                      />{' '}
                      {x.name}{' '}
                      <span class="muted">
                        {x.percent
                          ? t('rental.surcharge_percent', { percent: x.percent })
                          : t('rental.per_division', { price: (x.per_block_jpy ?? 0).toLocaleString(locale) })}
                      </span>
                    </label>
                  ))}
                  <ErrorText id="surcharges" error={error} />
                </fieldset>
              ) : null}
            </>
          ) : null}
          {o.kind === 'rental' && !o.by_division ? (
            <div class="row">
              <label for="blocks">{t('rental.blocks')}</label>
              <input
                id="blocks"
                type="number"
                min={o.min_blocks ?? 1}
                max={o.max_blocks ?? 1}
                value={blocks}
                onInput={(e) => setBlocks(Number(e.currentTarget.value) || 1)}
                {...invalid('blocks')}
              />
              <ErrorText id="blocks" error={error} />
              <label for="quantity">{t('rental.quantity')}</label>
              <input
                id="quantity"
                type="number"
                min={1}
                max={o.max_per_order ?? 10}
                value={quantity}
                onInput={(e) => setQuantity(Number(e.currentTarget.value) || 1)}
                {...invalid('quantity')}
              />
              <ErrorText id="quantity" error={error} />
              <label for="repeat">{t('repeat.title')}</label>
              <select id="repeat" value={everyWeeks} onChange={(e) => setEveryWeeks(Number(e.currentTarget.value))}>
                <option value={0}>{t('repeat.none')}</option>
                <option value={1}>{t('repeat.weekly')}</option>
                <option value={2}>{t('repeat.fortnightly')}</option>
              </select>
              {everyWeeks > 0 ? (
                <>
                  <label for="repeat-count">{t('repeat.count')}</label>
                  <input
                    id="repeat-count"
                    type="number"
                    min={2}
                    max={52}
                    value={times}
                    onInput={(e) => setTimes(Number(e.currentTarget.value) || 2)}
                  />
                  <label class="check">
                    <input type="checkbox" checked={skip} onChange={(e) => setSkip(e.currentTarget.checked)} /> {t('repeat.skip')}
                  </label>
                </>
              ) : null}
            </div>
          ) : null}
          <fieldset>
            <legend>{t('details.title')}</legend>
            {props.customer ? <p>{t('details.signed_in', { email })}</p> : null}
            <Field id="name" label={t('details.name')} required error={error} invalid={invalid('name')}>
              {(attrs) => (
                <input {...attrs} autoComplete="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
              )}
            </Field>
            <Field id="email" label={t('details.email')} required error={error} invalid={invalid('email')}>
              {(attrs) => (
                <input
                  {...attrs}
                  type="email"
                  autoComplete="email"
                  readOnly={props.customer !== null}
                  value={email}
                  onInput={(e) => setEmail(e.currentTarget.value)}
                />
              )}
            </Field>
            <Field id="phone" label={t('details.phone')} error={error} invalid={invalid('phone')}>
              {(attrs) => (
                <input {...attrs} type="tel" autoComplete="tel" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />
              )}
            </Field>
            {(o.questions ?? []).map((q) => (
              <Field
                key={q.id}
                id={`q-${q.id}`}
                label={q.label}
                required={q.required ?? false}
                error={error}
                invalid={invalid(`q-${q.id}`)}
              >
                {(attrs) =>
                  q.type === 'choice' ? (
                    <select {...attrs} onChange={(e) => setAnswers({ ...answers, [q.id]: e.currentTarget.value })}>
                      <option value="">—</option>
                      {(q.options ?? []).map((opt) => (
                        <option key={opt} value={opt}>
                          {opt}
                        </option>
                      ))}
                    </select>
                  ) : q.type === 'checkbox' ? (
                    <input
                      {...attrs}
                      type="checkbox"
                      checked={answers[q.id] === true}
                      onChange={(e) => setAnswers({ ...answers, [q.id]: e.currentTarget.checked })}
                    />
                  ) : (
                    <input {...attrs} onInput={(e) => setAnswers({ ...answers, [q.id]: e.currentTarget.value })} />
                  )
                }
              </Field>
            ))}
            <Field id="note" label={t('details.note')} error={error} invalid={invalid('note')}>
              {(attrs) => <textarea {...attrs} rows={3} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
            </Field>
            <div class="field">
              <label for="mail-locale">{t('details.language')}</label>
              <select
                id="mail-locale"
                value={mailLocale}
                onChange={(e) => setMailLocale(e.currentTarget.value === 'en' ? 'en' : 'ja')}
              >
                <option value="ja" lang="ja">
                  日本語
                </option>
                <option value="en" lang="en">
                  English
                </option>
              </select>
            </div>
          </fieldset>
          {quote && quote.lines.length ? <FeeLines lines={quote.lines} total={quote.total_jpy} tax={quote.tax_jpy} id="fee-lines" /> : null}
          <p class="total">{t('details.total', { total: total.toLocaleString(locale) })}</p>
          {summary ? <Alert>{summary}</Alert> : null}
          {failed ? <Alert>{t('app.error')}</Alert> : null}
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('details.submitting') : t('details.submit')}
          </button>
        </form>
      ) : null}
    </>
  );
}

interface FieldAttrs {
  id: string;
  name: string;
  required: boolean;
  'aria-required'?: boolean;
}

function Field(props: {
  id: string;
  label: string;
  required?: boolean;
  error: ApiError | null;
  invalid: Record<string, unknown>;
  children: (attrs: FieldAttrs) => preact.JSX.Element;
}) {
  const { t } = useI18n();
  const required = props.required ?? false;
  const attrs = { id: props.id, name: props.id, required, ...props.invalid } as FieldAttrs;
  return (
    <div class="field">
      <label for={props.id}>
        {props.label}
        {required ? <span class="req"> ({t('details.required')})</span> : null}
      </label>
      {props.children(attrs)}
      <ErrorText id={props.id} error={props.error} />
    </div>
  );
}
