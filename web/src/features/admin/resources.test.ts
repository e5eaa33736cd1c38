import { describe, expect, it } from 'vitest';
import { parseHours, showHours } from './resources';

describe('weekly hours as text', () => {
  it('reads intervals and writes them back', () => {
    expect(parseHours('09:00-12:00, 13:00-18:00')).toEqual([
      { opens: '09:00', closes: '12:00' },
      { opens: '13:00', closes: '18:00' },
    ]);
    expect(parseHours('9:00〜17:30、18:00-24:00')).toEqual([
      { opens: '09:00', closes: '17:30' },
      { opens: '18:00', closes: '24:00' },
    ]);
    expect(showHours(parseHours('09:00-12:00,13:00-18:00') ?? [])).toBe('09:00-12:00, 13:00-18:00');
  });
  it('treats empty as closed and refuses other shapes', () => {
    expect(parseHours('  ')).toEqual([]);
    expect(parseHours('9-17')).toBeNull();
    expect(parseHours('09:00-12:00, lunch')).toBeNull();
  });
});
