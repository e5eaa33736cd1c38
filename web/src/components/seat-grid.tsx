// A hall drawn as rows of seat buttons on its grid (issue 26): the booking site's seat picker,
// the admin console's seat-map editor and the staff's chart of a performance. Each seat (or,
// where the caller says so, each gap) is a labelled button in a group per row, so the grid is
// also a list for the keyboard and screen readers; the caller says what each cell is and does.
import { useI18n } from '../i18n/i18n';
import type { SeatLayout } from '../lib/types';

export type SeatRow = SeatLayout['sections'][number]['rows'][number];
export type Seat = SeatRow['seats'][number];

export interface SeatCell {
  label: string;
  text: string;
  classes?: string;
  pressed?: boolean;
  disabled?: boolean;
}

/** A seat's id as the server names it ("A-12"). */
export const seatId = (row: SeatRow, seat: Seat): string => seat.id ?? `${row.name}-${seat.number}`;

/** The last grid column any seat of `layout` uses (-1 for none). */
export const lastColumn = (layout: SeatLayout): number =>
  Math.max(-1, ...layout.sections.flatMap((s) => s.rows.flatMap((r) => r.seats.map((x) => x.x))));

/** How a seat reads aloud: "A 列 12 番 S席 車いす席" and whatever the caller adds. */
export function useSeatLabel(layout: SeatLayout) {
  const { t } = useI18n();
  const names = new Map((layout.categories ?? []).map((c) => [c.code, c.name]));
  return (row: SeatRow, seat: Seat, extra: string[] = []) =>
    [
      t('seats.seat', { row: row.name, number: seat.number }),
      seat.category ? (names.get(seat.category) ?? seat.category) : '',
      seat.kind && seat.kind !== 'standard' ? t(`seats.kind.${seat.kind}`) : '',
      ...extra,
    ]
      .filter(Boolean)
      .join(' ');
}

export function SeatGrid(props: {
  layout: SeatLayout;
  cell: (row: SeatRow, x: number, seat: Seat | undefined) => SeatCell | null;
  onCell: (row: SeatRow, x: number, seat: Seat | undefined) => void;
  /** Extra empty columns on the right (the editor's room to add seats). */
  extra?: number;
}) {
  const { t } = useI18n();
  const width = lastColumn(props.layout) + 1 + (props.extra ?? 0);
  return (
    <div class="seat-grid">
      <p class="stage" aria-hidden="true">
        {t('seats.stage')}
      </p>
      {props.layout.sections.map((section) => (
        <div class="seat-section" key={section.name}>
          <h4>{section.name}</h4>
          {section.rows.map((row) => (
            <div
              class="seat-row"
              role="group"
              aria-label={t('seats.row', { row: row.name })}
              key={row.name}
              style={{ gridTemplateColumns: `repeat(${width + 1}, 2rem)` }}
            >
              <span class="seat-row-name" aria-hidden="true">
                {row.name}
              </span>
              {Array.from({ length: width }, (_, x) => {
                const seat = row.seats.find((s) => s.x === x);
                const c = props.cell(row, x, seat);
                if (!c) return null;
                return (
                  <button
                    type="button"
                    key={x}
                    class={`seat ${c.classes ?? ''}`}
                    style={{ gridColumn: String(x + 2) }}
                    aria-label={c.label}
                    title={c.label}
                    aria-pressed={c.pressed}
                    disabled={c.disabled}
                    onClick={() => props.onCell(row, x, seat)}
                  >
                    {c.text}
                  </button>
                );
              })}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
