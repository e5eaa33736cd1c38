// The tenant admin console (/admin): sign-in with the authenticator, then the bookings
// calendar. Loaded on demand, so the public booking page does not carry it.
import { useEffect, useState } from 'preact/hooks';
import { Alert, Layout, Loading } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { usePath } from '../../lib/router';
import { BookingCalendar } from './calendar';
import { BookingList } from './bookings';
import { Tokens } from './tokens';
import { SignIn, type SignedIn } from '../../components/sign-in';
import { currentSession, signOut as endSession, type WhoAmI } from '../../lib/session';
import { Enrol } from './enrol';

type State =
  | { kind: 'loading' }
  | { kind: 'signed-out' }
  | { kind: 'enrol' }
  | { kind: 'in'; who: WhoAmI }
  | { kind: 'error' };

export default function Admin() {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const path = usePath().replace(/\/+$/, '');

  async function load() {
    try {
      const who = await currentSession();
      // A customer's session (same origin) does not open the console.
      setState(who && who.account.role !== 'customer' ? { kind: 'in', who } : { kind: 'signed-out' });
    } catch {
      setState({ kind: 'error' });
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function signOut() {
    await endSession();
    setState({ kind: 'signed-out' });
  }

  let body;
  switch (state.kind) {
    case 'loading':
      body = <Loading />;
      break;
    case 'error':
      body = <Alert>{t('app.error')}</Alert>;
      break;
    case 'signed-out':
      body = (
        <SignIn
          onSignedIn={(s: SignedIn) => (s.mfa_enrolment_required ? setState({ kind: 'enrol' }) : void load())}
        />
      );
      break;
    case 'enrol':
      body = <Enrol onDone={() => void load()} />;
      break;
    case 'in':
      body = state.who.tenant ? (
        <>
          <p class="who">
            {state.who.tenant.name} · {state.who.account.email ?? state.who.account.role}{' '}
            <button type="button" class="link" onClick={() => void signOut()}>
              {t('admin.signout')}
            </button>
          </p>
          <AdminNav path={path} />
          {path === '/admin/tokens' ? (
            <Tokens zone={state.who.tenant.time_zone} />
          ) : path === '/admin/bookings' ? (
            <BookingList zone={state.who.tenant.time_zone} />
          ) : (
            <BookingCalendar zone={state.who.tenant.time_zone} />
          )}
        </>
      ) : (
        <Alert>{t('app.not_found')}</Alert>
      );
      break;
  }
  return (
    <Layout title={t('admin.title')} heading={t('admin.title')} home="/admin" wide>
      {body}
    </Layout>
  );
}

const sections = [
  { path: '/admin', label: 'admin.calendar' },
  { path: '/admin/bookings', label: 'list.title' },
  { path: '/admin/tokens', label: 'tokens.title' },
] as const;

function AdminNav(props: { path: string }) {
  const { t } = useI18n();
  return (
    <nav aria-label={t('admin.nav')} class="tabs">
      {sections.map((s) => (
        <a key={s.path} href={s.path} aria-current={props.path === s.path ? 'page' : undefined}>
          {t(s.label)}
        </a>
      ))}
    </nav>
  );
}
