// Setup: an event's or course's dates (add sessions, change capacity, see the waitlist) and a
// lottery's draw, below the offering's form.
import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { dayStart, formatInstant, localDay } from '../../lib/datetime';
import type { Occurrence, Offering, WaitlistEntry } from '../../lib/types';

export function Dates(props: { offering: Offering; zone: string }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Occurrence[] | null>(null);
  const [day, setDay] = useState(localDay(new Date(), props.zone));
  const [start, setStart] = useState('18:00');
  const [end, setEnd] = useState('20:00');
  const [capacity, setCapacity] = useState('50');
  const [waiting, setWaiting] = useState<WaitlistEntry[]>([]);
  const [capacities, setCapacities] = useState<Record<number, string>>({});
  const { busy, problem, run } = useSubmit();
  const base = `/api/v1/offerings/${props.offering.id}`;
  const load = async () => {
    setItems((await api<Offering>('GET', base)).occurrences ?? []);
    setWaiting((await api<{ items: WaitlistEntry[] }>('GET', `${base}/waitlist`)).items);
  };
  useEffect(() => {
    void run(load);
  }, []);
  const at = (time: string) => {
    const [h, m] = time.split(':').map(Number);
    return new Date(dayStart(day, props.zone).valueOf() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000).toISOString();
  };
  return (
    <section class="span" aria-labelledby="dates-title">
      <h3 id="dates-title">{t('off.dates')}</h3>
      <div class="filters">
        <div class="field">
          <label for="d-day">{t('res.exception_date')}</label>
          <input id="d-day" type="date" value={day} onInput={(e) => setDay(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="d-start">{t('off.starts')}</label>
          <input id="d-start" type="time" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="d-end">{t('off.ends')}</label>
          <input id="d-end" type="time" value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="d-capacity">{t('off.capacity')}</label>
          <input id="d-capacity" type="number" value={capacity} onInput={(e) => setCapacity(e.currentTarget.value)} />
        </div>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await api('POST', `${base}/occurrences`, {
                body: { starts_at: at(start), ends_at: at(end), capacity: Number(capacity) },
              });
              await load();
            })
          }
        >
          {t('off.add_date')}
        </button>
      </div>
      {problem ? <Alert>{problem}</Alert> : null}
      {items && items.length ? (
        <ul>
          {items.map((x) => {
            const line = waiting.filter((w) => w.occurrence_id === x.id && (w.status === 'waiting' || w.status === 'offered'));
            const when = formatInstant(x.starts_at, props.zone, locale);
            return (
              <li key={x.id}>
                {when} · {t('off.seats_left', { n: x.seats_left, of: x.capacity })}
                {line.length ? ` · ${t('off.waiting', { n: line.length })}` : ''}{' '}
                <label for={`cap-${x.id}`} class="sr-only">
                  {t('off.capacity_of', { when })}
                </label>
                <input
                  id={`cap-${x.id}`}
                  type="number"
                  class="narrow"
                  value={capacities[x.id] ?? String(x.capacity)}
                  onInput={(e) => setCapacities({ ...capacities, [x.id]: e.currentTarget.value })}
                />{' '}
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void run(async () => {
                      await api('PATCH', `/api/v1/occurrences/${x.id}`, {
                        body: { capacity: Number(capacities[x.id] ?? x.capacity) },
                      });
                      await load();
                    })
                  }
                >
                  {t('off.set_capacity', { when })}
                </button>
              </li>
            );
          })}
        </ul>
      ) : (
        <p class="muted">{t('off.no_dates')}</p>
      )}
    </section>
  );
}

interface LotteryDraw {
  drawn: boolean;
  seed: string;
  drawn_at: string;
  allocation: { reference: string; occurrence_id: number | null }[];
  verified: boolean;
}

/** A lottery's draw: draw it (from its draw time) and see the result checked again. */
export function Draw(props: { offering: Offering }) {
  const { t } = useI18n();
  const [draw, setDraw] = useState<LotteryDraw | null>(null);
  const { busy, problem, run } = useSubmit();
  const path = `/api/v1/offerings/${props.offering.id}/lottery`;
  useEffect(() => {
    void api<LotteryDraw>('GET', path)
      .then((d) => setDraw(d.drawn ? d : null))
      .catch(() => setDraw(null));
  }, [props.offering.id]);
  return (
    <section class="span" aria-labelledby="draw-title">
      <h3 id="draw-title">{t('off.lottery_result')}</h3>
      {problem ? <Alert>{problem}</Alert> : null}
      {draw ? (
        <>
          <p>{t('off.lottery_won', { won: draw.allocation.filter((x) => x.occurrence_id !== null).length, all: draw.allocation.length })}</p>
          <p class="muted">
            {t('off.lottery_seed')}: <code>{draw.seed}</code> · {draw.verified ? t('off.lottery_verified') : t('off.lottery_mismatch')}
          </p>
        </>
      ) : (
        <button type="button" disabled={busy} onClick={() => void run(async () => setDraw(await api<LotteryDraw>('POST', `${path}/draw`)))}>
          {t('off.lottery_draw_now')}
        </button>
      )}
    </section>
  );
}
