// The audit log: who did what, when, from where, with filters (action prefix, actor, result,
// days) and paging; the same filters download as CSV.
import { useEffect, useState } from 'preact/hooks';
import { TextField } from '../../components/field';
import { Alert, Loading } from '../../components/layout';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { addDays, formatInstant, localDay, setDayRange } from '../../lib/datetime';

interface Entry {
  seq: number;
  at: string;
  actor: { id: string; role: string };
  action: string;
  target: string;
  result: 'success' | 'failure' | 'denied';
  client_address: string;
}

export function AuditLog(props: { zone: string }) {
  const { t, locale } = useI18n();
  const today = localDay(new Date(), props.zone);
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [result, setResult] = useState('');
  const [from, setFrom] = useState(addDays(today, -30));
  const [to, setTo] = useState(today);
  const [items, setItems] = useState<Entry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const { busy, problem, run } = useSubmit();

  const query = (before?: number) => {
    const q = new URLSearchParams({ limit: '100' });
    if (action.trim()) q.set('action', action.trim());
    if (actor.trim()) q.set('actor', actor.trim());
    if (result) q.set('result', result);
    setDayRange(q, from, to, props.zone);
    if (before) q.set('before', String(before));
    return q;
  };
  const search = (more = false) =>
    run(async () => {
      const r = await api<{ items: Entry[]; next_before: number | null }>(
        'GET',
        `/api/v1/audit-entries?${query(more ? (next ?? undefined) : undefined).toString()}`,
      );
      setItems(more ? [...(items ?? []), ...r.items] : r.items);
      setNext(r.next_before);
    });
  useEffect(() => {
    void search();
  }, []);
  const csv = query();
  csv.set('limit', '10000');

  return (
    <>
      <h1>{t('audit.title')}</h1>
      <form
        class="card filters"
        noValidate
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <div class="field">
          <label for="a-action">{t('audit.action')}</label>
          <input id="a-action" value={action} placeholder="account." onInput={(e) => setAction(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="a-actor">{t('audit.actor')}</label>
          <input id="a-actor" value={actor} placeholder="account:12" onInput={(e) => setActor(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="a-result">{t('audit.result')}</label>
          <select id="a-result" value={result} onChange={(e) => setResult(e.currentTarget.value)}>
            <option value="">{t('list.any')}</option>
            <option value="success">{t('audit.success')}</option>
            <option value="failure">{t('audit.failure')}</option>
            <option value="denied">{t('audit.denied')}</option>
          </select>
        </div>
        <TextField id="a-from" label={t('list.from')} type="date" value={from} onInput={setFrom} />
        <TextField id="a-to" label={t('list.to')} type="date" value={to} onInput={setTo} />
        <button type="submit" class="primary" disabled={busy}>
          {t('list.search')}
        </button>
      </form>
      <p>
        <a href={`/api/v1/audit-entries.csv?${csv.toString()}`} download>
          {t('audit.csv')}
        </a>
      </p>
      {problem ? <Alert>{problem}</Alert> : null}
      {!items ? (
        <Loading />
      ) : (
        <table class="list">
          <caption>{t('list.count', { n: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.when')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.target')}</th>
              <th scope="col">{t('audit.result')}</th>
              <th scope="col">{t('audit.address')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.seq}>
                <td>{formatInstant(e.at, props.zone, locale)}</td>
                <td>
                  <code>{e.actor.id}</code> ({e.actor.role})
                </td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  <code>{e.target}</code>
                </td>
                <td>{t(`audit.${e.result}`)}</td>
                <td>{e.client_address}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? (
        <p>
          <button type="button" disabled={busy} onClick={() => void search(true)}>
            {t('audit.more')}
          </button>
        </p>
      ) : null}
    </>
  );
}
