// Room lotteries on the customer's page: the open ones to apply to with ranked choices of room ×
// date × division (as oneself or as an approved group), one's applications with their results,
// and a win confirmed (本予約) with the equipment and surcharges wanted, before its deadline.
import { useEffect, useState } from 'preact/hooks';
import { Alert, Loading } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api, enc } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';
import type { Group, PublicOfferings, RoomLottery, RoomLotteryEntry } from '../../lib/types';
import { usableGroups } from './groups';

interface Choice {
  offering_id: number;
  date: string;
  division: string;
  blocks: number;
}

export function MyRoomLotteries(props: { site: PublicOfferings; groups: Group[]; onConfirmed: () => void }) {
  const { t } = useI18n();
  const code = props.site.tenant.code;
  const [lotteries, setLotteries] = useState<RoomLottery[] | null>(null);
  const [entries, setEntries] = useState<RoomLotteryEntry[] | null>(null);
  const { problem, run } = useSubmit();
  const load = () =>
    run(async () => {
      const list = (await api<{ lotteries: { id: number; state: string }[] }>('GET', `/api/v1/public/${enc(code)}/room-lotteries`))
        .lotteries;
      const shown = await Promise.all(
        list
          .filter((l) => l.state !== 'upcoming')
          .map((l) => api<RoomLottery>('GET', `/api/v1/public/${enc(code)}/room-lotteries/${l.id}`)),
      );
      setLotteries(shown);
      setEntries((await api<{ entries: RoomLotteryEntry[] }>('GET', '/api/v1/me/room-lottery-entries')).entries);
    });
  useEffect(() => {
    void load();
  }, [code]);
  if (!lotteries || !entries) return problem ? <Alert>{problem}</Alert> : <Loading />;
  if (!lotteries.length && !entries.length) return null;
  return (
    <section class="card stack" aria-labelledby="room-lottery-title">
      <h2 id="room-lottery-title">{t('rl.title')}</h2>
      {lotteries
        .filter((l) => l.state === 'open' && !entries.some((e) => e.lottery_id === l.id))
        .map((l) => (
          <Apply key={l.id} site={props.site} lottery={l} groups={usableGroups(props.groups)} onApplied={() => void load()} />
        ))}
      {entries.length ? (
        <>
          <h3>{t('rl.mine')}</h3>
          <ul class="cards">
            {entries.map((e) => (
              <li key={e.reference}>
                <Entry
                  site={props.site}
                  entry={e}
                  lottery={lotteries.find((l) => l.id === e.lottery_id)}
                  onConfirmed={() => {
                    void load();
                    props.onConfirmed();
                  }}
                />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function monthDays(month: string): { min: string; max: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { min: `${month}-01`, max: `${month}-${String(last).padStart(2, '0')}` };
}

function Apply(props: { site: PublicOfferings; lottery: RoomLottery; groups: Group[]; onApplied: () => void }) {
  const { t, locale } = useI18n();
  const l = props.lottery;
  const zone = props.site.tenant.time_zone;
  const first = l.rooms[0];
  const blank = (): Choice => ({ offering_id: first?.offering_id ?? 0, date: '', division: first?.divisions[0]?.code ?? '', blocks: 1 });
  const [choices, setChoices] = useState<Choice[]>([blank()]);
  const [group, setGroup] = useState('');
  const { busy, problem, field, run } = useSubmit();
  const days = monthDays(l.month);
  const set = (i: number, c: Partial<Choice>) => setChoices(choices.map((x, k) => (k === i ? { ...x, ...c } : x)));
  return (
    <form
      class="stack"
      noValidate
      aria-labelledby={`rl-${l.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await api('POST', '/api/v1/me/room-lottery-entries', {
            body: { lottery_id: l.id, choices, ...(group ? { group_id: Number(group) } : {}) },
          });
          props.onApplied();
        });
      }}
    >
      <h3 id={`rl-${l.id}`}>{l.name}</h3>
      <p>{t('rl.period', { closes: formatInstant(l.closes_at, zone, locale), draw: formatInstant(l.draw_at, zone, locale) })}</p>
      {props.groups.length ? (
        <div class="field">
          <label for={`rl-group-${l.id}`}>{t('rl.as')}</label>
          <select id={`rl-group-${l.id}`} value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
            <option value="">{t('rl.as_self')}</option>
            {props.groups.map((g) => (
              <option key={g.id} value={String(g.id)}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {choices.map((c, i) => {
        const room = l.rooms.find((r) => r.offering_id === c.offering_id) ?? first;
        const codes = [...new Map((room?.divisions ?? []).map((d) => [d.code, d])).values()];
        const id = `rl-${l.id}-${i}`;
        const bad = field?.startsWith(`choices[${i}]`) ? problem : null;
        return (
          <fieldset key={i} id={id} aria-invalid={bad ? 'true' : undefined}>
            <legend>{t('rl.choice', { n: i + 1 })}</legend>
            <div class="field">
              <label for={`${id}-room`}>{t('rl.room')}</label>
              <select
                id={`${id}-room`}
                value={String(c.offering_id)}
                onChange={(e) => {
                  const next = l.rooms.find((r) => r.offering_id === Number(e.currentTarget.value));
                  set(i, { offering_id: Number(e.currentTarget.value), division: next?.divisions[0]?.code ?? '' });
                }}
              >
                {l.rooms.map((r) => (
                  <option key={r.offering_id} value={String(r.offering_id)}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for={`${id}-date`}>{t('rl.date')}</label>
              <input id={`${id}-date`} type="date" min={days.min} max={days.max} value={c.date} onInput={(e) => set(i, { date: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for={`${id}-division`}>{t('rl.division')}</label>
              <select id={`${id}-division`} value={c.division} onChange={(e) => set(i, { division: e.currentTarget.value })}>
                {codes.map((d) => (
                  <option key={d.code} value={d.code}>
                    {d.name}（{d.starts}–{d.ends}）
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for={`${id}-blocks`}>{t('rl.blocks')}</label>
              <select id={`${id}-blocks`} value={String(c.blocks)} onChange={(e) => set(i, { blocks: Number(e.currentTarget.value) })}>
                {[1, 2, 3].map((n) => (
                  <option key={n} value={String(n)}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
            {bad ? <p class="error">{bad}</p> : null}
          </fieldset>
        );
      })}
      {problem && !field?.startsWith('choices[') ? <Alert>{problem}</Alert> : null}
      <div class="group">
        {choices.length < l.max_choices ? (
          <button type="button" onClick={() => setChoices([...choices, blank()])}>
            {t('rl.add_choice')}
          </button>
        ) : null}
        <button type="submit" disabled={busy}>
          {t('rl.apply')}
        </button>
      </div>
    </form>
  );
}

function Entry(props: { site: PublicOfferings; entry: RoomLotteryEntry; lottery?: RoomLottery; onConfirmed: () => void }) {
  const { t, locale } = useI18n();
  const e = props.entry;
  const zone = props.site.tenant.time_zone;
  const roomName = (id: number) => props.lottery?.rooms.find((r) => r.offering_id === id)?.name ?? '';
  return (
    <section class="card stack" aria-labelledby={`rle-${e.reference}`}>
      <h4 id={`rle-${e.reference}`}>
        {props.lottery?.name ?? ''} <span class="reference-small">{e.reference}</span>
      </h4>
      <p data-testid="rl-status">{t(`rl.status.${e.status}`)}</p>
      <ol>
        {e.choices.map((c, i) => (
          <li key={i}>
            {roomName(c.offering_id)} {c.date} {c.division}
            {(c.blocks ?? 1) > 1 ? ` ×${c.blocks}` : ''}
            {e.wins.some((w) => w.choice === i) ? ` — ${t('rl.won')}` : ''}
          </li>
        ))}
      </ol>
      {e.wins.map((w) =>
        w.status === 'pending' && w.confirm_by ? (
          <ConfirmWin
            key={w.booking_reference}
            site={props.site}
            reference={w.booking_reference}
            offering={e.choices[w.choice]?.offering_id ?? 0}
            deadline={formatInstant(w.confirm_by, zone, locale)}
            onConfirmed={props.onConfirmed}
          />
        ) : (
          <p key={w.booking_reference}>
            {w.booking_reference}: {t(`status.${w.status}` as 'status.confirmed')}
          </p>
        ),
      )}
    </section>
  );
}

function ConfirmWin(props: { site: PublicOfferings; reference: string; offering: number; deadline: string; onConfirmed: () => void }) {
  const { t, locale } = useI18n();
  const o = props.site.items.find((x) => x.id === props.offering);
  const [equipment, setEquipment] = useState<Record<number, number>>({});
  const [surcharges, setSurcharges] = useState<string[]>([]);
  const { busy, problem, run } = useSubmit();
  const id = `win-${props.reference}`;
  return (
    <form
      class="stack"
      noValidate
      aria-labelledby={id}
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await api('POST', `/api/v1/me/bookings/${enc(props.reference)}/confirmation`, {
            body: {
              equipment: Object.entries(equipment)
                .filter(([, n]) => n > 0)
                .map(([r, n]) => ({ resource_id: Number(r), quantity: n })),
              surcharges,
            },
          });
          props.onConfirmed();
        });
      }}
    >
      <h5 id={id}>{t('rl.confirm_title', { reference: props.reference, deadline: props.deadline })}</h5>
      {o?.equipment?.length ? (
        <fieldset>
          <legend>{t('rental.equipment')}</legend>
          {o.equipment.map((x) => (
            <div class="row" key={x.resource_id}>
              <label for={`${id}-eq-${x.resource_id}`}>
                {x.name} <span class="muted">{t('rental.per_division', { price: x.price_jpy.toLocaleString(locale) })}</span>
              </label>
              <input
                id={`${id}-eq-${x.resource_id}`}
                type="number"
                inputMode="numeric"
                min={0}
                max={x.max_quantity ?? 1}
                value={equipment[x.resource_id] ?? 0}
                onInput={(ev) => setEquipment({ ...equipment, [x.resource_id]: Math.max(0, Number(ev.currentTarget.value) || 0) })}
              />
            </div>
          ))}
        </fieldset>
      ) : null}
      {o?.surcharges?.length ? (
        <fieldset>
          <legend>{t('rental.surcharges')}</legend>
          {o.surcharges.map((x) => (
            <label class="check" key={x.code}>
              <input
                type="checkbox"
                checked={surcharges.includes(x.code)}
                onChange={(ev) =>
                  setSurcharges(ev.currentTarget.checked ? [...surcharges, x.code] : surcharges.filter((c) => c !== x.code))
                }
              />{' '}
              {x.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      {problem ? <Alert>{problem}</Alert> : null}
      <button type="submit" disabled={busy}>
        {t('rl.confirm')}
      </button>
    </form>
  );
}
