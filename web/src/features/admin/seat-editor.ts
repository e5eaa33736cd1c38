// The seat map editor's operations (issue 26), pure so that they are tested apart from the
// page: rows drawn onto the grid (a count of seats from a column, numbered either way, an
// aisle every few seats), then seats painted one by one — a category, wheelchair or companion
// place, held back by the house, taken away or put back — and a row numbered again.

import type { SeatLayout } from '../../lib/types';

type Row = SeatLayout['sections'][number]['rows'][number];
type Seat = Row['seats'][number];

export interface RowsDrawn {
  section: string;
  /** The first row's name; the next rows take the next letters (A, B, C…) or numbers. */
  first: string;
  rows: number;
  seats: number;
  /** Grid column of the first seat. */
  x: number;
  /** A gap (aisle) after every this many seats; 0 for none. */
  aisleEvery: number;
  /** Seat 1 on the right as seen from the stage side of the drawing. */
  rightToLeft: boolean;
  category: string;
}

export type Brush =
  | { kind: 'category'; code: string }
  | { kind: 'place'; place: 'standard' | 'wheelchair' | 'companion' }
  | { kind: 'held' }
  | { kind: 'erase' }
  | { kind: 'seat'; category: string };

export const emptyLayout = (): SeatLayout => ({ categories: [], sections: [] });

/** The name after `name`: A → B, Z → AA, 9 → 10. */
export function nextRowName(name: string): string {
  if (/^\d+$/.test(name)) return String(Number(name) + 1);
  const chars = name.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    const c = chars[i] ?? '';
    if (c === 'Z' || c === 'z') {
      chars[i] = c === 'Z' ? 'A' : 'a';
      if (i === 0) return (c === 'Z' ? 'A' : 'a') + chars.join('');
    } else {
      chars[i] = String.fromCharCode(c.charCodeAt(0) + 1);
      return chars.join('');
    }
  }
  return chars.join('');
}

const clone = (l: SeatLayout): SeatLayout => JSON.parse(JSON.stringify(l)) as SeatLayout;
const allRows = (l: SeatLayout): Row[] => l.sections.flatMap((s) => s.rows);
export const lastY = (l: SeatLayout): number => Math.max(-1, ...allRows(l).map((r) => r.y));

/** Rows added behind the last one (in a section of that name, made if new). */
export function drawRows(layout: SeatLayout, d: RowsDrawn): SeatLayout {
  const out = clone(layout);
  let section = out.sections.find((s) => s.name === d.section);
  if (!section) {
    section = { name: d.section, rows: [] };
    out.sections.push(section);
  }
  const taken = new Set(allRows(out).map((r) => r.name));
  let name = d.first;
  let y = lastY(out) + 1;
  for (let i = 0; i < d.rows; i++) {
    while (taken.has(name)) name = nextRowName(name);
    const seats: Seat[] = [];
    for (let n = 0; n < d.seats; n++) {
      const gaps = d.aisleEvery > 0 ? Math.floor(n / d.aisleEvery) : 0;
      seats.push({
        number: d.rightToLeft ? d.seats - n : n + 1,
        x: d.x + n + gaps,
        ...(d.category ? { category: d.category } : {}),
      });
    }
    section.rows.push({ name, y, seats });
    taken.add(name);
    name = nextRowName(name);
    y += 1;
  }
  return out;
}

/** The row drawn at grid line `y`, if any. */
export function rowAt(layout: SeatLayout, y: number): Row | undefined {
  return allRows(layout).find((r) => r.y === y);
}

/** One cell painted with `brush`: a seat changed, taken away, or (brush seat) put there. */
export function paint(layout: SeatLayout, y: number, x: number, brush: Brush): SeatLayout {
  const out = clone(layout);
  const row = rowAt(out, y);
  if (!row) return layout;
  const i = row.seats.findIndex((s) => s.x === x);
  if (brush.kind === 'seat') {
    if (i >= 0) return layout;
    const number = Math.max(0, ...row.seats.map((s) => s.number)) + 1;
    row.seats.push({ number, x, ...(brush.category ? { category: brush.category } : {}) });
    row.seats.sort((a, b) => a.x - b.x);
    return out;
  }
  const seat = row.seats[i];
  if (!seat) return layout;
  if (brush.kind === 'erase') row.seats.splice(i, 1);
  else if (brush.kind === 'category') seat.category = brush.code;
  else if (brush.kind === 'held') seat.held = !seat.held;
  else if (brush.place === 'standard') delete seat.kind;
  else seat.kind = brush.place;
  return out;
}

/** The row's seats numbered 1… from the left (or the right). */
export function renumber(layout: SeatLayout, y: number, rightToLeft: boolean): SeatLayout {
  const out = clone(layout);
  const row = rowAt(out, y);
  if (!row) return layout;
  const n = row.seats.length;
  row.seats.sort((a, b) => a.x - b.x).forEach((s, i) => (s.number = rightToLeft ? n - i : i + 1));
  return out;
}

/** A row taken away, with its seats. */
export function removeRow(layout: SeatLayout, y: number): SeatLayout {
  const out = clone(layout);
  for (const s of out.sections) s.rows = s.rows.filter((r) => r.y !== y);
  out.sections = out.sections.filter((s) => s.rows.length > 0);
  return out;
}

/** A category added, or renamed when its code is there. */
export function putCategory(layout: SeatLayout, code: string, name: string): SeatLayout {
  const out = clone(layout);
  const cats = out.categories ?? [];
  const c = cats.find((x) => x.code === code);
  if (c) c.name = name;
  else cats.push({ code, name });
  out.categories = cats;
  return out;
}

export function seatCount(layout: SeatLayout): { all: number; sellable: number } {
  const seats = allRows(layout).flatMap((r) => r.seats);
  return { all: seats.length, sellable: seats.filter((s) => !s.held).length };
}
