import { describe, expect, it } from 'vitest';
import { runFrom, runName } from './divisions';
import type { Slot } from './types';

const zone = 'Asia/Tokyo';
const slot = (starts: string, ends: string, code: string, name: string, index: number): Slot => ({
  starts_at: starts,
  ends_at: ends,
  remaining: 1,
  division: { code, name, index, price_jpy: 1000 },
});
const am = slot('2027-01-18T00:00:00.000+00:00', '2027-01-18T03:00:00.000+00:00', 'am', '午前', 0);
const pm = slot('2027-01-18T04:00:00.000+00:00', '2027-01-18T08:00:00.000+00:00', 'pm', '午後', 1);
const night = slot('2027-01-18T09:00:00.000+00:00', '2027-01-18T12:30:00.000+00:00', 'night', '夜間', 2);
const nextAm = slot('2027-01-19T00:00:00.000+00:00', '2027-01-19T03:00:00.000+00:00', 'am', '午前', 0);

describe('runs of divisions', () => {
  it('follows consecutive free divisions of the same date only', () => {
    expect(runFrom([am, pm, night, nextAm], am, zone)).toEqual([am, pm, night]);
    expect(runFrom([am, pm, night, nextAm], night, zone)).toEqual([night]);
  });
  it('stops where a division between is taken', () => {
    expect(runFrom([am, night], am, zone)).toEqual([am]);
  });
  it('names a run by its first and last division', () => {
    expect(runName([am, pm, night])).toBe('午前〜夜間');
    expect(runName([pm])).toBe('午後');
  });
  it('treats a slot without a division as a run of one', () => {
    const plain: Slot = { starts_at: am.starts_at, ends_at: am.ends_at, remaining: 1 };
    expect(runFrom([plain, pm], plain, zone)).toEqual([plain]);
  });
});
