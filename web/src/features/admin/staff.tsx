// Staff accounts and their rights: add a manager or staff member (they choose their password
// from a set-up link), change the role, limit a staff member to chosen resources and
// offerings, disable or enable, lift a lockout, clear a lost authenticator, delete. Role
// changes, deleting and clearing need the password again.
import { useEffect, useState } from 'preact/hooks';
import { ShownOnce } from '../../components/shown-once';
import { Loading } from '../../components/layout';
import { useFreshSubmit } from '../../components/reauth';
import { useI18n } from '../../i18n/i18n';
import { api } from '../../lib/api';
import { formatInstant } from '../../lib/datetime';
import { scopeSummary, StaffScopeEditor, type StaffScope } from './staff-scope';

interface Account {
  id: number;
  role: 'manager' | 'staff';
  status: 'active' | 'disabled';
  email: string;
  name: string;
  has_password: boolean;
  locked_until: string | null;
  last_login_at: string | null;
  scope?: StaffScope;
}

export function Staff(props: { zone: string; self: number }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Account[] | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'staff' | 'manager'>('staff');
  const [link, setLink] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [scoping, setScoping] = useState<Account | null>(null);
  const { busy, problem, field, act, prompt } = useFreshSubmit();
  const load = async () => setItems((await api<{ items: Account[] }>('GET', '/api/v1/staff')).items);
  useEffect(() => {
    void act(load);
  }, []);
  const change = (work: () => Promise<unknown>, message: string) =>
    act(async () => {
      await work();
      setNote(message);
      await load();
    });
  const invalid = (f: string) =>
    field === f ? { 'aria-invalid': true as const, 'aria-describedby': 'staff-error' } : {};

  return (
    <>
      <h1>{t('team.title')}</h1>
      {prompt}
      {note ? <p role="status">{note}</p> : null}
      <ShownOnce intro={t('team.setup_link')} value={link} testId="staff-setup-link" />
      <form
        class="card filters"
        noValidate
        aria-labelledby="staff-new"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const made = await api<{ setup_link?: string }>('POST', '/api/v1/staff', { body: { name, email, role } });
            setLink(made.setup_link ?? null);
            setName('');
            setEmail('');
            await load();
          });
        }}
      >
        <h2 id="staff-new" class="span">
          {t('team.new')}
        </h2>
        <div class="field">
          <label for="s-name">{t('details.name')}</label>
          <input id="s-name" value={name} onInput={(e) => setName(e.currentTarget.value)} {...invalid('name')} />
        </div>
        <div class="field">
          <label for="s-email">{t('details.email')}</label>
          <input id="s-email" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} {...invalid('email')} />
        </div>
        <div class="field">
          <label for="s-role">{t('team.role')}</label>
          <select id="s-role" value={role} onChange={(e) => setRole(e.currentTarget.value === 'manager' ? 'manager' : 'staff')}>
            <option value="staff">{t('team.role_staff')}</option>
            <option value="manager">{t('team.role_manager')}</option>
          </select>
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {t('team.add')}
        </button>
      </form>
      {problem ? (
        <p class="alert" role="alert" id="staff-error">
          {problem}
        </p>
      ) : null}
      {scoping ? (
        <StaffScopeEditor
          key={scoping.id}
          id={scoping.id}
          name={scoping.name}
          scope={scoping.scope ?? { limited: false, resource_ids: [], offering_ids: [] }}
          onDone={(message) => {
            setScoping(null);
            if (message) {
              setNote(message);
              void act(load);
            }
          }}
        />
      ) : null}
      {!items ? (
        <Loading />
      ) : (
        <table class="list">
          <caption>{t('team.list', { n: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('details.name')}</th>
              <th scope="col">{t('details.email')}</th>
              <th scope="col">{t('team.role')}</th>
              <th scope="col">{t('status.label')}</th>
              <th scope="col">{t('team.last_login')}</th>
              <th scope="col">{t('scope.column')}</th>
              <th scope="col">{t('op.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => {
              const path = `/api/v1/staff/${a.id}`;
              const self = a.id === props.self;
              const locked = a.locked_until !== null && Date.parse(a.locked_until) > Date.now();
              return (
                <tr key={a.id} data-testid={`staff-${a.email}`}>
                  <td>{a.name}</td>
                  <td>{a.email}</td>
                  <td>{a.role === 'manager' ? t('team.role_manager') : t('team.role_staff')}</td>
                  <td>
                    {a.status === 'disabled' ? t('team.disabled') : !a.has_password ? t('team.invited') : t('team.active')}
                    {locked ? ` · ${t('team.locked')}` : ''}
                  </td>
                  <td>{a.last_login_at ? formatInstant(a.last_login_at, props.zone, locale) : '—'}</td>
                  <td data-testid={`scope-of-${a.email}`}>{a.role === 'staff' ? scopeSummary(a.scope, t) : t('scope.all')}</td>
                  <td class="group">
                    {self ? (
                      <span class="muted">{t('team.you')}</span>
                    ) : (
                      <>
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() =>
                            void change(
                              () => api('PATCH', path, { body: { role: a.role === 'manager' ? 'staff' : 'manager' } }),
                              t('team.changed', { name: a.name }),
                            )
                          }
                        >
                          {a.role === 'manager'
                            ? t('team.make_staff', { name: a.name })
                            : t('team.make_manager', { name: a.name })}
                        </button>
                        {a.role === 'staff' ? (
                          <button type="button" disabled={busy} onClick={() => setScoping(a)}>
                            {t('scope.choose', { name: a.name })}
                          </button>
                        ) : null}
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() =>
                            void change(
                              () => api('PATCH', path, { body: { status: a.status === 'active' ? 'disabled' : 'active' } }),
                              t('team.changed', { name: a.name }),
                            )
                          }
                        >
                          {a.status === 'active' ? t('team.disable', { name: a.name }) : t('team.enable', { name: a.name })}
                        </button>
                        {locked ? (
                          <button
                            type="button"
                            disabled={busy}
                            onClick={() => void change(() => api('POST', `${path}/unlock`), t('team.changed', { name: a.name }))}
                          >
                            {t('team.unlock', { name: a.name })}
                          </button>
                        ) : null}
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => void change(() => api('POST', `${path}/reset-mfa`), t('team.mfa_cleared', { name: a.name }))}
                        >
                          {t('team.reset_mfa', { name: a.name })}
                        </button>
                        <button
                          type="button"
                          class="danger"
                          disabled={busy}
                          onClick={() => void change(() => api('DELETE', path), t('team.deleted', { name: a.name }))}
                        >
                          {t('team.delete', { name: a.name })}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
