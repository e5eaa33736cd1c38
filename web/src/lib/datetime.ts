// Dates and times in the tenant's zone, from the same patterns the mails use
// (src/domain/mail/templates/datetime.json), so a booking reads the same on screen and in mail.
import formats from '@formats/datetime.json';

export type Locale = 'ja' | 'en';
export type Pattern = 'date' | 'time' | 'datetime';

export interface LocalParts {
  year: number;
  month: number; // 1…12
  day: number;
  hour: number;
  minute: number;
  weekday: number; // 0 Monday … 6 Sunday
}

const weekdayIndex: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock parts of an instant in an IANA zone. */
export function localParts(instant: Date, zone: string): LocalParts {
  let f = partsFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
      hourCycle: 'h23',
    });
    partsFormats.set(zone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(instant)) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    weekday: weekdayIndex[out.weekday ?? ''] ?? 0,
  };
}

/** Fills a pattern's {fields}; unknown fields stay as they are. */
export function fill(pattern: string, p: LocalParts, locale: Locale): string {
  const table = formats[locale];
  const values: Record<string, string> = {
    year: String(p.year),
    month: String(p.month),
    month_name: table.months[p.month - 1] ?? '',
    day: String(p.day),
    weekday: table.weekdays[p.weekday] ?? '',
    hour: String(p.hour),
    minute: String(p.minute).padStart(2, '0'),
  };
  return pattern.replace(/\{([a-z_]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

export function formatInstant(
  instant: string | Date,
  zone: string,
  locale: Locale,
  pattern: Pattern = 'datetime',
): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  return fill(formats[locale][pattern], localParts(d, zone), locale);
}

/** YYYY-MM-DD of the instant's day in the zone (to group slots by day). */
export function localDay(instant: string | Date, zone: string): string {
  const p = localParts(typeof instant === 'string' ? new Date(instant) : instant, zone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** A YYYY-MM-DD day shown as a date (noon UTC names the same calendar day in every zone). */
export function formatDay(day: string, locale: Locale): string {
  const p = localParts(new Date(`${day}T12:00:00Z`), 'UTC');
  return fill(formats[locale].date, p, locale);
}

/** The day `n` days after a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The instant a YYYY-MM-DD day begins in the zone (its local midnight; DST-aware). */
export function dayStart(day: string, zone: string): Date {
  const wallAsUtc = Date.parse(`${day}T00:00:00Z`);
  let guess = wallAsUtc;
  // Two rounds settle the zone's offset even when midnight sits next to a DST change.
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess), zone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += wallAsUtc - shown;
  }
  return new Date(guess);
}

/** The instant of a datetime-local input's value ("2026-12-05T18:30") as wall-clock time in
 *  the zone, as ISO text. */
export function localInputInstant(value: string, zone: string): string {
  const [day, time] = value.split('T');
  const [h, m] = (time ?? '00:00').split(':').map(Number);
  return new Date(dayStart(day ?? '', zone).valueOf() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000).toISOString();
}

/** Sets `from`/`to` on a search for the local days `from`…`to` (both included) in the zone. */
export function setDayRange(q: URLSearchParams, from: string, to: string, zone: string): void {
  if (from) q.set('from', dayStart(from, zone).toISOString());
  if (to) q.set('to', dayStart(addDays(to, 1), zone).toISOString());
}
