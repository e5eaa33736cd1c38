// The tenant admin console (/admin): sign-in with the authenticator, then the bookings
// calendar. Loaded on demand, so the public booking page does not carry it.
import { useEffect, useState } from 'preact/hooks';
import { Alert, Layout, Loading } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { api, ApiError, setCsrfToken } from '../../lib/api';
import { BookingCalendar } from './calendar';
import { Enrol, SignIn, type SignedIn } from './signin';

interface WhoAmI {
  account: { id: number; role: string; name?: string; email?: string };
  tenant_id: number;
  tenant?: { code: string; name: string; time_zone: string; locale: string };
  csrf_token: string;
}

type State =
  | { kind: 'loading' }
  | { kind: 'signed-out' }
  | { kind: 'enrol' }
  | { kind: 'in'; who: WhoAmI }
  | { kind: 'error' };

export default function Admin() {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ kind: 'loading' });

  async function load() {
    try {
      const who = await api<WhoAmI>('GET', '/api/v1/session');
      setCsrfToken(who.csrf_token);
      setState({ kind: 'in', who });
    } catch (e) {
      setState({ kind: e instanceof ApiError && e.status === 401 ? 'signed-out' : 'error' });
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function signOut() {
    await api('DELETE', '/api/v1/session').catch(() => undefined);
    setCsrfToken('');
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
          <BookingCalendar zone={state.who.tenant.time_zone} />
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
