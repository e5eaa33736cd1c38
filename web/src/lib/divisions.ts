// Time divisions (利用区分) on the booking site: which divisions can be booked together with
// the one chosen (the same date, consecutive places among the date's divisions, each free),
// as the server plans them (ADR 0023).
import { localDay } from './datetime';
import type { Slot } from './types';

/** The chosen division and the free ones that follow it without a gap in the day's order. */
export function runFrom(slots: readonly Slot[], chosen: Slot, zone: string): Slot[] {
  if (!chosen.division) return [chosen];
  const day = localDay(chosen.starts_at, zone);
  const byIndex = new Map<number, Slot>();
  for (const s of slots)
    if (s.division && localDay(s.starts_at, zone) === day) byIndex.set(s.division.index, s);
  const run = [chosen];
  for (let i = chosen.division.index + 1; byIndex.has(i); i++) run.push(byIndex.get(i)!);
  return run;
}

/** "午前〜午後": the first and last names of a run of divisions. */
export function runName(run: readonly Slot[]): string {
  const first = run[0]?.division?.name ?? '';
  const last = run[run.length - 1]?.division?.name ?? '';
  return run.length > 1 ? `${first}〜${last}` : first;
}
