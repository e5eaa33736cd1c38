// The bookings calendar (FullCalendar, day/week/month): each booking at its wall-clock time in
// the tenant's zone; a click opens the booking, where staff can cancel it.
import { Calendar, type EventInput, type EventSourceFuncInfo } from 'fullcalendar';
import dayGridPlugin from 'fullcalendar/daygrid';
import jaLocale from 'fullcalendar/locales/ja';
import classicTheme from 'fullcalendar/themes/classic';
import timeGridPlugin from 'fullcalendar/timegrid';
import 'fullcalendar/skeleton.css';
import 'fullcalendar/themes/classic/theme.css';
import 'fullcalendar/themes/classic/palette.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { BookingFacts } from '../../components/booking-facts';
import { Alert } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { api, ApiError, enc } from '../../lib/api';
import { localParts } from '../../lib/datetime';
import type { Booking, Offering } from '../../lib/types';

const shown = new Set(['held', 'pending', 'confirmed', 'checked_in', 'no_show']);
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * FullCalendar runs in UTC here and is fed wall-clock times of the tenant's zone written as if
 * they were UTC, so it draws 18:00 in Tokyo at 18:00 whatever zone the browser is in.
 */
function wall(instant: string, zone: string): string {
  const p = localParts(new Date(instant), zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:00Z`;
}

type View = 'timeGridDay' | 'timeGridWeek' | 'dayGridMonth';

export function BookingCalendar(props: { zone: string }) {
  const { t, locale } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const calendar = useRef<Calendar | null>(null);
  const [title, setTitle] = useState('');
  const [view, setView] = useState<View>('timeGridWeek');
  const [open, setOpen] = useState<Booking | null>(null);
  const [names, setNames] = useState<Map<number, string>>(new Map());
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    api<{ items: Offering[] }>('GET', '/api/v1/offerings')
      .then((r) => setNames(new Map(r.items.map((o) => [o.id, o.name]))))
      .catch(() => setFailed(true));
  }, []);

  useEffect(() => {
    if (!host.current) return;
    const load = (info: EventSourceFuncInfo, ok: (e: EventInput[]) => void, fail: (e: Error) => void) => {
      // The range is in shifted wall-clock time: widen it by a day on each side.
      const from = new Date(info.start.valueOf() - 86_400_000).toISOString();
      const to = new Date(info.end.valueOf() + 86_400_000).toISOString();
      api<{ items: Booking[] }>('GET', `/api/v1/bookings?from=${enc(from)}&to=${enc(to)}&limit=500`)
        .then((r) =>
          ok(
            r.items
              .filter((b) => shown.has(b.status))
              .map((b) => ({
                id: b.reference,
                title: `${b.reference} (${b.seats})`,
                start: wall(b.starts_at, props.zone),
                end: wall(b.ends_at, props.zone),
              })),
          ),
        )
        .catch((e: Error) => {
          setFailed(true);
          fail(e);
        });
    };
    const c = new Calendar(host.current, {
      plugins: [dayGridPlugin, timeGridPlugin, classicTheme],
      locales: [jaLocale],
      locale,
      timeZone: 'UTC',
      initialView: view,
      headerToolbar: false,
      height: 'auto',
      slotMinTime: '07:00:00',
      slotMaxTime: '23:00:00',
      events: load,
      eventClick: (info) => {
        info.jsEvent.preventDefault();
        api<Booking>('GET', `/api/v1/bookings/${enc(info.event.id)}`)
          .then(setOpen)
          .catch(() => setFailed(true));
      },
      datesSet: (info) => setTitle(info.view.title),
      // A month cell's label names only its date, while its text also lists its bookings
      // (WCAG 2.5.3): without the label the cell is named by what it shows.
      dayCellDidMount: (info) => info.el.removeAttribute('aria-label'),
    });
    c.render();
    calendar.current = c;
    return () => {
      c.destroy();
      calendar.current = null;
    };
  }, [props.zone, locale]);

  const go = (what: 'prev' | 'next' | 'today') => calendar.current?.[what]();
  const change = (v: View) => {
    setView(v);
    calendar.current?.changeView(v);
  };
  const refresh = () => calendar.current?.refetchEvents();

  return (
    <>
      <h1>{t('admin.calendar')}</h1>
      <div class="toolbar" role="toolbar" aria-label={t('admin.calendar')}>
        <div class="group">
          <button type="button" onClick={() => go('prev')}>
            {t('cal.prev')}
          </button>
          <button type="button" onClick={() => go('today')}>
            {t('cal.today')}
          </button>
          <button type="button" onClick={() => go('next')}>
            {t('cal.next')}
          </button>
        </div>
        <p class="cal-title" aria-live="polite">
          {title}
        </p>
        <div class="group">
          {(['timeGridDay', 'timeGridWeek', 'dayGridMonth'] as View[]).map((v) => (
            <button key={v} type="button" aria-pressed={view === v} onClick={() => change(v)}>
              {t(`cal.${v}`)}
            </button>
          ))}
        </div>
      </div>
      {failed ? <Alert>{t('app.error')}</Alert> : null}
      <div ref={host} class="calendar" />
      {open ? (
        <BookingPanel
          booking={open}
          zone={props.zone}
          offering={names.get(open.offering_id) ?? ''}
          onClose={() => setOpen(null)}
          onChanged={(b) => {
            setOpen(b);
            refresh();
          }}
        />
      ) : null}
    </>
  );
}

function BookingPanel(props: {
  booking: Booking;
  zone: string;
  offering: string;
  onClose: () => void;
  onChanged: (b: Booking) => void;
}) {
  const { t } = useI18n();
  const b = props.booking;
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const cancellable = b.status === 'confirmed' || b.status === 'pending' || b.status === 'held';
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [b.reference]);

  async function cancel() {
    setProblem(null);
    try {
      props.onChanged(await api<Booking>('DELETE', `/api/v1/bookings/${enc(b.reference)}`));
      setConfirming(false);
    } catch (e) {
      setProblem(e instanceof ApiError ? e.detail : t('app.error'));
    }
  }

  return (
    <section class="card panel" aria-labelledby="panel-title">
      <h2 id="panel-title" tabIndex={-1} ref={heading}>
        {t('admin.booking', { reference: b.reference })}
      </h2>
      <BookingFacts booking={b} offering={props.offering} zone={props.zone} customer status />
      {b.status === 'cancelled' ? <p role="status">{t('admin.cancelled')}</p> : null}
      {problem ? <Alert>{problem}</Alert> : null}
      <div class="group">
        {cancellable && !confirming ? (
          <button type="button" class="danger" onClick={() => setConfirming(true)}>
            {t('admin.cancel')}
          </button>
        ) : null}
        {cancellable && confirming ? (
          <button type="button" class="danger" onClick={() => void cancel()}>
            {t('admin.cancel_confirm')}
          </button>
        ) : null}
        <button type="button" onClick={props.onClose}>
          {t('admin.close')}
        </button>
      </div>
    </section>
  );
}
