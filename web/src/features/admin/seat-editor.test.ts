import { expect, test } from 'vitest';
import { drawRows, emptyLayout, nextRowName, paint, putCategory, removeRow, renumber, rowAt, seatCount } from './seat-editor';

test('row names go on like a theatre: A, B … Z, AA; 9, 10', () => {
  expect(nextRowName('A')).toBe('B');
  expect(nextRowName('Z')).toBe('AA');
  expect(nextRowName('AZ')).toBe('BA');
  expect(nextRowName('9')).toBe('10');
});

test('rows are drawn behind each other with aisles, numbered either way', () => {
  let l = putCategory(emptyLayout(), 'S', 'S席');
  l = drawRows(l, { section: '1階', first: 'A', rows: 2, seats: 6, x: 1, aisleEvery: 3, rightToLeft: false, category: 'S' });
  const a = rowAt(l, 0);
  expect(a?.name).toBe('A');
  expect(a?.seats.map((s) => s.x)).toEqual([1, 2, 3, 5, 6, 7]);
  expect(a?.seats.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(a?.seats.every((s) => s.category === 'S')).toBe(true);
  // A second block in a balcony: rows after the last, names not used yet (A, B taken → C).
  l = drawRows(l, { section: '2階', first: 'A', rows: 1, seats: 3, x: 0, aisleEvery: 0, rightToLeft: true, category: '' });
  const c = rowAt(l, 2);
  expect(c?.name).toBe('C');
  expect(c?.seats.map((s) => s.number)).toEqual([3, 2, 1]);
  expect(l.sections.map((s) => s.name)).toEqual(['1階', '2階']);
  expect(seatCount(l)).toEqual({ all: 15, sellable: 15 });
});

test('seats are painted, taken away, put back and numbered again', () => {
  let l = drawRows(emptyLayout(), { section: '1階', first: 'A', rows: 1, seats: 4, x: 0, aisleEvery: 0, rightToLeft: false, category: '' });
  l = putCategory(l, 'A', 'A席');
  l = paint(l, 0, 0, { kind: 'category', code: 'A' });
  l = paint(l, 0, 1, { kind: 'place', place: 'wheelchair' });
  l = paint(l, 0, 2, { kind: 'held' });
  l = paint(l, 0, 3, { kind: 'erase' });
  let row = rowAt(l, 0);
  expect(row?.seats).toEqual([
    { number: 1, x: 0, category: 'A' },
    { number: 2, x: 1, kind: 'wheelchair' },
    { number: 3, x: 2, held: true },
  ]);
  expect(seatCount(l)).toEqual({ all: 3, sellable: 2 });
  l = paint(l, 0, 5, { kind: 'seat', category: 'A' });
  l = paint(l, 0, 1, { kind: 'place', place: 'standard' });
  row = rowAt(l, 0);
  expect(row?.seats.map((s) => [s.x, s.number])).toEqual([[0, 1], [1, 2], [2, 3], [5, 4]]);
  expect(row?.seats[1]?.kind).toBeUndefined();
  l = renumber(l, 0, true);
  expect(rowAt(l, 0)?.seats.map((s) => s.number)).toEqual([4, 3, 2, 1]);
  // A cell with no row, or a seat where one is: nothing changes.
  expect(paint(l, 7, 0, { kind: 'held' })).toBe(l);
  expect(paint(l, 0, 0, { kind: 'seat', category: '' })).toBe(l);
  expect(removeRow(l, 0).sections).toEqual([]);
});
