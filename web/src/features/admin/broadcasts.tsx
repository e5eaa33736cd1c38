// Segment messages (LINE): a manager writes one message — text, a picture, a button to book an
// offering — picks customers by offering, booking dates and status, user class, tag or bookings
// made, sees how many (and who) would get it, then sends it now or at a set time; the list shows
// each message's delivery counts and cancels one still scheduled.
import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { addDays, dayStart, formatInstant, localInputInstant } from '../../lib/datetime';
import type { Broadcast, BroadcastInput, BroadcastSegment as Segment, Offering } from '../../lib/types';

type Status = NonNullable<Segment['statuses']>[number];

interface Preview {
  recipients: number;
  names: string[];
}

const kStatuses: Status[] = ['confirmed', 'pending', 'checked_in', 'no_show', 'cancelled'];

export function LineBroadcasts(props: { zone: string }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Broadcast[]>([]);
  const [offerings, setOfferings] = useState<Offering[]>([]);
  const [classes, setClasses] = useState<{ id: number; name: string }[]>([]);
  const [text, setText] = useState('');
  const [image, setImage] = useState('');
  const [button, setButton] = useState('');
  const [offering, setOffering] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [status, setStatus] = useState('');
  const [userClass, setUserClass] = useState('');
  const [tag, setTag] = useState('');
  const [minBookings, setMinBookings] = useState('');
  const [sendAt, setSendAt] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const { busy, problem, field, run } = useSubmit();
  const path = '/api/v1/line/broadcasts';
  const load = async () => setItems((await api<{ items: Broadcast[] }>('GET', path)).items);
  useEffect(() => {
    void run(async () => {
      await load();
      setOfferings((await api<{ items: Offering[] }>('GET', '/api/v1/offerings')).items);
      setClasses((await api<{ items: { id: number; name: string }[] }>('GET', '/api/v1/user-classes')).items);
    });
  }, []);
  const body = (): BroadcastInput => {
    const segment: Segment = {};
    if (offering) segment.offering = Number(offering);
    if (from) segment.from = dayStart(from, props.zone).toISOString();
    if (to) segment.to = dayStart(addDays(to, 1), props.zone).toISOString();
    if (status) segment.statuses = [status as Status];
    if (userClass) segment.user_class = Number(userClass);
    if (tag.trim()) segment.tag = tag.trim();
    if (minBookings) segment.min_bookings = Number(minBookings);
    const b: BroadcastInput = { text, segment };
    if (image.trim()) b.image_url = image.trim();
    if (button) b.offering_button = Number(button);
    if (sendAt) b.send_at = localInputInstant(sendAt, props.zone);
    return b;
  };
  const invalid = (name: string) => (field === name || field?.startsWith(`${name}.`) ? true : undefined);
  const select = (
    id: string,
    label: string,
    value: string,
    set: (v: string) => void,
    options: { value: string; label: string }[],
  ) => (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => set(e.currentTarget.value)}>
        <option value="">{t('broadcast.any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  const offeringOptions = offerings.map((o) => ({ value: String(o.id), label: o.name }));
  return (
    <section aria-labelledby="broadcast-title">
      <h2 id="broadcast-title">{t('broadcast.title')}</h2>
      <p>{t('broadcast.intro')}</p>
      {problem ? <Alert>{problem}</Alert> : null}
      <form
        class="card filters"
        noValidate
        aria-labelledby="broadcast-title"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await api('POST', path, { body: body() });
            setText('');
            setPreview(null);
            await load();
          });
        }}
      >
        <div class="field span">
          <label for="broadcast-text">{t('broadcast.text')}</label>
          <textarea
            id="broadcast-text"
            rows={4}
            maxLength={5000}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            aria-invalid={invalid('text')}
          />
        </div>
        <div class="field span">
          <label for="broadcast-image">{t('broadcast.image')}</label>
          <input
            id="broadcast-image"
            type="url"
            placeholder="https://"
            value={image}
            onInput={(e) => setImage(e.currentTarget.value)}
            aria-invalid={invalid('image_url')}
          />
        </div>
        {select('broadcast-button', t('broadcast.button'), button, setButton, offeringOptions)}
        <h3 class="span">{t('broadcast.segment')}</h3>
        {select('broadcast-offering', t('broadcast.offering'), offering, setOffering, offeringOptions)}
        <div class="field">
          <label for="broadcast-from">{t('broadcast.from')}</label>
          <input id="broadcast-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="broadcast-to">{t('broadcast.to')}</label>
          <input
            id="broadcast-to"
            type="date"
            value={to}
            onInput={(e) => setTo(e.currentTarget.value)}
            aria-invalid={invalid('segment.to')}
          />
        </div>
        {select(
          'broadcast-status',
          t('broadcast.status'),
          status,
          setStatus,
          kStatuses.map((s) => ({ value: s, label: t(`status.${s}`) })),
        )}
        {select(
          'broadcast-class',
          t('broadcast.user_class'),
          userClass,
          setUserClass,
          classes.map((c) => ({ value: String(c.id), label: c.name })),
        )}
        <div class="field">
          <label for="broadcast-tag">{t('broadcast.tag')}</label>
          <input
            id="broadcast-tag"
            value={tag}
            onInput={(e) => setTag(e.currentTarget.value)}
            aria-invalid={invalid('segment.tag')}
          />
        </div>
        <div class="field">
          <label for="broadcast-min">{t('broadcast.min_bookings')}</label>
          <input
            id="broadcast-min"
            type="number"
            min={0}
            max={1000}
            value={minBookings}
            onInput={(e) => setMinBookings(e.currentTarget.value)}
            aria-invalid={invalid('segment.min_bookings')}
          />
        </div>
        <div class="field">
          <label for="broadcast-send-at">{t('broadcast.send_at')}</label>
          <input
            id="broadcast-send-at"
            type="datetime-local"
            value={sendAt}
            onInput={(e) => setSendAt(e.currentTarget.value)}
            aria-invalid={invalid('send_at')}
          />
        </div>
        <div class="group span">
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(async () => setPreview(await api<Preview>('POST', `${path}/preview`, { body: body() })))}
          >
            {t('broadcast.preview')}
          </button>
          <button type="submit" disabled={busy}>
            {sendAt ? t('broadcast.schedule') : t('broadcast.send')}
          </button>
        </div>
        {preview ? (
          <p class="span" role="status" data-testid="broadcast-preview">
            {t('broadcast.recipients', { n: String(preview.recipients) })}
            {preview.names.length ? `: ${preview.names.join('、')}${preview.recipients > preview.names.length ? '…' : ''}` : ''}
          </p>
        ) : null}
      </form>
      <table data-testid="broadcasts">
        <thead>
          <tr>
            <th>{t('broadcast.when')}</th>
            <th>{t('broadcast.text')}</th>
            <th>{t('broadcast.state')}</th>
            <th>{t('broadcast.counts')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((b) => (
            <tr key={b.id}>
              <td>{b.send_at ? formatInstant(b.send_at, props.zone, locale) : ''}</td>
              <td>{b.text.length > 40 ? `${b.text.slice(0, 40)}…` : b.text}</td>
              <td>{t(`broadcast.${b.status}`)}</td>
              <td>
                {t('broadcast.delivered', {
                  delivered: String(b.delivered),
                  recipients: String(b.recipients),
                  failed: String(b.failed),
                })}
              </td>
              <td>
                {b.status === 'scheduled' ? (
                  <button
                    type="button"
                    class="danger"
                    disabled={busy}
                    onClick={() =>
                      void run(async () => {
                        await api('DELETE', `${path}/${b.id}`);
                        await load();
                      })
                    }
                  >
                    {t('broadcast.cancel')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
