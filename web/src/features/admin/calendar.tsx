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
import { Alert } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { api, enc } from '../../lib/api';
import { localParts } from '../../lib/datetime';
import type { Booking, Offering } from '../../lib/types';
import { BookingPanel } from './booking-panel';

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
  // The toolbar acts on the calendar, which exists only once the effect below has run: until
  // then its buttons are disabled, so that a click is never lost (a lost "month" click left the
  // calendar in the week view while the button showed the month).
  const [ready, setReady] = useState(false);
  // The view asked for last, which a calendar made again (another zone or language) keeps.
  const viewRef = useRef<View>(view);
  const [open, setOpen] = useState<Booking | null>(null);
  const [names, setNames] = useState<Map<number, string>>(new Map());
  const [failed, setFailed] = useState(false);
  const [resources, setResources] = useState<{ id: number; name: string }[]>([]);
  // Read by the event source each time it loads, so a change needs only a refetch.
  const resource = useRef('');

  useEffect(() => {
    api<{ items: Offering[] }>('GET', '/api/v1/offerings')
      .then((r) => setNames(new Map(r.items.map((o) => [o.id, o.name]))))
      .catch(() => setFailed(true));
    api<{ items: { id: number; name: string }[] }>('GET', '/api/v1/resources')
      .then((r) => setResources(r.items))
      .catch(() => setFailed(true));
  }, []);

  useEffect(() => {
    if (!host.current) return;
    const load = (info: EventSourceFuncInfo, ok: (e: EventInput[]) => void, fail: (e: Error) => void) => {
      // The range is in shifted wall-clock time: widen it by a day on each side.
      const from = new Date(info.start.valueOf() - 86_400_000).toISOString();
      const to = new Date(info.end.valueOf() + 86_400_000).toISOString();
      const only = resource.current ? `&resource_id=${enc(resource.current)}` : '';
      api<{ items: Booking[] }>('GET', `/api/v1/bookings?from=${enc(from)}&to=${enc(to)}&limit=500${only}`)
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
      initialView: viewRef.current,
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
    setReady(true);
    return () => {
      setReady(false);
      c.destroy();
      calendar.current = null;
    };
  }, [props.zone, locale]);

  const go = (what: 'prev' | 'next' | 'today') => calendar.current?.[what]();
  const change = (v: View) => {
    viewRef.current = v;
    setView(v);
    calendar.current?.changeView(v);
  };
  const refresh = () => calendar.current?.refetchEvents();

  return (
    <>
      <h1>{t('admin.calendar')}</h1>
      <div class="toolbar" role="toolbar" aria-label={t('admin.calendar')}>
        <div class="group">
          <button type="button" disabled={!ready} onClick={() => go('prev')}>
            {t('cal.prev')}
          </button>
          <button type="button" disabled={!ready} onClick={() => go('today')}>
            {t('cal.today')}
          </button>
          <button type="button" disabled={!ready} onClick={() => go('next')}>
            {t('cal.next')}
          </button>
        </div>
        <p class="cal-title" aria-live="polite">
          {title}
        </p>
        <div class="group">
          <label for="cal-resource" class="sr-only">
            {t('cal.resource')}
          </label>
          <select
            id="cal-resource"
            onChange={(e) => {
              resource.current = e.currentTarget.value;
              refresh();
            }}
          >
            <option value="">
              {t('cal.resource')}: {t('cal.all')}
            </option>
            {resources.map((r) => (
              <option key={r.id} value={String(r.id)}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div class="group">
          {(['timeGridDay', 'timeGridWeek', 'dayGridMonth'] as View[]).map((v) => (
            <button key={v} type="button" disabled={!ready} aria-pressed={view === v} onClick={() => change(v)}>
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
