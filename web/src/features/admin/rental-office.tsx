// A facility office's work beside the bookings: registered groups (利用団体) to approve in a
// user class or reject, with their documents; room lotteries to set up, draw and read (demand
// against supply per slot, the seed and whether the draw computes again to the same).
import { useEffect, useState } from 'preact/hooks';
import { FormProblem, TextField } from '../../components/field';
import { Alert, Loading } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { formatInstant, localInputInstant } from '../../lib/datetime';
import type { Group, Offering, RoomLottery, RoomLotterySummary } from '../../lib/types';

interface UserClass {
  id: number;
  name: string;
}

export function GroupsAdmin(props: { zone: string }) {
  const { t, locale } = useI18n();
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [classes, setClasses] = useState<UserClass[]>([]);
  const [chosen, setChosen] = useState<Record<number, string>>({});
  const { busy, problem, run } = useSubmit();
  const load = () =>
    run(async () => {
      setGroups((await api<{ groups: Group[] }>('GET', '/api/v1/groups')).groups);
      setClasses((await api<{ items: UserClass[] }>('GET', '/api/v1/user-classes')).items);
    });
  useEffect(() => {
    void load();
  }, []);
  if (!groups) return problem ? <Alert>{problem}</Alert> : <Loading />;
  const decide = (g: Group, approve: boolean) =>
    run(async () => {
      const cls = chosen[g.id];
      await api('POST', `/api/v1/groups/${g.id}/decision`, {
        body: { approve, ...(approve && cls ? { user_class_id: Number(cls) } : {}) },
      });
      await load();
    });
  return (
    <>
      <h1>{t('groups.admin_title')}</h1>
      {problem ? <Alert>{problem}</Alert> : null}
      {groups.length ? null : <p>{t('groups.none')}</p>}
      <ul class="cards">
        {groups.map((g) => (
          <li key={g.id} class="card stack">
            <h2>{g.name}</h2>
            <dl class="facts">
              <dt>{t('groups.status')}</dt>
              <dd>{t(`groups.status.${g.status}` as 'groups.status.pending')}</dd>
              <dt>{t('groups.representative')}</dt>
              <dd>{g.details.representative}</dd>
              <dt>{t('groups.phone')}</dt>
              <dd>{g.details.phone}</dd>
              <dt>{t('groups.member_count')}</dt>
              <dd>{g.member_count}</dd>
              {g.expires_at ? (
                <>
                  <dt>{t('groups.expires')}</dt>
                  <dd>{formatInstant(g.expires_at, props.zone, locale, 'date')}</dd>
                </>
              ) : null}
            </dl>
            {g.documents.length ? (
              <ul>
                {g.documents.map((d) => (
                  <li key={d.id}>
                    <a href={`/api/v1/groups/${g.id}/documents/${d.id}`} download={d.filename}>
                      {d.filename}
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
            {g.status === 'pending' ? (
              <div class="group">
                <label for={`group-class-${g.id}`}>{t('groups.class')}</label>
                <select
                  id={`group-class-${g.id}`}
                  value={chosen[g.id] ?? ''}
                  onChange={(e) => setChosen({ ...chosen, [g.id]: e.currentTarget.value })}
                >
                  <option value="">{t('groups.no_class')}</option>
                  {classes.map((c) => (
                    <option key={c.id} value={String(c.id)}>
                      {c.name}
                    </option>
                  ))}
                </select>
                <button type="button" disabled={busy} onClick={() => void decide(g, true)}>
                  {t('groups.approve')}
                </button>
                <button type="button" class="danger" disabled={busy} onClick={() => void decide(g, false)}>
                  {t('groups.reject')}
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

export function RoomLotteriesAdmin(props: { zone: string }) {
  const { t } = useI18n();
  const [lotteries, setLotteries] = useState<RoomLotterySummary[] | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const list = useSubmit();
  const load = () =>
    list.run(async () => setLotteries((await api<{ lotteries: RoomLotterySummary[] }>('GET', '/api/v1/room-lotteries')).lotteries));
  useEffect(() => {
    void load();
  }, []);
  if (!lotteries) return list.problem ? <Alert>{list.problem}</Alert> : <Loading />;
  return (
    <>
      <h1>{t('rl.admin_title')}</h1>
      <p class="muted">{t('rl.admin_intro')}</p>
      {list.problem ? <Alert>{list.problem}</Alert> : null}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('op.name')}</th>
            <th scope="col">{t('rl.month')}</th>
            <th scope="col">{t('groups.status')}</th>
            <th scope="col"></th>
          </tr>
        </thead>
        <tbody>
          {lotteries.map((l) => (
            <tr key={l.id}>
              <td>{l.name}</td>
              <td>{l.month}</td>
              <td>{t(`rl.state.${l.state}` as 'rl.state.open')}</td>
              <td>
                <button type="button" onClick={() => setOpen(open === l.id ? null : l.id)}>
                  {t('rl.show')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open !== null ? <LotteryDetail id={open} zone={props.zone} onDrawn={() => void load()} /> : null}
      <NewLottery zone={props.zone} onCreated={() => void load()} />
    </>
  );
}

interface DemandRow {
  offering_name: string;
  date: string;
  division_name: string;
  open: boolean;
  first_choices: number;
  choices: number;
  won_by: string | null;
}

function LotteryDetail(props: { id: number; zone: string; onDrawn: () => void }) {
  const { t, locale } = useI18n();
  const [l, setL] = useState<RoomLottery | null>(null);
  const [demand, setDemand] = useState<{ slots: DemandRow[]; totals: { slots: number; open: number; wanted: number } } | null>(null);
  const { busy, problem, run } = useSubmit();
  const path = `/api/v1/room-lotteries/${props.id}`;
  const load = () =>
    run(async () => {
      setL(await api<RoomLottery>('GET', path));
      setDemand(await api('GET', `${path}/demand`));
    });
  useEffect(() => {
    void load();
  }, [props.id]);
  if (!l || !demand) return problem ? <Alert>{problem}</Alert> : <Loading />;
  const wanted = demand.slots.filter((s) => s.choices > 0);
  return (
    <section class="card stack" aria-labelledby="rl-detail">
      <h2 id="rl-detail">{l.name}</h2>
      <p>{t('rl.totals', { slots: demand.totals.slots, open: demand.totals.open, wanted: demand.totals.wanted })}</p>
      {l.draw.drawn ? (
        <p data-testid="rl-seed">
          {t('rl.seed', { seed: l.draw.seed ?? '', at: formatInstant(l.draw.drawn_at ?? '', props.zone, locale) })}{' '}
          {l.draw.verified ? t('rl.verified') : t('rl.not_verified')}
        </p>
      ) : (
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await api('POST', `${path}/draw`);
              await load();
              props.onDrawn();
            })
          }
        >
          {t('rl.draw')}
        </button>
      )}
      {problem ? <Alert>{problem}</Alert> : null}
      <table data-testid="rl-demand">
        <caption>{t('rl.demand')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('rl.room')}</th>
            <th scope="col">{t('rl.date')}</th>
            <th scope="col">{t('rl.division')}</th>
            <th scope="col">{t('rl.first_choices')}</th>
            <th scope="col">{t('rl.choices')}</th>
            <th scope="col">{t('rl.won_by')}</th>
          </tr>
        </thead>
        <tbody>
          {wanted.map((s) => (
            <tr key={`${s.offering_name}-${s.date}-${s.division_name}`}>
              <td>{s.offering_name}</td>
              <td>{s.date}</td>
              <td>{s.division_name}</td>
              <td>{s.first_choices}</td>
              <td>{s.choices}</td>
              <td>{s.won_by ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href={`${path}/demand?format=csv`} download>
          {t('rl.csv')}
        </a>
      </p>
    </section>
  );
}

function NewLottery(props: { zone: string; onCreated: () => void }) {
  const { t } = useI18n();
  const [rooms, setRooms] = useState<Offering[]>([]);
  const [classes, setClasses] = useState<UserClass[]>([]);
  const [name, setName] = useState('');
  const [month, setMonth] = useState('');
  const [picked, setPicked] = useState<number[]>([]);
  const [tiers, setTiers] = useState<number[]>([]);
  const [times, setTimes] = useState<Record<string, string>>({});
  const [maxChoices, setMaxChoices] = useState('3');
  const [maxWins, setMaxWins] = useState('1');
  const { busy, problem, field, run } = useSubmit();
  useEffect(() => {
    void run(async () => {
      const all = (await api<{ items: Offering[] }>('GET', '/api/v1/offerings')).items;
      setRooms(all.filter((o) => o.kind === 'rental' && o.by_division));
      setClasses((await api<{ items: UserClass[] }>('GET', '/api/v1/user-classes')).items);
    });
  }, []);
  const keys = ['opens_at', 'closes_at', 'draw_at', 'confirm_by', 'first_come_at'] as const;
  return (
    <form
      class="card filters"
      noValidate
      aria-labelledby="rl-new"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const at: Record<string, string> = {};
          for (const k of keys) at[k] = times[k] ? localInputInstant(times[k] ?? '', props.zone) : '';
          await api('POST', '/api/v1/room-lotteries', {
            body: {
              name,
              month,
              offering_ids: picked,
              ...at,
              max_choices: Number(maxChoices),
              max_wins: Number(maxWins),
              tiers,
            },
          });
          setName('');
          props.onCreated();
        });
      }}
    >
      <h2 id="rl-new" class="span">
        {t('rl.new')}
      </h2>
      <TextField id="rl-name" name="name" label={t('op.name')} value={name} onInput={setName} error={{ field, problem }} />
      <TextField id="rl-month" name="month" label={t('rl.month')} type="month" value={month} onInput={setMonth} error={{ field, problem }} />
      <fieldset class="span">
        <legend>{t('rl.rooms')}</legend>
        {rooms.map((o) => (
          <label class="check" key={o.id}>
            <input
              type="checkbox"
              checked={picked.includes(o.id)}
              onChange={(e) => setPicked(e.currentTarget.checked ? [...picked, o.id] : picked.filter((x) => x !== o.id))}
            />{' '}
            {o.name}
          </label>
        ))}
      </fieldset>
      {keys.map((k) => (
        <TextField
          key={k}
          id={`rl-${k}`}
          name={k}
          label={t(`rl.${k}` as 'rl.opens_at')}
          type="datetime-local"
          value={times[k] ?? ''}
          onInput={(v) => setTimes({ ...times, [k]: v })}
          error={{ field, problem }}
        />
      ))}
      <TextField id="rl-max-choices" name="max_choices" label={t('rl.max_choices')} type="number" value={maxChoices} onInput={setMaxChoices} error={{ field, problem }} />
      <TextField id="rl-max-wins" name="max_wins" label={t('rl.max_wins')} type="number" value={maxWins} onInput={setMaxWins} error={{ field, problem }} />
      <fieldset class="span">
        <legend>{t('rl.tiers')}</legend>
        {classes.map((c) => (
          <label class="check" key={c.id}>
            <input
              type="checkbox"
              checked={tiers.includes(c.id)}
              onChange={(e) => setTiers(e.currentTarget.checked ? [...tiers, c.id] : tiers.filter((x) => x !== c.id))}
            />{' '}
            {c.name}
          </label>
        ))}
      </fieldset>
      <FormProblem error={{ field, problem }} fields={['name', 'month', 'max_choices', 'max_wins', ...keys]} />
      <button type="submit" disabled={busy}>
        {t('rl.create')}
      </button>
    </form>
  );
}
