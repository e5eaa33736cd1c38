// Integrations: webhook endpoints (the signing secret shown once; event filters; a test event;
// each endpoint's delivery log), the LINE settings (line-settings.tsx) and segment messages, and the
// delivery log of every outgoing message (mail, webhooks, LINE, reminders, refunds) with the failed ones to
// retry, the Stripe keys for online payments and the Zoom account for online meetings (stored
// sealed, never shown again).
import { useEffect, useState } from 'preact/hooks';
import { ShownOnce } from '../../components/shown-once';
import { LineBroadcasts } from './broadcasts';
import { ZoomAccount } from './zoom';
import { LineChannel, LineLogin, LineRichMenu } from './line-settings';
import { SecretField } from './secret-field';
import { Alert, Loading } from '../../components/layout';
import { useFreshSubmit } from '../../components/reauth';
import { useSubmit } from '../../components/sign-in';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';
import type { PaymentAccount } from '../../lib/types';

interface Endpoint {
  id: number;
  url: string;
  description: string;
  events: string[];
  active: boolean;
}

interface Job {
  id: number;
  topic: string;
  kind: string;
  ref: string;
  state: 'queued' | 'done' | 'failed';
  attempts: number;
  created_at: string;
  finished_at: string | null;
  last_error: string;
}

export function Integrations(props: { zone: string; tenant: string }) {
  return (
    <>
      <Webhooks zone={props.zone} />
      <StripeAccount zone={props.zone} />
      <LineChannel zone={props.zone} />
      <LineLogin tenant={props.tenant} />
      <LineRichMenu zone={props.zone} />
      <LineBroadcasts zone={props.zone} />
      <ZoomAccount zone={props.zone} />
      <Deliveries zone={props.zone} />
    </>
  );
}

function Webhooks(props: { zone: string }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Endpoint[] | null>(null);
  const [types, setTypes] = useState<string[]>([]);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [log, setLog] = useState<Endpoint | null>(null);
  const { busy, problem, field, act, prompt } = useFreshSubmit();
  const load = async () => {
    const r = await api<{ items: Endpoint[]; event_types: string[] }>('GET', '/api/v1/webhooks');
    setItems(r.items);
    setTypes(r.event_types);
  };
  useEffect(() => {
    void act(load);
  }, []);
  return (
    <section aria-labelledby="hooks-title">
      <h1 id="hooks-title">{t('hooks.title')}</h1>
      <p>{t('hooks.intro')}</p>
      {prompt}
      {note ? <p role="status">{note}</p> : null}
      <ShownOnce intro={t('hooks.secret_once')} value={secret} testId="webhook-secret" />
      <form
        class="card filters"
        noValidate
        aria-labelledby="hook-new"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const made = await api<Endpoint & { secret: string }>('POST', '/api/v1/webhooks', {
              body: { url, description, events },
            });
            setSecret(made.secret);
            setUrl('');
            setDescription('');
            await load();
          });
        }}
      >
        <h2 id="hook-new" class="span">
          {t('hooks.new')}
        </h2>
        <div class="field span">
          <label for="hook-url">{t('hooks.url')}</label>
          <input
            id="hook-url"
            type="url"
            value={url}
            placeholder="https://"
            onInput={(e) => setUrl(e.currentTarget.value)}
            aria-invalid={field === 'url' ? true : undefined}
            aria-describedby={field === 'url' ? 'hook-error' : undefined}
          />
        </div>
        <div class="field span">
          <label for="hook-description">{t('res.description')}</label>
          <input id="hook-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </div>
        <fieldset class="span">
          <legend>{t('hooks.events')}</legend>
          <p class="muted">{t('hooks.events_hint')}</p>
          <div class="columns">
            {types.map((x) => (
              <label key={x} class="check">
                <input
                  type="checkbox"
                  checked={events.includes(x)}
                  onChange={(e) => setEvents(e.currentTarget.checked ? [...events, x] : events.filter((y) => y !== x))}
                />{' '}
                <code>{x}</code>
              </label>
            ))}
          </div>
        </fieldset>
        {problem ? (
          <p class="alert span" role="alert" id="hook-error">
            {problem}
          </p>
        ) : null}
        <button type="submit" class="primary" disabled={busy}>
          {t('hooks.add')}
        </button>
      </form>
      {!items ? (
        <Loading />
      ) : (
        <table class="list">
          <caption>{t('hooks.list', { n: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('hooks.url')}</th>
              <th scope="col">{t('hooks.events')}</th>
              <th scope="col">{t('op.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((h) => (
              <tr key={h.id}>
                <td>
                  <code>{h.url}</code>
                  {h.description ? <div class="muted">{h.description}</div> : null}
                </td>
                <td>{h.events.length ? h.events.join(', ') : t('hooks.all_events')}</td>
                <td class="group">
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() =>
                      void act(async () => {
                        await api('POST', `/api/v1/webhooks/${h.id}/test`);
                        setNote(t('hooks.test_queued'));
                      })
                    }
                  >
                    {t('hooks.test', { n: h.id })}
                  </button>
                  <button type="button" onClick={() => setLog(h)}>
                    {t('hooks.log', { n: h.id })}
                  </button>
                  <button
                    type="button"
                    class="danger"
                    disabled={busy}
                    onClick={() =>
                      void act(async () => {
                        await api('DELETE', `/api/v1/webhooks/${h.id}`);
                        await load();
                      })
                    }
                  >
                    {t('hooks.remove', { n: h.id })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {log ? (
        <section class="card panel" aria-labelledby="hook-log-title">
          <h2 id="hook-log-title">{t('hooks.log_title', { url: log.url })}</h2>
          <JobTable path={`/api/v1/webhooks/${log.id}/deliveries`} zone={props.zone} />
          <button type="button" onClick={() => setLog(null)}>
            {t('admin.close')}
          </button>
        </section>
      ) : null}
    </section>
  );
}

// The tenant's Stripe keys: stored sealed, never shown again (a hint and the test mode are).
function StripeAccount(props: { zone: string }) {
  const { t, locale } = useI18n();
  const [account, setAccount] = useState<PaymentAccount | null>(null);
  const [secretKey, setSecretKey] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');
  const { busy, problem, field, act, prompt } = useFreshSubmit();
  const path = '/api/v1/settings/payments/stripe';
  useEffect(() => {
    void act(async () => setAccount(await api('GET', path)));
  }, []);
  return (
    <section aria-labelledby="stripe-title">
      <h2 id="stripe-title">{t('stripe.title')}</h2>
      <p>{t('stripe.intro')}</p>
      {prompt}
      <p role="status" data-testid="stripe-account">
        {account?.configured && account.updated_at
          ? t(account.test_mode ? 'stripe.configured_test' : 'stripe.configured', {
              hint: account.key_hint ?? '',
              when: formatInstant(account.updated_at, props.zone, locale),
            })
          : t('stripe.not_configured')}
      </p>
      <form
        class="card stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            setAccount(
              await api('PUT', path, { body: { secret_key: secretKey.trim(), webhook_secret: webhookSecret.trim() } }),
            );
            setSecretKey('');
            setWebhookSecret('');
          });
        }}
      >
        <SecretField
          id="stripe-secret"
          label={t('stripe.secret_key')}
          value={secretKey}
          onInput={setSecretKey}
          invalid={field === 'secret_key'}
        />
        <SecretField
          id="stripe-webhook"
          label={t('stripe.webhook_secret')}
          value={webhookSecret}
          onInput={setWebhookSecret}
          invalid={field === 'webhook_secret'}
        />
        {problem ? <Alert>{problem}</Alert> : null}
        <div class="group">
          <button type="submit" disabled={busy}>
            {t('stripe.save')}
          </button>
          {account?.configured ? (
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  await api('DELETE', path);
                  setAccount({ ...account, configured: false, key_hint: null, updated_at: null });
                })
              }
            >
              {t('stripe.remove')}
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}

function Deliveries(props: { zone: string }) {
  const { t } = useI18n();
  const [state, setState] = useState('failed');
  const [topic, setTopic] = useState('');
  const q = new URLSearchParams({ limit: '100' });
  if (state) q.set('state', state);
  if (topic) q.set('topic', topic);
  return (
    <section aria-labelledby="jobs-title">
      <h2 id="jobs-title">{t('jobs.title')}</h2>
      <div class="filters">
        <div class="field">
          <label for="jobs-state">{t('status.label')}</label>
          <select id="jobs-state" value={state} onChange={(e) => setState(e.currentTarget.value)}>
            <option value="">{t('list.any')}</option>
            <option value="queued">{t('jobs.queued')}</option>
            <option value="done">{t('jobs.done')}</option>
            <option value="failed">{t('jobs.failed')}</option>
          </select>
        </div>
        <div class="field">
          <label for="jobs-topic">{t('res.kind')}</label>
          <select id="jobs-topic" value={topic} onChange={(e) => setTopic(e.currentTarget.value)}>
            <option value="">{t('list.any')}</option>
            <option value="mail">{t('jobs.mail')}</option>
            <option value="webhook">{t('jobs.webhook')}</option>
            <option value="reminder">{t('jobs.reminder')}</option>
            <option value="line">{t('jobs.line')}</option>
            <option value="zoom">{t('jobs.zoom')}</option>
          </select>
        </div>
      </div>
      <JobTable key={q.toString()} path={`/api/v1/jobs?${q.toString()}`} zone={props.zone} retry />
    </section>
  );
}

function JobTable(props: { path: string; zone: string; retry?: boolean }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Job[] | null>(null);
  const { busy, problem, run } = useSubmit();
  const load = async () => setItems((await api<{ items: Job[] }>('GET', props.path)).items);
  useEffect(() => {
    void run(load);
  }, [props.path]);
  if (!items) return problem ? <Alert>{problem}</Alert> : <Loading />;
  return (
    <>
      {problem ? <Alert>{problem}</Alert> : null}
      {items.length === 0 ? (
        <p>{t('jobs.none')}</p>
      ) : (
        <table class="list">
          <caption>{t('list.count', { n: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.when')}</th>
              <th scope="col">{t('jobs.what')}</th>
              <th scope="col">{t('status.label')}</th>
              <th scope="col">{t('jobs.attempts')}</th>
              <th scope="col">{t('jobs.error')}</th>
              {props.retry ? <th scope="col">{t('op.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((j) => (
              <tr key={j.id}>
                <td>{formatInstant(j.created_at, props.zone, locale)}</td>
                <td>
                  <code>{j.kind}</code> {j.ref}
                </td>
                <td>{t(`jobs.${j.state}`)}</td>
                <td>{j.attempts}</td>
                <td>{j.last_error || '—'}</td>
                {props.retry ? (
                  <td>
                    {j.state === 'failed' ? (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() =>
                          void run(async () => {
                            await api('POST', `/api/v1/jobs/${j.id}/retry`);
                            await load();
                          })
                        }
                      >
                        {t('jobs.retry', { n: j.id })}
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
