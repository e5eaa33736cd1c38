// Operators' notices (/operator/notices): post an incident or maintenance notice to every tenant
// or to some (maintenance within 7 days only as an emergency, with its reason), add timeline
// updates until resolved, and switch maintenance mode (the API answers 503 to all but operators).
import { useEffect, useState } from 'preact/hooks';
import { Alert, Loading } from '../../components/layout';
import { NoticeItem, type Notice } from '../../components/notices';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { localInputInstant } from '../../lib/datetime';

const zone = 'Asia/Tokyo';

interface Maintenance {
  on: boolean;
  retry_after_s: number;
  message: string;
  since: string | null;
}

export function Notices() {
  const { t } = useI18n();
  const [items, setItems] = useState<Notice[] | null>(null);
  const [form, setForm] = useState({
    kind: 'incident',
    severity: 'major',
    title: '',
    body: '',
    starts_at: '',
    ends_at: '',
    tenants: '',
    emergency_reason: '',
  });
  const { busy, problem, field, run } = useSubmit();
  const load = async () => setItems((await api<{ items: Notice[] }>('GET', '/api/v1/notices')).items);
  useEffect(() => {
    void run(load);
  }, []);
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [k]: e.currentTarget.value });
  const invalid = (name: string) => (field === name ? true : undefined);
  return (
    <>
      <MaintenanceMode />
      <section aria-labelledby="notices-title">
        <h2 id="notices-title">{t('notice.title')}</h2>
        <form
          class="card filters"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const codes = form.tenants
                .split(/[\s,]+/)
                .map((c) => c.trim())
                .filter(Boolean);
              await api('POST', '/api/v1/notices', {
                body: {
                  kind: form.kind,
                  severity: form.severity,
                  title: form.title,
                  body: form.body,
                  starts_at: form.starts_at ? localInputInstant(form.starts_at, zone) : new Date().toISOString(),
                  ...(form.ends_at ? { ends_at: localInputInstant(form.ends_at, zone) } : {}),
                  ...(codes.length ? { tenants: codes } : {}),
                  ...(form.emergency_reason ? { emergency_reason: form.emergency_reason } : {}),
                },
              });
              setForm({ ...form, title: '', body: '', emergency_reason: '' });
              await load();
            });
          }}
        >
          <div class="field">
            <label for="notice-kind">{t('notice.kind')}</label>
            <select id="notice-kind" value={form.kind} onChange={set('kind')}>
              <option value="incident">{t('notice.incident')}</option>
              <option value="maintenance">{t('notice.maintenance')}</option>
            </select>
          </div>
          <div class="field">
            <label for="notice-severity">{t('notice.severity')}</label>
            <select id="notice-severity" value={form.severity} onChange={set('severity')}>
              {(['info', 'minor', 'major', 'critical'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`notice.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field span">
            <label for="notice-title-input">{t('notice.subject')}</label>
            <input id="notice-title-input" value={form.title} onInput={set('title')} aria-invalid={invalid('title')} />
          </div>
          <div class="field span">
            <label for="notice-body">{t('notice.body')}</label>
            <textarea id="notice-body" rows={4} value={form.body} onInput={set('body')} aria-invalid={invalid('body')} />
          </div>
          <div class="field">
            <label for="notice-starts">{t('notice.starts')}</label>
            <input
              id="notice-starts"
              type="datetime-local"
              value={form.starts_at}
              onInput={set('starts_at')}
              aria-invalid={invalid('starts_at')}
            />
          </div>
          <div class="field">
            <label for="notice-ends">{t('notice.ends')}</label>
            <input
              id="notice-ends"
              type="datetime-local"
              value={form.ends_at}
              onInput={set('ends_at')}
              aria-invalid={invalid('ends_at')}
            />
          </div>
          <div class="field span">
            <label for="notice-tenants">{t('notice.tenants')}</label>
            <input id="notice-tenants" value={form.tenants} onInput={set('tenants')} aria-invalid={invalid('tenants')} />
          </div>
          <div class="field span">
            <label for="notice-reason">{t('notice.reason')}</label>
            <input
              id="notice-reason"
              value={form.emergency_reason}
              onInput={set('emergency_reason')}
              aria-invalid={invalid('emergency_reason')}
            />
          </div>
          {problem ? <Alert>{problem}</Alert> : null}
          <button type="submit" class="span" disabled={busy}>
            {t('notice.post')}
          </button>
        </form>
        {items === null ? (
          <Loading />
        ) : (
          items.map((n) => (
            <div key={n.id} class="card stack">
              <NoticeItem notice={n} zone={zone} />
              <p class="muted">{n.all_tenants ? t('notice.everyone') : (n.tenants ?? []).join(', ')}</p>
              {n.resolved_at ? null : <UpdateForm id={n.id} onDone={() => void run(load)} />}
            </div>
          ))
        )}
      </section>
    </>
  );
}

function UpdateForm(props: { id: number; onDone: () => void }) {
  const { t } = useI18n();
  const [body, setBody] = useState('');
  const [resolved, setResolved] = useState(false);
  const { busy, problem, run } = useSubmit();
  return (
    <form
      class="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await api('POST', `/api/v1/notices/${props.id}/updates`, { body: { body, resolved } });
          setBody('');
          props.onDone();
        });
      }}
    >
      <div class="field">
        <label for={`update-${props.id}`}>{t('notice.update')}</label>
        <textarea id={`update-${props.id}`} rows={2} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
      </div>
      <label class="check">
        <input type="checkbox" checked={resolved} onChange={(e) => setResolved(e.currentTarget.checked)} />{' '}
        {t('notice.resolve')}
      </label>
      {problem ? <Alert>{problem}</Alert> : null}
      <button type="submit" disabled={busy}>
        {t('notice.add_update', { n: props.id })}
      </button>
    </form>
  );
}

function MaintenanceMode() {
  const { t } = useI18n();
  const [mode, setMode] = useState<Maintenance | null>(null);
  const [message, setMessage] = useState('');
  const { busy, problem, run } = useSubmit();
  useEffect(() => {
    void run(async () => setMode(await api<Maintenance>('GET', '/api/v1/maintenance')));
  }, []);
  if (!mode) return problem ? <Alert>{problem}</Alert> : <Loading />;
  const toggle = (on: boolean) =>
    void run(async () => setMode(await api<Maintenance>('PUT', '/api/v1/maintenance', { body: { on, message } })));
  return (
    <section class="card stack" aria-labelledby="maintenance-title">
      <h2 id="maintenance-title">{t('maint.title')}</h2>
      <p role="status" data-testid="maintenance-state">
        {mode.on ? t('maint.on', { message: mode.message || '—' }) : t('maint.off')}
      </p>
      <p class="muted">{t('maint.help')}</p>
      {mode.on ? null : (
        <div class="field">
          <label for="maint-message">{t('maint.message')}</label>
          <input id="maint-message" value={message} onInput={(e) => setMessage(e.currentTarget.value)} />
        </div>
      )}
      {problem ? <Alert>{problem}</Alert> : null}
      <button type="button" class={mode.on ? '' : 'danger'} disabled={busy} onClick={() => toggle(!mode.on)}>
        {mode.on ? t('maint.end') : t('maint.start')}
      </button>
    </section>
  );
}
