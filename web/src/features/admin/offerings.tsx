// Setup: offerings — what customers book (appointments, rentals, events, courses) with their
// policies (when booking opens and closes, until when customers cancel or move, reminders),
// ticket types, questions, and an event's or course's dates.
import { useEffect, useState } from 'preact/hooks';
import { Alert, Loading } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { formatInstant, localDay, localInputInstant } from '../../lib/datetime';
import type { FeeTier, Offering, OfferingKind, Payment, Question, SeatLayout, TicketType, WaitlistMode } from '../../lib/types';
import { Dates, Draw } from './offering-dates';
import { FeeTiers } from './fee-tiers';
import { RentalExtras, type EquipmentRow, type SurchargeRow } from './rental-extras';
import type { Resource } from './resources';

type SeatMapSummary = { id: number; name: string; seats: number };

interface Full extends Offering {
  published?: boolean;
  opens_before_minutes?: number | null;
  closes_before_minutes?: number;
  cancel_before_minutes?: number;
  reminder_minutes?: number;
  hold_minutes?: number;
  slot_step_minutes?: number;
}

const kinds: OfferingKind[] = ['event', 'course', 'appointment', 'rental'];

export function Offerings(props: { zone: string }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Full[] | null>(null);
  const [resources, setResources] = useState<Resource[]>([]);
  const [seatMaps, setSeatMaps] = useState<SeatMapSummary[]>([]);
  const [editing, setEditing] = useState<Full | 'new' | null>(null);
  // A new form for each offering picked; saving a new one keeps its form (and its message).
  const [formKey, setFormKey] = useState(0);
  const edit = (o: Full | 'new') => {
    setEditing(o);
    setFormKey((k) => k + 1);
  };
  const { problem, run } = useSubmit();
  const load = async () => setItems((await api<{ items: Full[] }>('GET', '/api/v1/offerings')).items);
  useEffect(() => {
    void run(async () => {
      await load();
      setResources((await api<{ items: Resource[] }>('GET', '/api/v1/resources')).items);
      setSeatMaps((await api<{ seat_maps: SeatMapSummary[] }>('GET', '/api/v1/seat-maps')).seat_maps);
    });
  }, []);
  return (
    <>
      <h1>{t('off.title')}</h1>
      {problem ? <Alert>{problem}</Alert> : null}
      <p>
        <button type="button" class="primary" onClick={() => edit('new')}>
          {t('off.new')}
        </button>
      </p>
      {editing ? (
        <OfferingForm
          key={formKey}
          offering={editing === 'new' ? null : editing}
          resources={resources}
          seatMaps={seatMaps}
          zone={props.zone}
          onSaved={(o) => {
            setEditing(o);
            void run(load);
          }}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {!items ? (
        <Loading />
      ) : (
        <table class="list">
          <caption>{t('off.list', { n: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('op.name')}</th>
              <th scope="col">{t('res.kind')}</th>
              <th scope="col">{t('off.published')}</th>
              <th scope="col">{t('op.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((o) => (
              <tr key={o.id}>
                <td>{o.name}</td>
                <td>{t(`kind.${o.kind}`)}</td>
                <td>{o.published ? t('off.public') : t('off.draft')}</td>
                <td>
                  <button type="button" onClick={() => edit(o)}>
                    {t('res.edit', { name: o.name })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** A number input's value: the number, or undefined when empty. */
const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

function OfferingForm(props: {
  offering: Full | null;
  resources: Resource[];
  /** The tenant's seat maps (drawn through the API: POST /api/v1/seat-maps). */
  seatMaps: SeatMapSummary[];
  zone: string;
  onSaved: (o: Full) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const o = props.offering;
  const [kind, setKind] = useState<OfferingKind>(o?.kind ?? 'event');
  const [name, setName] = useState(o?.name ?? '');
  const [description, setDescription] = useState(o?.description ?? '');
  const [published, setPublished] = useState(o?.published ?? false);
  const [numbers, setNumbers] = useState<Record<string, string>>({
    opens_before_minutes: text(o?.opens_before_minutes),
    closes_before_minutes: text(o?.closes_before_minutes ?? 0),
    cancel_before_minutes: text(o?.cancel_before_minutes ?? 0),
    reminder_minutes: text(o?.reminder_minutes ?? 1440),
    max_per_order: text(o?.max_per_order ?? 10),
    duration_minutes: text(o?.duration_minutes ?? 60),
    price_jpy: text(o?.price_jpy ?? 0),
    min_blocks: text(o?.min_blocks ?? 1),
    max_blocks: text(o?.max_blocks ?? 1),
    per_day: text(o?.limits?.per_day ?? 0),
    per_week: text(o?.limits?.per_week ?? 0),
    per_month: text(o?.limits?.per_month ?? 0),
    active: text(o?.limits?.active ?? 0),
    waitlist_offer_minutes: text(o?.waitlist_offer_minutes ?? 1440),
    pay_by_minutes: text(o?.pay_by_minutes ?? 0),
    provisional_minutes: text(o?.provisional_minutes ?? 0),
    no_show_release_minutes: text(o?.no_show_release_minutes ?? 0),
  });
  // Fee tiers are edited in days before the start (the API keeps minutes).
  const [fees, setFees] = useState<{ days: string; percent: string }[]>(
    (o?.cancellation_fees ?? []).map((f: FeeTier) => ({ days: String(f.within_minutes / 1440), percent: String(f.percent) })),
  );
  const [waitlist, setWaitlist] = useState<WaitlistMode>(o?.waitlist ?? 'off');
  const [payment, setPayment] = useState<Payment>(o?.payment ?? 'on_site');
  const [taxRate, setTaxRate] = useState<8 | 10>(o?.tax_rate === 8 ? 8 : 10);
  // A lottery's times, as local date-times in the venue's zone ('' for none).
  const local = (iso: string | null | undefined) =>
    iso ? `${localDay(iso, props.zone)}T${formatInstant(iso, props.zone, 'en', 'time').padStart(5, '0')}` : '';
  const [lottery, setLottery] = useState({
    close: local(o?.lottery?.applications_close_at),
    draw: local(o?.lottery?.draw_at),
    first: local(o?.lottery?.first_come_at),
  });
  const instant = (v: string) => localInputInstant(v, props.zone);
  const [approval, setApproval] = useState(o?.requires_approval ?? false);
  // Held online: the meeting link every live booking shows (not for rentals).
  const [onlineUrl, setOnlineUrl] = useState(o?.online_url ?? '');
  // Or each booking's own Zoom meeting (the venue's Zoom account, 連携).
  const [zoom, setZoom] = useState(o?.zoom_meetings ?? false);
  // Facility rental (ADR 0023): by the resource's time divisions, equipment lent with it, and
  // surcharges customers declare.
  const [byDivision, setByDivision] = useState(o?.by_division ?? false);
  const [equipment, setEquipment] = useState<EquipmentRow[]>(
    (o?.equipment ?? []).map((e) => ({ ...e, max_quantity: e.max_quantity ?? 1 })),
  );
  const [surcharges, setSurcharges] = useState<SurchargeRow[]>(
    (o?.surcharges ?? []).map((x) => ({ ...x, percent: x.percent ?? 0, per_block_jpy: x.per_block_jpy ?? 0 })),
  );
  // An event's numbered seats: its hall's map (0: seats are a count). Kept while seats are sold.
  const [seatMap, setSeatMap] = useState(o?.seat_map_id ?? 0);
  // Its categories (S席, A席…), which ticket types may price differently.
  const [categories, setCategories] = useState<{ code: string; name: string }[]>([]);
  useEffect(() => {
    setCategories([]);
    if (kind !== 'event' || seatMap === 0) return;
    api<{ layout?: SeatLayout }>('GET', `/api/v1/seat-maps/${seatMap}`).then(
      (m) => setCategories(m.layout?.categories ?? []),
      () => setCategories([]),
    );
  }, [kind, seatMap]);
  const [resourceIds, setResourceIds] = useState<number[]>(o?.resource_ids ?? []);
  const [tickets, setTickets] = useState<TicketType[]>(o?.ticket_types ?? [{ code: 'adult', name: '一般', price_jpy: 0 }]);
  const [questions, setQuestions] = useState<Question[]>(o?.questions ?? []);
  const [saved, setSaved] = useState(false);
  const { busy, problem, field, run } = useSubmit();
  const bad = (f: string) => (field === f ? { 'aria-invalid': true as const, 'aria-describedby': 'off-error' } : {});
  const usesTickets = kind === 'event' || kind === 'course';

  function body(): Record<string, unknown> {
    const b: Record<string, unknown> = { kind, name, description, published };
    const pick = (k: string) => {
      const v = num(numbers[k] ?? '');
      if (v !== undefined) b[k] = v;
    };
    b.opens_before_minutes = num(numbers.opens_before_minutes ?? '') ?? null;
    ['closes_before_minutes', 'cancel_before_minutes', 'reminder_minutes', 'max_per_order', 'pay_by_minutes', 'provisional_minutes'].forEach(pick);
    if (kind === 'event') {
      pick('no_show_release_minutes');
      b.seat_map_id = seatMap;
    }
    b.payment = payment;
    b.tax_rate = taxRate;
    if (kind !== 'rental') {
      b.zoom_meetings = zoom;
      b.online_url = zoom ? '' : onlineUrl.trim();
    }
    if (usesTickets)
      // Category prices only for the categories of the map chosen (none without one).
      b.ticket_types = tickets.map((tt) => {
        const prices = Object.entries(tt.category_prices ?? {}).filter(([code]) => categories.some((c) => c.code === code));
        const { category_prices: _, ...plain } = tt;
        return prices.length && kind === 'event' && seatMap ? { ...plain, category_prices: Object.fromEntries(prices) } : plain;
      });
    if (kind === 'appointment' || (kind === 'rental' && !byDivision)) ['duration_minutes', 'price_jpy'].forEach(pick);
    if (kind === 'appointment' || kind === 'rental') b.resource_ids = resourceIds;
    if (kind === 'rental') {
      ['min_blocks', 'max_blocks'].forEach(pick);
      b.requires_approval = approval;
      b.by_division = byDivision;
      if (byDivision) {
        b.duration_minutes = 0;
        b.price_jpy = 0;
      }
      b.equipment = equipment;
      b.surcharges = surcharges;
    }
    b.questions = questions;
    b.cancellation_fees = fees.map((f) => ({
      within_minutes: Math.round(Number(f.days) * 1440),
      percent: Number(f.percent),
    }));
    const limit = (k: string) => num(numbers[k] ?? '') ?? 0;
    b.limits = { per_day: limit('per_day'), per_week: limit('per_week'), per_month: limit('per_month'), active: limit('active') };
    if (usesTickets) {
      b.waitlist = waitlist;
      pick('waitlist_offer_minutes');
    }
    if (kind === 'event')
      b.lottery =
        lottery.close && lottery.draw
          ? {
              applications_close_at: instant(lottery.close),
              draw_at: instant(lottery.draw),
              first_come_at: lottery.first ? instant(lottery.first) : null,
            }
          : null;
    return b;
  }

  const numberField = (k: string, label: Parameters<typeof t>[0]) => (
    <div class="field" key={k}>
      <label for={`off-${k}`}>{t(label)}</label>
      <input
        id={`off-${k}`}
        type="number"
        inputMode="numeric"
        value={numbers[k] ?? ''}
        onInput={(e) => setNumbers({ ...numbers, [k]: e.currentTarget.value })}
        {...bad(k)}
      />
    </div>
  );
  const candidates = props.resources.filter((r) => (kind === 'appointment' ? r.kind === 'staff' : r.kind !== 'staff'));

  return (
    <form
      class="card filters"
      noValidate
      aria-labelledby="off-form"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void run(async () => {
          const made = o
            ? await api<Full>('PUT', `/api/v1/offerings/${o.id}`, { body: body() })
            : await api<Full>('POST', '/api/v1/offerings', { body: body() });
          setSaved(true);
          props.onSaved(made);
        });
      }}
    >
      <h2 id="off-form" class="span">
        {o ? t('res.edit', { name: o.name }) : t('off.new')}
      </h2>
      <div class="field">
        <label for="off-kind">{t('res.kind')}</label>
        <select id="off-kind" value={kind} disabled={o !== null} onChange={(e) => setKind(e.currentTarget.value as OfferingKind)}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="off-name">{t('op.name')}</label>
        <input id="off-name" value={name} onInput={(e) => setName(e.currentTarget.value)} {...bad('name')} />
      </div>
      <div class="field span">
        <label for="off-description">{t('res.description')}</label>
        <textarea id="off-description" rows={2} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </div>
      <label class="check span">
        <input type="checkbox" checked={published} onChange={(e) => setPublished(e.currentTarget.checked)} /> {t('off.publish')}
      </label>
      {kind !== 'rental' ? (
        <label class="check span">
          <input type="checkbox" checked={zoom} onChange={(e) => setZoom(e.currentTarget.checked)} {...bad('zoom_meetings')} />{' '}
          {t('off.zoom_meetings')}
        </label>
      ) : null}
      {kind !== 'rental' && !zoom ? (
        <div class="field span">
          <label for="off-online_url">{t('off.online_url')}</label>
          <input
            id="off-online_url"
            type="url"
            inputMode="url"
            placeholder="https://"
            value={onlineUrl}
            onInput={(e) => setOnlineUrl(e.currentTarget.value)}
            {...bad('online_url')}
          />
        </div>
      ) : null}
      <fieldset class="span filters">
        <legend>{t('off.policies')}</legend>
        {numberField('opens_before_minutes', 'off.opens_before')}
        {numberField('closes_before_minutes', 'off.closes_before')}
        {numberField('cancel_before_minutes', 'off.cancel_before')}
        {numberField('reminder_minutes', 'off.reminder')}
        {numberField('max_per_order', 'off.max_per_order')}
        {numberField('pay_by_minutes', 'off.pay_by')}
        {numberField('provisional_minutes', 'off.provisional')}
        {kind === 'event' ? numberField('no_show_release_minutes', 'off.no_show_release') : null}
        {kind === 'event' ? (
          <div class="field">
            <label for="off-seat-map">{t('off.seat_map')}</label>
            <select id="off-seat-map" value={seatMap} onChange={(e) => setSeatMap(Number(e.currentTarget.value))} {...bad('seat_map_id')}>
              <option value={0}>{t('off.seat_map_none')}</option>
              {props.seatMaps.map((m) => (
                <option key={m.id} value={m.id}>
                  {t('off.seat_map_option', { name: m.name, seats: m.seats })}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div class="field">
          <label for="off-payment">{t('off.payment')}</label>
          <select id="off-payment" value={payment} onChange={(e) => setPayment(e.currentTarget.value as Payment)} {...bad('payment')}>
            <option value="on_site">{t('off.payment_on_site')}</option>
            <option value="online_now">{t('off.payment_online_now')}</option>
            <option value="online_later">{t('off.payment_online_later')}</option>
          </select>
        </div>
        <div class="field">
          <label for="off-tax">{t('off.tax_rate')}</label>
          <select id="off-tax" value={taxRate} onChange={(e) => setTaxRate(e.currentTarget.value === '8' ? 8 : 10)} {...bad('tax_rate')}>
            <option value="10">{t('off.tax_standard')}</option>
            <option value="8">{t('off.tax_reduced')}</option>
          </select>
        </div>
      </fieldset>
      {kind === 'appointment' || kind === 'rental' ? (
        <fieldset class="span filters">
          <legend>{kind === 'rental' ? t('kind.rental') : t('kind.appointment')}</legend>
          {kind === 'rental' ? (
            <label class="check span">
              <input type="checkbox" id="off-by-division" checked={byDivision} onChange={(e) => setByDivision(e.currentTarget.checked)} />{' '}
              {t('off.by_division')}
            </label>
          ) : null}
          {kind === 'rental' && byDivision ? null : numberField('duration_minutes', kind === 'rental' ? 'off.block_minutes' : 'off.duration')}
          {kind === 'rental' && byDivision ? null : numberField('price_jpy', kind === 'rental' ? 'off.block_price' : 'off.price')}
          {kind === 'rental' ? numberField('min_blocks', 'off.min_blocks') : null}
          {kind === 'rental' ? numberField('max_blocks', 'off.max_blocks') : null}
          {kind === 'rental' ? (
            <label class="check span">
              <input type="checkbox" checked={approval} onChange={(e) => setApproval(e.currentTarget.checked)} />{' '}
              {t('off.requires_approval')}
            </label>
          ) : null}
          <div class="span" role="group" aria-label={t('off.resources')}>
            <p>{t('off.resources')}</p>
            {candidates.map((r) => (
              <label key={r.id} class="check">
                <input
                  type="checkbox"
                  checked={resourceIds.includes(r.id)}
                  onChange={(e) =>
                    setResourceIds(e.currentTarget.checked ? [...resourceIds, r.id] : resourceIds.filter((x) => x !== r.id))
                  }
                />{' '}
                {r.name}
              </label>
            ))}
          </div>
          {kind === 'rental' ? (
            <RentalExtras
              equipment={equipment}
              setEquipment={setEquipment}
              surcharges={surcharges}
              setSurcharges={setSurcharges}
              stock={props.resources.filter((r) => r.kind === 'equipment' && r.status !== 'archived')}
              bad={bad}
            />
          ) : null}
        </fieldset>
      ) : null}
      <FeeTiers fees={fees} setFees={setFees} bad={bad} />
      <fieldset class="span filters">
        <legend>{t('off.limits')}</legend>
        {numberField('per_day', 'off.limit_day')}
        {numberField('per_week', 'off.limit_week')}
        {numberField('per_month', 'off.limit_month')}
        {numberField('active', 'off.limit_active')}
      </fieldset>
      {usesTickets ? (
        <fieldset class="span filters">
          <legend>{t('waitlist.title')}</legend>
          <div class="field">
            <label for="off-waitlist">{t('off.waitlist')}</label>
            <select id="off-waitlist" value={waitlist} onChange={(e) => setWaitlist(e.currentTarget.value as WaitlistMode)}>
              <option value="off">{t('off.waitlist_off')}</option>
              <option value="offer">{t('off.waitlist_offer')}</option>
              <option value="automatic">{t('off.waitlist_automatic')}</option>
            </select>
          </div>
          {waitlist === 'offer' ? numberField('waitlist_offer_minutes', 'off.waitlist_minutes') : null}
        </fieldset>
      ) : null}
      {kind === 'event' ? (
        <fieldset class="span filters">
          <legend>{t('lottery.title')}</legend>
          <p class="muted span">{t('off.lottery_help')}</p>
          {(
            [
              ['close', 'off.lottery_close'],
              ['draw', 'off.lottery_draw'],
              ['first', 'off.lottery_first'],
            ] as const
          ).map(([k, label]) => (
            <div class="field" key={k}>
              <label for={`lot-${k}`}>{t(label)}</label>
              <input
                id={`lot-${k}`}
                type="datetime-local"
                value={lottery[k]}
                onInput={(e) => setLottery({ ...lottery, [k]: e.currentTarget.value })}
              />
            </div>
          ))}
        </fieldset>
      ) : null}
      {usesTickets ? (
        <fieldset class="span">
          <legend>{t('off.tickets')}</legend>
          {tickets.map((tt, i) => (
            <div class="filters" key={i} role="group" aria-label={t('off.ticket_n', { n: i + 1 })}>
              <div class="field">
                <label for={`tt-code-${i}`}>{t('off.code')}</label>
                <input id={`tt-code-${i}`} value={tt.code} onInput={(e) => setTickets(tickets.map((x, j) => (j === i ? { ...x, code: e.currentTarget.value } : x)))} />
              </div>
              <div class="field">
                <label for={`tt-name-${i}`}>{t('op.name')}</label>
                <input id={`tt-name-${i}`} value={tt.name} onInput={(e) => setTickets(tickets.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)))} />
              </div>
              <div class="field">
                <label for={`tt-price-${i}`}>{t('off.price')}</label>
                <input
                  id={`tt-price-${i}`}
                  type="number"
                  value={tt.price_jpy}
                  onInput={(e) => setTickets(tickets.map((x, j) => (j === i ? { ...x, price_jpy: Number(e.currentTarget.value) } : x)))}
                />
              </div>
              {kind === 'event'
                ? categories.map((c) => (
                    <div class="field" key={c.code}>
                      <label for={`tt-cat-${i}-${c.code}`}>{t('off.category_price', { category: c.name })}</label>
                      <input
                        id={`tt-cat-${i}-${c.code}`}
                        type="number"
                        min={0}
                        placeholder={String(tt.price_jpy)}
                        value={tt.category_prices?.[c.code] ?? ''}
                        onInput={(e) => {
                          const v = e.currentTarget.value;
                          const prices = { ...(tt.category_prices ?? {}) };
                          if (v === '') delete prices[c.code];
                          else prices[c.code] = Number(v);
                          setTickets(tickets.map((x, j) => (j === i ? { ...x, category_prices: prices } : x)));
                        }}
                      />
                    </div>
                  ))
                : null}
              <button type="button" onClick={() => setTickets(tickets.filter((_, j) => j !== i))}>
                {t('off.remove_n', { n: i + 1 })}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setTickets([...tickets, { code: '', name: '', price_jpy: 0 }])}>
            {t('off.add_ticket')}
          </button>
        </fieldset>
      ) : null}
      <fieldset class="span">
        <legend>{t('off.questions')}</legend>
        {questions.map((q, i) => (
          <div class="filters" key={i} role="group" aria-label={t('off.question_n', { n: i + 1 })}>
            <div class="field">
              <label for={`q-id-${i}`}>{t('off.code')}</label>
              <input id={`q-id-${i}`} value={q.id} onInput={(e) => setQuestions(questions.map((x, j) => (j === i ? { ...x, id: e.currentTarget.value } : x)))} />
            </div>
            <div class="field">
              <label for={`q-label-${i}`}>{t('off.question')}</label>
              <input id={`q-label-${i}`} value={q.label} onInput={(e) => setQuestions(questions.map((x, j) => (j === i ? { ...x, label: e.currentTarget.value } : x)))} />
            </div>
            <div class="field">
              <label for={`q-type-${i}`}>{t('res.kind')}</label>
              <select
                id={`q-type-${i}`}
                value={q.type}
                onChange={(e) => setQuestions(questions.map((x, j) => (j === i ? { ...x, type: e.currentTarget.value as Question['type'] } : x)))}
              >
                <option value="text">{t('off.q_text')}</option>
                <option value="choice">{t('off.q_choice')}</option>
                <option value="checkbox">{t('off.q_checkbox')}</option>
              </select>
            </div>
            {q.type === 'choice' ? (
              <div class="field">
                <label for={`q-options-${i}`}>{t('off.options')}</label>
                <input
                  id={`q-options-${i}`}
                  value={(q.options ?? []).join(', ')}
                  onInput={(e) =>
                    setQuestions(
                      questions.map((x, j) =>
                        j === i ? { ...x, options: e.currentTarget.value.split(/[,、]/).map((s) => s.trim()).filter(Boolean) } : x,
                      ),
                    )
                  }
                />
              </div>
            ) : null}
            <label class="check">
              <input
                type="checkbox"
                checked={q.required ?? false}
                onChange={(e) => setQuestions(questions.map((x, j) => (j === i ? { ...x, required: e.currentTarget.checked } : x)))}
              />{' '}
              {t('details.required')}
            </label>
            <button type="button" onClick={() => setQuestions(questions.filter((_, j) => j !== i))}>
              {t('off.remove_question_n', { n: i + 1 })}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setQuestions([...questions, { id: `q${questions.length + 1}`, label: '', type: 'text' }])}>
          {t('off.add_question')}
        </button>
      </fieldset>
      {problem ? (
        <p class="alert span" role="alert" id="off-error">
          {field ? `${field}: ` : ''}
          {problem}
        </p>
      ) : null}
      {saved ? (
        <p class="span" role="status">
          {t('me.saved')}
        </p>
      ) : null}
      <div class="group span">
        <button type="submit" class="primary" disabled={busy}>
          {t('me.save')}
        </button>
        <button type="button" onClick={props.onClose}>
          {t('admin.close')}
        </button>
      </div>
      {o && usesTickets ? <Dates offering={o} zone={props.zone} /> : null}
      {o?.lottery ? <Draw offering={o} /> : null}
    </form>
  );
}

/** An event's performances or a course's sessions: list and add. */
