// What tickets cost on numbered seats where an event prices its seat categories (S席, A席…):
// the same rule as the server's (domain/bookings/plan.cpp): tickets take the seats in the
// order they are issued (types by code), each priced in its seat's category, or in the
// category asked for when the best available is wanted; a category a type does not price
// costs its price_jpy.

import type { SeatLayout, TicketType } from './types';

export function pricesByCategory(types: TicketType[]): boolean {
  return types.some((t) => Object.keys(t.category_prices ?? {}).length > 0);
}

export function priceIn(type: TicketType, category: string): number {
  return type.category_prices?.[category] ?? type.price_jpy;
}

/** Seat id ("A-12") → its category code. */
export function seatCategories(layout: SeatLayout): Map<string, string> {
  const out = new Map<string, string>();
  for (const section of layout.sections)
    for (const row of section.rows)
      for (const seat of row.seats) out.set(seat.id ?? `${row.name}-${seat.number}`, seat.category ?? '');
  return out;
}

export function ticketsTotal(
  types: TicketType[],
  tickets: Record<string, number>,
  seats: { ids: string[] | null; category: string; categories: Map<string, string> | null },
): number {
  let total = 0;
  let next = 0;
  for (const code of Object.keys(tickets).sort()) {
    const type = types.find((t) => t.code === code);
    if (!type) continue;
    for (let i = 0; i < (tickets[code] ?? 0); i++) {
      const id = seats.ids?.[next++];
      const category = id !== undefined && seats.categories ? seats.categories.get(id) ?? '' : seats.category;
      total += priceIn(type, category);
    }
  }
  return total;
}
