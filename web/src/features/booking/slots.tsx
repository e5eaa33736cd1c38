// A calendar of free slots: two weeks of days (those with free places enabled), then the free
// times of the chosen day. Times in the tenant's zone.
import { useEffect, useState } from 'preact/hooks';
import { Alert, Loading } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { api, enc } from '../../lib/api';
import { addDays, formatDay, formatInstant, localDay } from '../../lib/datetime';
import { runFrom } from '../../lib/divisions';
import type { Availability, Slot } from '../../lib/types';

const span = 14;

export function SlotPicker(props: {
  tenant: string;
  zone: string;
  offeringId: number;
  firstDay: string;
  chosen: Slot | null;
  /** The slot, and (divisions) it with the free divisions that follow it that day. */
  onChoose: (s: Slot, run: Slot[]) => void;
}) {
  const { t, locale } = useI18n();
  const [from, setFrom] = useState(props.firstDay);
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [day, setDay] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    setSlots(null);
    setFailed(false);
    const to = addDays(from, span - 1);
    api<Availability>(
      'GET',
      `/api/v1/public/${enc(props.tenant)}/offerings/${props.offeringId}/availability?from=${from}&to=${to}`,
      { signal: abort.signal },
    )
      .then((a) => {
        setSlots(a.slots);
        const days = a.slots.map((s) => localDay(s.starts_at, props.zone));
        setDay((d) => (d && days.includes(d) ? d : (days[0] ?? null)));
      })
      .catch(() => {
        if (!abort.signal.aborted) setFailed(true);
      });
    return () => abort.abort();
  }, [from, props.tenant, props.offeringId, props.zone]);

  const byDay = new Map<string, Slot[]>();
  for (const s of slots ?? []) {
    const d = localDay(s.starts_at, props.zone);
    byDay.set(d, [...(byDay.get(d) ?? []), s]);
  }
  const days = Array.from({ length: span }, (_, i) => addDays(from, i));
  const today = localDay(new Date(), props.zone);

  return (
    <section aria-labelledby="slots-title">
      <h2 id="slots-title">{t('slots.title')}</h2>
      <div class="pager">
        <button type="button" disabled={from <= today} onClick={() => setFrom(addDays(from, -span))}>
          {t('slots.earlier')}
        </button>
        <button type="button" onClick={() => setFrom(addDays(from, span))}>
          {t('slots.later')}
        </button>
      </div>
      {failed ? <Alert>{t('app.error')}</Alert> : null}
      {!slots && !failed ? <Loading /> : null}
      {slots ? (
        <>
          <h3 class="sr-only">{t('slots.days')}</h3>
          <ul class="days">
            {days.map((d) => {
              const n = byDay.get(d)?.length ?? 0;
              return (
                <li key={d}>
                  <button type="button" disabled={n === 0} aria-pressed={d === day} onClick={() => setDay(d)}>
                    {formatDay(d, locale)}
                  </button>
                </li>
              );
            })}
          </ul>
          {slots.length === 0 ? <p>{t('slots.none')}</p> : null}
          {day && byDay.get(day) ? (
            <>
              <h3>{formatDay(day, locale)}</h3>
              <ul class="times">
                {(byDay.get(day) ?? []).map((s) => (
                  <li key={s.starts_at + (s.occurrence_id ?? '')}>
                    <button
                      type="button"
                      aria-pressed={props.chosen?.starts_at === s.starts_at && props.chosen?.occurrence_id === s.occurrence_id}
                      onClick={() => props.onChoose(s, runFrom(slots, s, props.zone))}
                    >
                      {s.division ? <span class="division">{s.division.name}</span> : null}
                      <span class="time">
                        {formatInstant(s.starts_at, props.zone, locale, 'time')}
                        {s.division ? `–${formatInstant(s.ends_at, props.zone, locale, 'time')}` : ''}
                      </span>
                      {s.division ? (
                        <span class="muted">{t('tickets.price', { price: s.division.price_jpy.toLocaleString(locale) })}</span>
                      ) : null}
                      <span class="muted">{t('slots.remaining', { n: s.remaining })}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
