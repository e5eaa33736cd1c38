import { describe, expect, it } from 'vitest';
import { addDays, dayStart, formatDay, formatInstant, localDay, setDayRange } from './datetime';

describe('datetime', () => {
  // The same instant and expectations as the mail test (src/domain/mail/mail_test.cpp).
  const instant = '2026-12-05T09:00:00Z';
  it('formats in the tenant zone with the shared patterns', () => {
    expect(formatInstant(instant, 'Asia/Tokyo', 'ja')).toBe('2026年12月5日(土) 18:00');
    expect(formatInstant(instant, 'Asia/Tokyo', 'en')).toBe('Sat 5 Dec 2026, 18:00');
    expect(formatInstant(instant, 'America/New_York', 'en', 'time')).toBe('4:00');
  });
  it('finds the local day across midnight and DST', () => {
    expect(localDay('2026-12-05T15:30:00Z', 'Asia/Tokyo')).toBe('2026-12-06');
    expect(localDay('2026-03-08T06:59:00Z', 'America/New_York')).toBe('2026-03-08');
    expect(formatInstant('2026-03-08T07:30:00Z', 'America/New_York', 'en', 'time')).toBe('3:30');
  });
  it('names days and steps over month ends', () => {
    expect(formatDay('2026-01-01', 'ja')).toBe('2026年1月1日(木)');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
  it('finds when a local day begins', () => {
    expect(dayStart('2026-12-05', 'Asia/Tokyo').toISOString()).toBe('2026-12-04T15:00:00.000Z');
    expect(dayStart('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(dayStart('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(dayStart('2026-07-01', 'UTC').toISOString()).toBe('2026-07-01T00:00:00.000Z');
  });
  it('turns local days into a search range that includes the last day', () => {
    const q = new URLSearchParams();
    setDayRange(q, '2026-12-05', '2026-12-06', 'Asia/Tokyo');
    expect(q.get('from')).toBe('2026-12-04T15:00:00.000Z');
    expect(q.get('to')).toBe('2026-12-06T15:00:00.000Z');
  });
});
