// Seat maps in the admin console (issue 26): a manager draws a hall on a grid — rows added
// behind each other (seats per row, aisles, numbering either way), then seats painted one by
// one with a category, as wheelchair or companion places, held back, taken away or put back —
// and saves it (the server checks it and names the field of a fault). The staff see an
// occurrence's seats: who sits where, the house's own seats kept off sale and given back, and a
// customer moved to other seats in one step. Every seat is a labelled button in a group per
// row, so the grid is also a list for the keyboard and screen readers.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { TextField } from '../../components/field';
import { SeatGrid, seatId, useSeatLabel } from '../../components/seat-grid';
import { Alert, Loading } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api, enc } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';
import type { Offering, SeatLayout } from '../../lib/types';
import {
  drawRows,
  emptyLayout,
  paint,
  putCategory,
  removeRow,
  renumber,
  seatCount,
  type Brush,
  type RowsDrawn,
} from './seat-editor';

type SeatMapSummary = { id: number; name: string; seats: number };
type SeatMap = SeatMapSummary & { layout: SeatLayout };

export function SeatMaps() {
  const { t } = useI18n();
  const [maps, setMaps] = useState<SeatMapSummary[] | null>(null);
  const [editing, setEditing] = useState<{ id: number | null; name: string; layout: SeatLayout } | null>(null);
  const list = useSubmit();
  const load = async () => setMaps((await api<{ seat_maps: SeatMapSummary[] }>('GET', '/api/v1/seat-maps')).seat_maps);
  useEffect(() => {
    void list.run(load);
  }, []);
  return (
    <>
      <h1>{t('maps.title')}</h1>
      <p class="muted">{t('maps.intro')}</p>
      {list.problem ? <Alert>{list.problem}</Alert> : null}
      {!maps ? (
        <Loading />
      ) : (
        <table class="list">
          <caption>{t('maps.list', { n: maps.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('op.name')}</th>
              <th scope="col">{t('maps.seats')}</th>
              <th scope="col">{t('op.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {maps.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{m.seats}</td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      void list.run(async () => {
                        const full = await api<SeatMap>('GET', `/api/v1/seat-maps/${m.id}`);
                        setEditing({ id: full.id, name: full.name, layout: full.layout });
                      })
                    }
                  >
                    {t('maps.edit', { name: m.name })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" onClick={() => setEditing({ id: null, name: '', layout: emptyLayout() })}>
        {t('maps.new')}
      </button>
      {editing ? (
        <SeatMapEditor
          key={editing.id ?? 'new'}
          id={editing.id}
          name={editing.name}
          layout={editing.layout}
          onSaved={() => {
            setEditing(null);
            void list.run(load);
          }}
        />
      ) : null}
    </>
  );
}

function SeatMapEditor(props: { id: number | null; name: string; layout: SeatLayout; onSaved: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(props.name);
  const [layout, setLayout] = useState(props.layout);
  const [code, setCode] = useState('');
  const [categoryName, setCategoryName] = useState('');
  const categories = layout.categories ?? [];
  const [draw, setDraw] = useState<RowsDrawn>({
    section: '1階',
    first: 'A',
    rows: 1,
    seats: 10,
    x: 0,
    aisleEvery: 0,
    rightToLeft: false,
    category: categories[0]?.code ?? '',
  });
  const [brush, setBrush] = useState<Brush>({ kind: 'held' });
  const form = useSubmit();
  const label = useSeatLabel(layout);
  const count = seatCount(layout);
  const number = (v: string) => Math.max(0, Math.floor(Number(v) || 0));
  const brushes: { id: string; label: string; brush: Brush }[] = [
    ...categories.map((c) => ({ id: `cat-${c.code}`, label: c.name, brush: { kind: 'category', code: c.code } as Brush })),
    { id: 'wheelchair', label: t('seats.kind.wheelchair'), brush: { kind: 'place', place: 'wheelchair' } },
    { id: 'companion', label: t('seats.kind.companion'), brush: { kind: 'place', place: 'companion' } },
    { id: 'standard', label: t('maps.standard'), brush: { kind: 'place', place: 'standard' } },
    { id: 'held', label: t('maps.hold'), brush: { kind: 'held' } },
    { id: 'erase', label: t('maps.erase'), brush: { kind: 'erase' } },
    { id: 'seat', label: t('maps.put'), brush: { kind: 'seat', category: draw.category } },
  ];
  const brushId = (b: Brush) =>
    b.kind === 'category' ? `cat-${b.code}` : b.kind === 'place' ? b.place : b.kind === 'seat' ? 'seat' : b.kind;
  const save = (e: Event) => {
    e.preventDefault();
    void form.run(async () => {
      const body = { name, layout };
      if (props.id === null) await api('POST', '/api/v1/seat-maps', { body });
      else await api('PUT', `/api/v1/seat-maps/${props.id}`, { body });
      props.onSaved();
    });
  };
  return (
    <form class="card stack" noValidate aria-labelledby="map-editor" onSubmit={save}>
      <h2 id="map-editor">{props.id === null ? t('maps.new') : t('maps.editing', { name: props.name })}</h2>
      <TextField id="map-name" name="name" label={t('op.name')} value={name} onInput={setName} error={form} />

      <fieldset class="filters">
        <legend>{t('maps.categories')}</legend>
        <ul class="span">
          {categories.map((c) => (
            <li key={c.code}>
              {c.code}: {c.name}
            </li>
          ))}
        </ul>
        <div class="field">
          <label for="cat-code">{t('off.code')}</label>
          <input id="cat-code" value={code} onInput={(e) => setCode(e.currentTarget.value.trim())} />
        </div>
        <div class="field">
          <label for="cat-name">{t('maps.category_name')}</label>
          <input id="cat-name" value={categoryName} onInput={(e) => setCategoryName(e.currentTarget.value)} />
        </div>
        <button
          type="button"
          disabled={!code || !categoryName}
          onClick={() => {
            setLayout(putCategory(layout, code, categoryName));
            if (!draw.category) setDraw({ ...draw, category: code });
            setCode('');
            setCategoryName('');
          }}
        >
          {t('maps.add_category')}
        </button>
      </fieldset>

      <fieldset class="filters">
        <legend>{t('maps.draw')}</legend>
        <Labelled id="draw-section" label={t('maps.section')}>
          <input id="draw-section" value={draw.section} onInput={(e) => setDraw({ ...draw, section: e.currentTarget.value })} />
        </Labelled>
        <Labelled id="draw-first" label={t('maps.first_row')}>
          <input id="draw-first" value={draw.first} onInput={(e) => setDraw({ ...draw, first: e.currentTarget.value.trim() })} />
        </Labelled>
        <Labelled id="draw-rows" label={t('maps.rows')}>
          <input id="draw-rows" type="number" min={1} max={50} value={draw.rows} onInput={(e) => setDraw({ ...draw, rows: number(e.currentTarget.value) })} />
        </Labelled>
        <Labelled id="draw-seats" label={t('maps.per_row')}>
          <input id="draw-seats" type="number" min={1} max={150} value={draw.seats} onInput={(e) => setDraw({ ...draw, seats: number(e.currentTarget.value) })} />
        </Labelled>
        <Labelled id="draw-x" label={t('maps.first_column')}>
          <input id="draw-x" type="number" min={0} max={199} value={draw.x} onInput={(e) => setDraw({ ...draw, x: number(e.currentTarget.value) })} />
        </Labelled>
        <Labelled id="draw-aisle" label={t('maps.aisle_every')}>
          <input id="draw-aisle" type="number" min={0} max={150} value={draw.aisleEvery} onInput={(e) => setDraw({ ...draw, aisleEvery: number(e.currentTarget.value) })} />
        </Labelled>
        {categories.length ? (
          <Labelled id="draw-category" label={t('seats.category')}>
            <select id="draw-category" value={draw.category} onChange={(e) => setDraw({ ...draw, category: e.currentTarget.value })}>
              {categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          </Labelled>
        ) : null}
        <label>
          <input type="checkbox" checked={draw.rightToLeft} onChange={(e) => setDraw({ ...draw, rightToLeft: e.currentTarget.checked })} />{' '}
          {t('maps.right_to_left')}
        </label>
        <button type="button" disabled={draw.rows < 1 || draw.seats < 1 || !draw.first} onClick={() => setLayout(drawRows(layout, draw))}>
          {t('maps.add_rows')}
        </button>
      </fieldset>

      {layout.sections.length ? (
        <>
          <fieldset class="row">
            <legend>{t('maps.brush')}</legend>
            {brushes.map((b) => (
              <label key={b.id}>
                <input type="radio" name="brush" checked={brushId(brush) === b.id} onChange={() => setBrush(b.brush)} /> {b.label}
              </label>
            ))}
          </fieldset>
          <p role="status" class="muted">
            {t('maps.count', { all: count.all, sellable: count.sellable })}
          </p>
          <SeatGrid
            layout={layout}
            extra={brush.kind === 'seat' ? 2 : 0}
            cell={(row, x, seat) =>
              seat
                ? {
                    label: label(row, seat, seat.held ? [t('maps.held')] : []),
                    text: String(seat.number),
                    classes: `${seat.kind && seat.kind !== 'standard' ? 'accessible' : ''} ${seat.held ? 'held' : ''} cat-${categories.findIndex((c) => c.code === seat.category)}`,
                  }
                : brush.kind === 'seat'
                  ? { label: t('maps.gap', { row: row.name, x: x + 1 }), text: '+', classes: 'gap' }
                  : null
            }
            onCell={(row, x) => setLayout(paint(layout, row.y, x, brush.kind === 'seat' ? { kind: 'seat', category: draw.category } : brush))}
          />
          <table class="list">
            <caption>{t('maps.row_list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('maps.row_name')}</th>
                <th scope="col">{t('maps.seats')}</th>
                <th scope="col">{t('op.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {layout.sections.flatMap((s) =>
                s.rows.map((r) => (
                  <tr key={r.name}>
                    <td>
                      {s.name} {t('seats.row', { row: r.name })}
                    </td>
                    <td>{r.seats.length}</td>
                    <td class="group">
                      <button type="button" onClick={() => setLayout(renumber(layout, r.y, draw.rightToLeft))}>
                        {t('maps.renumber', { row: r.name })}
                      </button>
                      <button type="button" onClick={() => setLayout(removeRow(layout, r.y))}>
                        {t('maps.remove_row', { row: r.name })}
                      </button>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </>
      ) : null}
      {form.problem && form.field !== 'name' ? (
        <Alert>
          {form.field ? `${form.field}: ` : ''}
          {form.problem}
        </Alert>
      ) : null}
      <div class="group">
        <button type="submit" class="primary" disabled={form.busy}>
          {t('maps.save')}
        </button>
      </div>
    </form>
  );
}

function Labelled(props: { id: string; label: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

type StaffSeat = { seat: string; use: 'booked' | 'house'; reference: string | null };
type StaffSeats = { occurrence_id: number; seat_map_id: number; layout: SeatLayout; taken: StaffSeat[] };

/** An occurrence's seats for the staff: who sits where, the house's seats, a customer moved. */
export function OccurrenceSeatChart(props: { zone: string }) {
  const { t, locale } = useI18n();
  const [offerings, setOfferings] = useState<Offering[]>([]);
  const [offering, setOffering] = useState<Offering | null>(null);
  const [occurrence, setOccurrence] = useState(0);
  const [seats, setSeats] = useState<StaffSeats | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const action = useSubmit();
  const label = useSeatLabel(seats?.layout ?? emptyLayout());
  useEffect(() => {
    void action.run(async () => {
      const all = (await api<{ items: Offering[] }>('GET', '/api/v1/offerings')).items;
      setOfferings(all.filter((o) => o.kind === 'event' && o.seat_map_id));
    });
  }, []);
  const loadSeats = async (id: number) => {
    setSeats(await api<StaffSeats>('GET', `/api/v1/occurrences/${id}/seats`));
    setChosen([]);
  };
  const byId = new Map((seats?.taken ?? []).map((x) => [x.seat, x]));
  // The booking whose seats are chosen, when all chosen seats are one booking's.
  const references = [...new Set(chosen.map((id) => byId.get(id)?.reference).filter((r): r is string => !!r))];
  const free = chosen.filter((id) => !byId.has(id));
  const house = chosen.filter((id) => byId.get(id)?.use === 'house');
  const run = (what: () => Promise<void>, message: string) =>
    void action.run(async () => {
      setDone(null);
      await what();
      await loadSeats(occurrence);
      setDone(message);
    });
  return (
    <section class="card stack" aria-labelledby="chart-title">
      <h2 id="chart-title">{t('chart.title')}</h2>
      <p class="muted">{t('chart.intro')}</p>
      <div class="filters">
        <Labelled id="chart-offering" label={t('chart.offering')}>
          <select
            id="chart-offering"
            value={offering?.id ?? ''}
            onChange={(e) => {
              const id = Number(e.currentTarget.value);
              setSeats(null);
              setOccurrence(0);
              void action.run(async () => setOffering(id ? await api<Offering>('GET', `/api/v1/offerings/${id}`) : null));
            }}
          >
            <option value="">{t('chart.choose')}</option>
            {offerings.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </Labelled>
        {offering ? (
          <Labelled id="chart-occurrence" label={t('chart.when')}>
            <select
              id="chart-occurrence"
              value={occurrence || ''}
              onChange={(e) => {
                const id = Number(e.currentTarget.value);
                setOccurrence(id);
                if (id) void action.run(() => loadSeats(id));
              }}
            >
              <option value="">{t('chart.choose')}</option>
              {(offering.occurrences ?? []).map((x) => (
                <option key={x.id} value={x.id}>
                  {formatInstant(x.starts_at, props.zone, locale)}
                </option>
              ))}
            </select>
          </Labelled>
        ) : null}
      </div>
      {action.problem ? <Alert>{action.problem}</Alert> : null}
      {done ? <p role="status">{done}</p> : null}
      {seats ? (
        <>
          <p role="status" class="muted" data-testid="chart-chosen">
            {t('chart.chosen', { seats: chosen.join(', ') || '—' })}
          </p>
          <SeatGrid
            layout={seats.layout}
            cell={(row, _x, seat) => {
              if (!seat) return null;
              const id = seatId(row, seat);
              const use = byId.get(id);
              const extra = [
                seat.held ? t('maps.held') : '',
                use ? (use.use === 'house' ? t('chart.house') : t('chart.booked', { reference: use.reference ?? '' })) : '',
              ];
              return {
                label: label(row, seat, extra),
                text: String(seat.number),
                classes: `${chosen.includes(id) ? 'on' : ''} ${use ? `taken-${use.use}` : ''} ${seat.held ? 'held' : ''}`,
                pressed: chosen.includes(id),
              };
            }}
            onCell={(row, _x, seat) => {
              if (!seat) return;
              const id = seatId(row, seat);
              setChosen(chosen.includes(id) ? chosen.filter((s) => s !== id) : [...chosen, id]);
            }}
          />
          <div class="group">
            <button
              type="button"
              disabled={!free.length || free.length !== chosen.length}
              onClick={() => run(() => api('POST', `/api/v1/occurrences/${occurrence}/seats/house`, { body: { seats: free } }), t('chart.kept', { n: free.length }))}
            >
              {t('chart.keep')}
            </button>
            <button
              type="button"
              disabled={!house.length || house.length !== chosen.length}
              onClick={() => run(() => api('POST', `/api/v1/occurrences/${occurrence}/seats/release`, { body: { seats: house } }), t('chart.released', { n: house.length }))}
            >
              {t('chart.release')}
            </button>
          </div>
          <MoveSeats
            occurrence={occurrence}
            references={references}
            free={free}
            taken={chosen.filter((id) => byId.get(id)?.use === 'booked')}
            onStart={() => setChosen([])}
            onMove={(reference, to) =>
              run(
                () => api('POST', `/api/v1/bookings/${enc(reference)}/reschedule`, { body: { occurrence_id: occurrence, seats: to } }),
                t('chart.moved', { reference, seats: to.join(', ') }),
              )
            }
          />
        </>
      ) : null}
    </section>
  );
}

/** Choose a booking's seats, then as many free seats: the booking moves there in one step. */
function MoveSeats(props: {
  occurrence: number;
  references: string[];
  free: string[];
  taken: string[];
  onStart: () => void;
  onMove: (reference: string, to: string[]) => void;
}) {
  const { t } = useI18n();
  const [from, setFrom] = useState<{ reference: string; seats: string[] } | null>(null);
  if (!from)
    return (
      <button
        type="button"
        disabled={props.references.length !== 1 || props.free.length > 0}
        onClick={() => {
          const reference = props.references[0];
          if (!reference) return;
          setFrom({ reference, seats: props.taken });
          props.onStart();
        }}
      >
        {t('chart.move_from')}
      </button>
    );
  return (
    <div class="group" role="group" aria-label={t('chart.moving', { reference: from.reference })}>
      <p>{t('chart.moving_hint', { reference: from.reference, n: from.seats.length })}</p>
      <button
        type="button"
        class="primary"
        disabled={props.free.length !== from.seats.length}
        onClick={() => {
          props.onMove(from.reference, props.free);
          setFrom(null);
        }}
      >
        {t('chart.move_to', { seats: props.free.join(', ') || '—' })}
      </button>
      <button type="button" onClick={() => setFrom(null)}>
        {t('chart.cancel_move')}
      </button>
    </div>
  );
}
