// The operator console (/operator): tenants (create with a first manager, suspend, reactivate,
// terminate), address block and allow rules, the platform's health, and notices with
// maintenance mode. Changes that need a
// fresh password ask for it and carry on.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ShownOnce } from '../../components/shown-once';
import { Console } from '../../components/console';
import { Alert, Loading } from '../../components/layout';
import { useFreshSubmit } from '../../components/reauth';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';
import { Notices } from './notices';

const sections = [
  { path: '/operator', label: 'op.tenants' },
  { path: '/operator/addresses', label: 'op.addresses' },
  { path: '/operator/health', label: 'op.health' },
  { path: '/operator/notices', label: 'notice.title' },
] as const;

const zone = 'Asia/Tokyo';

export default function Operator() {
  return (
    <Console
      title="op.title"
      home="/operator"
      sections={sections}
      platform
      admits={(who) => who.account.role === 'operator'}
    >
      {(_who, path) =>
        path === '/operator/addresses' ? (
          <Addresses />
        ) : path === '/operator/health' ? (
          <Health />
        ) : path === '/operator/notices' ? (
          <Notices />
        ) : (
          <Tenants />
        )
      }
    </Console>
  );
}

interface Tenant {
  id: number;
  code: string;
  name: string;
  time_zone: string;
  locale: string;
  status: 'active' | 'suspended' | 'terminated';
  created_at: string;
}

function Tenants() {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Tenant[] | null>(null);
  const [form, setForm] = useState({ code: '', name: '', manager_email: '', time_zone: 'Asia/Tokyo', locale: 'ja' });
  const [link, setLink] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const { busy, problem, field, act, prompt } = useFreshSubmit();
  const load = async () => setItems((await api<{ items: Tenant[] }>('GET', '/api/v1/tenants')).items);
  useEffect(() => {
    void act(load);
  }, []);
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [k]: e.currentTarget.value });
  const change = (x: Tenant, status: Tenant['status']) =>
    act(async () => {
      await api('POST', `/api/v1/tenants/${x.id}/status`, { body: { status, reason } });
      await load();
    });

  return (
    <>
      <h1>{t('op.tenants')}</h1>
      {prompt}
      <ShownOnce intro={t('op.setup_link')} value={link} testId="setup-link" />
      <form
        class="card filters"
        noValidate
        aria-labelledby="tenant-new"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const made = await api<{ setup_link: string }>('POST', '/api/v1/tenants', { body: form });
            setLink(made.setup_link);
            setForm({ ...form, code: '', name: '', manager_email: '' });
            await load();
          });
        }}
      >
        <h2 id="tenant-new" class="span">
          {t('op.new_tenant')}
        </h2>
        {(
          [
            ['code', 'op.code', 'off'],
            ['name', 'op.name', 'organization'],
            ['manager_email', 'op.manager_email', 'email'],
            ['time_zone', 'op.time_zone', 'off'],
          ] as const
        ).map(([k, label, auto]) => (
          <div class="field" key={k}>
            <label for={`t-${k}`}>{t(label)}</label>
            <input
              id={`t-${k}`}
              autoComplete={auto}
              value={form[k]}
              onInput={set(k)}
              aria-invalid={field === k ? true : undefined}
              aria-describedby={field === k ? 'tenant-error' : undefined}
            />
          </div>
        ))}
        <div class="field">
          <label for="t-locale">{t('op.locale')}</label>
          <select id="t-locale" value={form.locale} onChange={set('locale')}>
            <option value="ja">日本語</option>
            <option value="en">English</option>
          </select>
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {t('op.create')}
        </button>
      </form>
      {problem ? (
        <p class="alert" role="alert" id="tenant-error">
          {problem}
        </p>
      ) : null}
      <div class="field narrow">
        <label for="status-reason">{t('op.reason')}</label>
        <input id="status-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </div>
      {!items ? (
        <Loading />
      ) : (
        <table class="list">
          <caption>{t('op.tenant_list', { n: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('op.code')}</th>
              <th scope="col">{t('op.name')}</th>
              <th scope="col">{t('status.label')}</th>
              <th scope="col">{t('op.created')}</th>
              <th scope="col">{t('op.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((x) => (
              <tr key={x.id}>
                <td>
                  <code>{x.code}</code>
                </td>
                <td>{x.name}</td>
                <td data-testid={`tenant-status-${x.code}`}>{t(`op.status_${x.status}`)}</td>
                <td>{formatInstant(x.created_at, zone, locale)}</td>
                <td class="group">
                  {x.status === 'active' ? (
                    <button type="button" disabled={busy} onClick={() => void change(x, 'suspended')}>
                      {t('op.suspend', { code: x.code })}
                    </button>
                  ) : null}
                  {x.status === 'suspended' ? (
                    <button type="button" disabled={busy} onClick={() => void change(x, 'active')}>
                      {t('op.reactivate', { code: x.code })}
                    </button>
                  ) : null}
                  {x.status !== 'terminated' ? (
                    <button type="button" class="danger" disabled={busy} onClick={() => void change(x, 'terminated')}>
                      {t('op.terminate', { code: x.code })}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface Rule {
  id: number;
  kind: 'block' | 'allow';
  cidr: string;
  reason: string;
  source: 'operator' | 'automatic';
  created_at: string;
  expires_at: string | null;
}

function Addresses() {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Rule[] | null>(null);
  const [kind, setKind] = useState<'block' | 'allow'>('block');
  const [cidr, setCidr] = useState('');
  const [reason, setReason] = useState('');
  const { busy, problem, act, prompt } = useFreshSubmit();
  const load = async () => setItems((await api<{ items: Rule[] }>('GET', '/api/v1/address-rules')).items);
  useEffect(() => {
    void act(load);
  }, []);
  return (
    <>
      <h1>{t('op.addresses')}</h1>
      <p>{t('op.addresses_intro')}</p>
      {prompt}
      <form
        class="card filters"
        noValidate
        aria-labelledby="rule-new"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await api('POST', '/api/v1/address-rules', { body: { kind, cidr, reason } });
            setCidr('');
            setReason('');
            await load();
          });
        }}
      >
        <h2 id="rule-new" class="span">
          {t('op.new_rule')}
        </h2>
        <div class="field">
          <label for="r-kind">{t('op.rule_kind')}</label>
          <select id="r-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value === 'allow' ? 'allow' : 'block')}>
            <option value="block">{t('op.block')}</option>
            <option value="allow">{t('op.allow')}</option>
          </select>
        </div>
        <div class="field">
          <label for="r-cidr">{t('op.cidr')}</label>
          <input id="r-cidr" autoComplete="off" value={cidr} onInput={(e) => setCidr(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="r-reason">{t('op.reason')}</label>
          <input id="r-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {t('op.add_rule')}
        </button>
      </form>
      {problem ? <Alert>{problem}</Alert> : null}
      {!items ? (
        <Loading />
      ) : (
        <table class="list">
          <caption>{t('op.rule_list', { n: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('op.rule_kind')}</th>
              <th scope="col">{t('op.cidr')}</th>
              <th scope="col">{t('op.reason')}</th>
              <th scope="col">{t('op.expires')}</th>
              <th scope="col">{t('op.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id}>
                <td>
                  {r.kind === 'block' ? t('op.block') : t('op.allow')}
                  {r.source === 'automatic' ? ` (${t('op.automatic')})` : ''}
                </td>
                <td>
                  <code>{r.cidr}</code>
                </td>
                <td>{r.reason}</td>
                <td>{r.expires_at ? formatInstant(r.expires_at, zone, locale) : '—'}</td>
                <td>
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() =>
                      void act(async () => {
                        await api('DELETE', `/api/v1/address-rules/${r.id}`);
                        await load();
                      })
                    }
                  >
                    {t('op.remove_rule', { cidr: r.cidr })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface Readiness {
  status: string;
  checks: Record<string, string>;
}

interface Monitoring {
  ok: boolean | null;
  at: string | null;
  checks: { name: string; ok: boolean; value: string; threshold: string }[];
}

/** The self-monitoring's last reading, check by check. */
function MonitorChecks() {
  const { t, locale } = useI18n();
  const [m, setM] = useState<Monitoring | null>(null);
  const { problem, run } = useSubmit();
  useEffect(() => {
    void run(async () => setM(await api<Monitoring>('GET', '/api/v1/platform/status')));
  }, []);
  if (!m) return problem ? <Alert>{problem}</Alert> : <Loading />;
  return (
    <section class="card" aria-labelledby="monitor-title">
      <h2 id="monitor-title">{t('mon.title')}</h2>
      {m.at ? (
        <>
          <p data-testid="monitor-state">{m.ok ? t('mon.ok') : t('mon.bad')}</p>
          <table class="list">
            <caption>{t('op.checked_at', { when: formatInstant(m.at, zone, locale) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mon.check')}</th>
                <th scope="col">{t('mon.value')}</th>
                <th scope="col">{t('mon.threshold')}</th>
                <th scope="col">{t('status.label')}</th>
              </tr>
            </thead>
            <tbody>
              {m.checks.map((c) => (
                <tr key={c.name}>
                  <td>
                    <code>{c.name}</code>
                  </td>
                  <td>{c.value}</td>
                  <td>{c.threshold}</td>
                  <td>{c.ok ? t('mon.check_ok') : t('mon.check_bad')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p>{t('mon.none')}</p>
      )}
    </section>
  );
}

function Health() {
  const { t, locale } = useI18n();
  const [ready, setReady] = useState<Readiness | null>(null);
  const [at, setAt] = useState<Date | null>(null);
  const { problem, run } = useSubmit();
  const load = () =>
    run(async () => {
      // 503 still carries the checks: read the body whatever the status.
      const r = await fetch('/readyz', { headers: { Accept: 'application/json' } });
      setReady((await r.json()) as Readiness);
      setAt(new Date());
    });
  useEffect(() => {
    void load();
  }, []);
  return (
    <>
      <h1>{t('op.health')}</h1>
      {problem ? <Alert>{problem}</Alert> : null}
      {ready ? (
        <section class="card" aria-labelledby="ready-title">
          <h2 id="ready-title" data-testid="readiness">
            {ready.status === 'ready' ? t('op.ready') : t('op.not_ready')}
          </h2>
          <dl class="facts">
            {Object.entries(ready.checks).map(([k, v]) => (
              <Fragment key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </Fragment>
            ))}
          </dl>
          {at ? <p class="muted">{t('op.checked_at', { when: formatInstant(at, zone, locale) })}</p> : null}
        </section>
      ) : (
        <Loading />
      )}
      <p>
        <button type="button" onClick={() => void load()}>
          {t('op.recheck')}
        </button>
      </p>
      <MonitorChecks />
    </>
  );
}
