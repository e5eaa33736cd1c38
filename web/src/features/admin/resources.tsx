// Setup: resources (rooms, facilities, equipment, staff) with their weekly hours, date
// exceptions (closed, or other hours) and the national holidays they may close on.
import { useEffect, useState } from 'preact/hooks';
import { Alert, Loading } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api, ApiError } from '../../lib/api';
import { addDays, formatDay, localDay } from '../../lib/datetime';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof weekdays)[number];
interface Interval {
  opens: string;
  closes: string;
}

export interface Resource {
  id: number;
  kind: 'room' | 'facility' | 'equipment' | 'staff';
  name: string;
  description?: string;
  units?: number;
  seats?: number | null;
  buffer_before_minutes?: number;
  buffer_after_minutes?: number;
  closed_on_holidays?: boolean;
  hours?: Partial<Record<Weekday, Interval[]>>;
  /** A divided hall's parts (全面/区画). */
  parts?: number[];
  /** Time divisions (利用区分) rented by a rental offering by division. */
  divisions?: Division[];
  status?: string;
}

export interface Division {
  code: string;
  name: string;
  days?: 'every_day' | 'weekday' | 'holiday';
  starts: string;
  ends: string;
  price_jpy: number;
}

/** "09:00-12:00, 13:00-18:00" ⇄ intervals; empty is closed. Null when the text is not that shape. */
export function parseHours(text: string): Interval[] | null {
  const parts = text
    .split(/[,、，]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: Interval[] = [];
  for (const p of parts) {
    const m = /^(\d{1,2}:\d{2})\s*[-–~〜]\s*(\d{1,2}:\d{2})$/.exec(p);
    if (!m || !m[1] || !m[2]) return null;
    out.push({ opens: m[1].padStart(5, '0'), closes: m[2].padStart(5, '0') });
  }
  return out;
}

export function showHours(intervals: Interval[] | undefined): string {
  return (intervals ?? []).map((i) => `${i.opens}-${i.closes}`).join(', ');
}

/** A thrown input error for `field`, as the API would send it. */
function invalid(field: string, detail: string): ApiError {
  return new ApiError(400, 'invalid_input', detail, field);
}

export function Resources(props: { zone: string }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Resource[] | null>(null);
  const [editing, setEditing] = useState<Resource | 'new' | null>(null);
  const { problem, run } = useSubmit();
  const load = async () => setItems((await api<{ items: Resource[] }>('GET', '/api/v1/resources')).items);
  useEffect(() => {
    void run(load);
  }, []);
  return (
    <>
      <h1>{t('res.title')}</h1>
      {problem ? <Alert>{problem}</Alert> : null}
      <p>
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          {t('res.new')}
        </button>
      </p>
      {editing ? (
        <ResourceForm
          key={editing === 'new' ? 'new' : editing.id}
          resource={editing === 'new' ? null : editing}
          all={items ?? []}
          zone={props.zone}
          onDone={() => {
            setEditing(null);
            void run(load);
          }}
        />
      ) : null}
      {!items ? (
        <Loading />
      ) : (
        <table class="list">
          <caption>{t('res.list', { n: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('op.name')}</th>
              <th scope="col">{t('res.kind')}</th>
              <th scope="col">{t('res.hours')}</th>
              <th scope="col">{t('op.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td>{t(`res.kind_${r.kind}`)}</td>
                <td>
                  {weekdays
                    .filter((d) => (r.hours?.[d] ?? []).length)
                    .map((d) => `${t(`res.day_${d}`)} ${showHours(r.hours?.[d])}`)
                    .join(' / ') || t('res.closed')}
                </td>
                <td>
                  <button type="button" onClick={() => setEditing(r)}>
                    {t('res.edit', { name: r.name })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Holidays zone={props.zone} />
    </>
  );
}

function ResourceForm(props: { resource: Resource | null; all: Resource[]; zone: string; onDone: () => void }) {
  const { t } = useI18n();
  const r = props.resource;
  const [kind, setKind] = useState<Resource['kind']>(r?.kind ?? 'room');
  const [name, setName] = useState(r?.name ?? '');
  const [description, setDescription] = useState(r?.description ?? '');
  const [units, setUnits] = useState(String(r?.units ?? 1));
  const [seats, setSeats] = useState(r?.seats ? String(r.seats) : '');
  const [closedOnHolidays, setClosedOnHolidays] = useState(r?.closed_on_holidays ?? false);
  const [parts, setParts] = useState<number[]>(r?.parts ?? []);
  const [divisions, setDivisions] = useState<Division[]>(r?.divisions ?? []);
  // What a room or facility may be divided into: other undivided rooms and facilities of one unit.
  const divisible = kind === 'room' || kind === 'facility';
  const candidates = props.all.filter(
    (x) => x.id !== r?.id && (x.kind === 'room' || x.kind === 'facility') && !(x.parts ?? []).length && x.status !== 'archived',
  );
  const [hours, setHours] = useState<Record<Weekday, string>>(
    Object.fromEntries(weekdays.map((d) => [d, showHours(r?.hours?.[d])])) as Record<Weekday, string>,
  );
  const { busy, problem, field, run } = useSubmit();
  const bad = (f: string) => (field === f ? { 'aria-invalid': true as const, 'aria-describedby': 'res-error' } : {});

  return (
    <form
      class="card filters"
      noValidate
      aria-labelledby="res-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const week: Partial<Record<Weekday, Interval[]>> = {};
          for (const d of weekdays) {
            const parsed = parseHours(hours[d]);
            if (!parsed) throw invalid(`hours.${d}`, t('res.hours_shape'));
            if (parsed.length) week[d] = parsed;
          }
          const body: Record<string, unknown> = { kind, name, description, closed_on_holidays: closedOnHolidays, hours: week };
          if (kind === 'equipment') body.units = Number(units) || 1;
          body.seats = seats ? Number(seats) : null;
          if (divisible) {
            body.parts = parts;
            body.divisions = divisions;
          }
          if (r) await api('PATCH', `/api/v1/resources/${r.id}`, { body });
          else await api('POST', '/api/v1/resources', { body });
          props.onDone();
        });
      }}
    >
      <h2 id="res-form" class="span">
        {r ? t('res.edit', { name: r.name }) : t('res.new')}
      </h2>
      <div class="field">
        <label for="res-kind">{t('res.kind')}</label>
        <select id="res-kind" value={kind} disabled={r !== null} onChange={(e) => setKind(e.currentTarget.value as Resource['kind'])}>
          {(['room', 'facility', 'equipment', 'staff'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`res.kind_${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="res-name">{t('op.name')}</label>
        <input id="res-name" value={name} onInput={(e) => setName(e.currentTarget.value)} {...bad('name')} />
      </div>
      <div class="field">
        <label for="res-description">{t('res.description')}</label>
        <input id="res-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} {...bad('description')} />
      </div>
      {kind === 'equipment' ? (
        <div class="field">
          <label for="res-units">{t('res.units')}</label>
          <input id="res-units" type="number" min={1} value={units} onInput={(e) => setUnits(e.currentTarget.value)} {...bad('units')} />
        </div>
      ) : null}
      <div class="field">
        <label for="res-seats">{t('res.seats')}</label>
        <input id="res-seats" type="number" min={1} value={seats} onInput={(e) => setSeats(e.currentTarget.value)} {...bad('seats')} />
      </div>
      {divisible && candidates.length >= 2 ? (
        <fieldset class="span" id="res-parts" {...bad('parts')}>
          <legend>{t('res.parts')}</legend>
          <p class="muted">{t('res.parts_help')}</p>
          {candidates.map((x) => (
            <label key={x.id} class="check">
              <input
                type="checkbox"
                checked={parts.includes(x.id)}
                onChange={(e) => setParts(e.currentTarget.checked ? [...parts, x.id] : parts.filter((p) => p !== x.id))}
              />{' '}
              {x.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      {divisible ? <Divisions divisions={divisions} onChange={setDivisions} bad={bad} /> : null}
      <fieldset class="span">
        <legend>{t('res.hours_title')}</legend>
        <p class="muted">{t('res.hours_hint')}</p>
        {weekdays.map((d) => (
          <div class="row" key={d}>
            <label for={`res-hours-${d}`}>{t(`res.day_${d}`)}</label>
            <input
              id={`res-hours-${d}`}
              value={hours[d]}
              placeholder="09:00-17:00"
              onInput={(e) => setHours({ ...hours, [d]: e.currentTarget.value })}
              {...bad(`hours.${d}`)}
            />
          </div>
        ))}
        <label class="check">
          <input type="checkbox" checked={closedOnHolidays} onChange={(e) => setClosedOnHolidays(e.currentTarget.checked)} />{' '}
          {t('res.closed_on_holidays')}
        </label>
      </fieldset>
      {problem ? (
        <p class="alert span" role="alert" id="res-error">
          {field ? `${field}: ` : ''}
          {problem}
        </p>
      ) : null}
      <div class="group span">
        <button type="submit" class="primary" disabled={busy}>
          {t('me.save')}
        </button>
        {r ? (
          <button
            type="button"
            class="danger"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await api('DELETE', `/api/v1/resources/${r.id}`);
                props.onDone();
              })
            }
          >
            {t('res.archive', { name: r.name })}
          </button>
        ) : null}
        <button type="button" onClick={props.onDone}>
          {t('admin.close')}
        </button>
      </div>
      {r ? <Exceptions resource={r} zone={props.zone} /> : null}
    </form>
  );
}

/** A room's time divisions, a row each: code, name, days, start, end, price. */
function Divisions(props: { divisions: Division[]; onChange: (d: Division[]) => void; bad: (f: string) => Record<string, unknown> }) {
  const { t } = useI18n();
  const { divisions } = props;
  const set = (i: number, change: Partial<Division>) => props.onChange(divisions.map((d, j) => (j === i ? { ...d, ...change } : d)));
  return (
    <fieldset class="span" id="res-divisions" {...props.bad('divisions')}>
      <legend>{t('res.divisions')}</legend>
      <p class="muted">{t('res.divisions_help')}</p>
      {divisions.map((d, i) => {
        const n = i + 1;
        const f = `divisions[${i}]`;
        return (
          <div class="filters" key={i}>
            <input aria-label={t('res.division_code', { n })} id={`div-code-${i}`} value={d.code} size={8} onInput={(e) => set(i, { code: e.currentTarget.value })} {...props.bad(`${f}.code`)} />
            <input aria-label={t('res.division_name', { n })} id={`div-name-${i}`} value={d.name} size={8} onInput={(e) => set(i, { name: e.currentTarget.value })} {...props.bad(`${f}.name`)} />
            <select aria-label={t('res.division_days', { n })} id={`div-days-${i}`} value={d.days ?? 'every_day'} onChange={(e) => set(i, { days: e.currentTarget.value as Division['days'] })}>
              {(['every_day', 'weekday', 'holiday'] as const).map((x) => (
                <option key={x} value={x}>
                  {t(`res.days_${x}`)}
                </option>
              ))}
            </select>
            <input aria-label={t('res.division_starts', { n })} id={`div-starts-${i}`} value={d.starts} size={5} placeholder="09:00" onInput={(e) => set(i, { starts: e.currentTarget.value })} {...props.bad(`${f}.starts`)} />
            <input aria-label={t('res.division_ends', { n })} id={`div-ends-${i}`} value={d.ends} size={5} placeholder="12:00" onInput={(e) => set(i, { ends: e.currentTarget.value })} {...props.bad(`${f}.ends`)} />
            <input aria-label={t('res.division_price', { n })} id={`div-price-${i}`} type="number" min={0} value={d.price_jpy} onInput={(e) => set(i, { price_jpy: Number(e.currentTarget.value) || 0 })} {...props.bad(`${f}.price_jpy`)} />
            <button type="button" onClick={() => props.onChange(divisions.filter((_, j) => j !== i))}>
              {t('res.division_remove', { n })}
            </button>
          </div>
        );
      })}
      <button type="button" id="div-add" onClick={() => props.onChange([...divisions, { code: '', name: '', days: 'every_day', starts: '', ends: '', price_jpy: 0 }])}>
        {t('res.division_add')}
      </button>
    </fieldset>
  );
}

interface DateException {
  date: string;
  hours: Interval[];
  note?: string;
}

/** Days that differ from the week: closed, or other hours. */
function Exceptions(props: { resource: Resource; zone: string }) {
  const { t, locale } = useI18n();
  const today = localDay(new Date(), props.zone);
  const [items, setItems] = useState<DateException[] | null>(null);
  const [date, setDate] = useState(addDays(today, 1));
  const [hours, setHours] = useState('');
  const [note, setNote] = useState('');
  const { busy, problem, run } = useSubmit();
  const base = `/api/v1/resources/${props.resource.id}`;
  const load = async () =>
    setItems(
      (await api<{ exceptions: DateException[] }>('GET', `${base}/calendar?from=${today}&to=${addDays(today, 30)}`))
        .exceptions,
    );
  useEffect(() => {
    void run(load);
  }, []);
  return (
    <section class="span" aria-labelledby="exc-title">
      <h3 id="exc-title">{t('res.exceptions')}</h3>
      <div class="filters">
        <div class="field">
          <label for="exc-date">{t('res.exception_date')}</label>
          <input id="exc-date" type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="exc-hours">{t('res.exception_hours')}</label>
          <input id="exc-hours" value={hours} placeholder="10:00-15:00" onInput={(e) => setHours(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="exc-note">{t('res.exception_note')}</label>
          <input id="exc-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              const parsed = parseHours(hours);
              if (!parsed) throw invalid('hours', t('res.hours_shape'));
              await api('PUT', `${base}/exceptions/${date}`, { body: { hours: parsed, note } });
              setHours('');
              setNote('');
              await load();
            })
          }
        >
          {t('res.exception_add')}
        </button>
      </div>
      {problem ? <Alert>{problem}</Alert> : null}
      {items && items.length ? (
        <ul>
          {items.map((x) => (
            <li key={x.date}>
              {formatDay(x.date, locale)}: {x.hours.length ? showHours(x.hours) : t('res.closed')}
              {x.note ? ` (${x.note})` : ''}{' '}
              <button
                type="button"
                class="link"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    await api('DELETE', `${base}/exceptions/${x.date}`);
                    await load();
                  })
                }
              >
                {t('res.exception_remove', { date: formatDay(x.date, locale) })}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('res.no_exceptions')}</p>
      )}
    </section>
  );
}

function Holidays(props: { zone: string }) {
  const { t, locale } = useI18n();
  const year = Number(localDay(new Date(), props.zone).slice(0, 4));
  const [items, setItems] = useState<{ date: string; name_ja: string; name_en: string }[] | null>(null);
  useEffect(() => {
    api<{ items: { date: string; name_ja: string; name_en: string }[] }>('GET', `/api/v1/holidays?year=${year}`).then(
      (r) => setItems(r.items),
      () => setItems([]),
    );
  }, [year]);
  return (
    <section aria-labelledby="holidays-title">
      <h2 id="holidays-title">{t('res.holidays', { year })}</h2>
      <p class="muted">{t('res.holidays_intro')}</p>
      {items ? (
        <ul class="columns">
          {items.map((h) => (
            <li key={h.date}>
              {formatDay(h.date, locale)} {locale === 'ja' ? h.name_ja : h.name_en}
            </li>
          ))}
        </ul>
      ) : (
        <Loading />
      )}
    </section>
  );
}
