// Choosing numbered seats on an event with a seat map (issue 26): "best available" by default,
// or the hall drawn as a grid of seat buttons, row by row. Each seat is a labelled toggle
// button in a group per row, so the same view is the map for the eye and a list for the
// keyboard and screen readers (taken and held seats are disabled, accessible places named).
// Where prices differ by seat category, the best available is asked for in a category. Beside
// the map, a list of the free seats row by row (check boxes) chooses the same seats.

import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/i18n';
import { SeatGrid, seatId, useSeatLabel } from '../../components/seat-grid';
import { api, enc } from '../../lib/api';
import type { SeatLayout } from '../../lib/types';

type OccurrenceSeats = { occurrence_id: number; seat_map_id: number; layout: SeatLayout; taken: string[] };

export function SeatPicker(props: {
  tenant: string;
  occurrenceId: number;
  /** How many seats the tickets chosen need. */
  count: number;
  chosen: string[] | null;
  /** null: best available. */
  onChange: (seats: string[] | null) => void;
  /** The best available in this category ('' any). */
  category: string;
  onCategory: (category: string) => void;
  /** Prices differ by category: one must be chosen. */
  priced: boolean;
  /** What a category costs, for its option ("一般 8,000 円"). */
  describe: (category: string) => string;
  onLayout: (layout: SeatLayout) => void;
}) {
  const { t } = useI18n();
  const [seats, setSeats] = useState<OccurrenceSeats | null>(null);
  const [failed, setFailed] = useState(false);
  const [asList, setAsList] = useState(false);
  const label = useSeatLabel(seats?.layout ?? { sections: [] });
  useEffect(() => {
    setSeats(null);
    api<OccurrenceSeats>(
      'GET',
      `/api/v1/public/${enc(props.tenant)}/occurrences/${props.occurrenceId}/seats`,
    ).then((s) => {
      setSeats(s);
      props.onLayout(s.layout);
    }, () => setFailed(true));
  }, [props.tenant, props.occurrenceId]);
  if (failed) return <p class="muted">{t('seats.unavailable')}</p>;
  if (!seats) return null;
  const taken = new Set(seats.taken);
  const chosen = props.chosen ?? [];
  const categories = new Map((seats.layout.categories ?? []).map((c) => [c.code, c.name]));
  const toggle = (id: string) => {
    if (chosen.includes(id)) props.onChange(chosen.filter((s) => s !== id));
    else if (chosen.length < props.count) props.onChange([...chosen, id]);
  };
  return (
    <fieldset id="seats" tabIndex={-1} class="seats">
      <legend>{t('seats.title')}</legend>
      <div class="row">
        <label>
          <input type="radio" name="seat-mode" checked={props.chosen === null} onChange={() => props.onChange(null)} />{' '}
          {t('seats.best')}
        </label>
        <label>
          <input type="radio" name="seat-mode" checked={props.chosen !== null} onChange={() => props.onChange([])} />{' '}
          {t('seats.choose')}
        </label>
      </div>
      {props.chosen === null && categories.size > 0 ? (
        <div class="row">
          <label for="seat-category">{t('seats.category')}</label>
          <select id="seat-category" value={props.category} onChange={(e) => props.onCategory(e.currentTarget.value)}>
            {props.priced ? null : <option value="">{t('seats.any_category')}</option>}
            {[...categories].map(([code, name]) => (
              <option value={code} key={code}>
                {[name, props.describe(code)].filter(Boolean).join(' ')}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {props.chosen !== null ? (
        <>
          <p role="status" class="muted">
            {t('seats.picked', { n: chosen.length, of: props.count, seats: chosen.join(', ') || '—' })}
          </p>
          <button type="button" aria-pressed={asList} onClick={() => setAsList(!asList)}>
            {t('seats.as_list')}
          </button>
          {asList ? (
            seats.layout.sections.map((section) =>
              section.rows.map((row) => {
                const free = row.seats.filter((seat) => !seat.held && !taken.has(seatId(row, seat)));
                if (!free.length) return null;
                return (
                  <fieldset class="seat-list" key={row.name}>
                    <legend>
                      {section.name} {t('seats.row', { row: row.name })}
                    </legend>
                    {free.map((seat) => {
                      const id = seatId(row, seat);
                      return (
                        <label key={id}>
                          <input
                            type="checkbox"
                            checked={chosen.includes(id)}
                            disabled={!chosen.includes(id) && chosen.length >= props.count}
                            onChange={() => toggle(id)}
                          />{' '}
                          {label(row, seat)}
                        </label>
                      );
                    })}
                  </fieldset>
                );
              }),
            )
          ) : (
            <SeatGrid
              layout={seats.layout}
              cell={(row, _x, seat) => {
                if (!seat) return null;
                const id = seatId(row, seat);
                const off = taken.has(id) || seat.held === true;
                const on = chosen.includes(id);
                return {
                  label: label(row, seat, off ? [t('seats.taken')] : []),
                  text: String(seat.number),
                  classes: `${on ? 'on' : ''} ${seat.kind && seat.kind !== 'standard' ? 'accessible' : ''}`,
                  pressed: on,
                  disabled: off,
                };
              }}
              onCell={(row, _x, seat) => {
                if (seat) toggle(seatId(row, seat));
              }}
            />
          )}
        </>
      ) : null}
    </fieldset>
  );
}
