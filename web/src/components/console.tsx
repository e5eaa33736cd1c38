// The frame of the staff consoles (tenant admin, operator): who is signed in, sign-in with the
// authenticator (enrolment first where it is required), sign-out, and a menu of sections.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/ja';
import { usePath } from '../lib/router';
import { currentSession, signOut as endSession, type WhoAmI } from '../lib/session';
import { Enrol } from './enrol';
import { Alert, Layout, Loading } from './layout';
import { SignIn, type SignedIn } from './sign-in';

type State =
  | { kind: 'loading' }
  | { kind: 'signed-out' }
  | { kind: 'enrol' }
  | { kind: 'in'; who: WhoAmI }
  | { kind: 'error' };

export interface Section {
  path: string;
  label: MessageKey;
  /** Only these roles see it (default: everyone the console admits). */
  roles?: readonly string[];
}

export function Console(props: {
  title: MessageKey;
  home: string;
  sections: readonly Section[];
  /** Whose session opens this console (another role's session asks to sign in). */
  admits: (who: WhoAmI) => boolean;
  /** Operators sign in without a venue code. */
  platform?: boolean;
  children: (who: WhoAmI, path: string, signedOut: () => void) => ComponentChildren;
}) {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const path = usePath().replace(/\/+$/, '');

  async function load() {
    try {
      const who = await currentSession();
      setState(who && props.admits(who) ? { kind: 'in', who } : { kind: 'signed-out' });
    } catch {
      setState({ kind: 'error' });
    }
  }
  useEffect(() => {
    void load();
  }, []);

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
          {...(props.platform ? { tenant: '' } : {})}
          onSignedIn={(s: SignedIn) => (s.mfa_enrolment_required ? setState({ kind: 'enrol' }) : void load())}
        />
      );
      break;
    case 'enrol':
      body = <Enrol onDone={() => void load()} />;
      break;
    case 'in':
      body = (
        <>
          <p class="who">
            {state.who.tenant ? `${state.who.tenant.name} · ` : ''}
            {state.who.account.email ?? state.who.account.role}{' '}
            <button
              type="button"
              class="link"
              onClick={() => void endSession().then(() => setState({ kind: 'signed-out' }))}
            >
              {t('admin.signout')}
            </button>
          </p>
          <nav aria-label={t('admin.nav')} class="tabs">
            {props.sections
              .filter((s) => !s.roles || s.roles.includes(state.who.account.role))
              .map((s) => (
              <a key={s.path} href={s.path} aria-current={path === s.path ? 'page' : undefined}>
                {t(s.label)}
              </a>
            ))}
          </nav>
          {props.children(state.who, path, () => setState({ kind: 'signed-out' }))}
        </>
      );
      break;
  }
  return (
    <Layout title={t(props.title)} heading={t(props.title)} home={props.home} wide>
      {body}
    </Layout>
  );
}
