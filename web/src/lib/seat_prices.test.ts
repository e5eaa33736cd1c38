import { expect, test } from 'vitest';
import { pricesByCategory, seatCategories, ticketsTotal } from './seat_prices';
import type { SeatLayout, TicketType } from './types';

const types: TicketType[] = [
  { code: 'child', name: '小学生', price_jpy: 1000, category_prices: { S: 4000 } },
  { code: 'adult', name: '一般', price_jpy: 3000, category_prices: { S: 8000, A: 5000 } },
];
const layout: SeatLayout = {
  categories: [
    { code: 'S', name: 'S席' },
    { code: 'A', name: 'A席' },
  ],
  sections: [
    {
      name: '1階',
      rows: [
        { name: 'A', y: 0, seats: [{ number: 1, x: 0, category: 'S' }] },
        { name: 'B', y: 1, seats: [{ number: 1, x: 0, category: 'A' }] },
      ],
    },
  ],
};

test('tickets take the seats in code order, each priced in its seat category', () => {
  expect(pricesByCategory(types)).toBe(true);
  expect(pricesByCategory([{ code: 'a', name: 'a', price_jpy: 1 }])).toBe(false);
  const categories = seatCategories(layout);
  // adult (first by code) on A-1 (S) 8000, child on B-1 (A, not priced) 1000.
  expect(ticketsTotal(types, { child: 1, adult: 1 }, { ids: ['A-1', 'B-1'], category: '', categories })).toBe(9000);
  // Best available in A: two grown-ups at 5000.
  expect(ticketsTotal(types, { adult: 2 }, { ids: null, category: 'A', categories })).toBe(10000);
  // No category: the plain prices.
  expect(ticketsTotal(types, { adult: 1, child: 1 }, { ids: null, category: '', categories: null })).toBe(4000);
});
