// The booking site as the venue's LIFF app: LINE opens /t/{code}/liff (its endpoint URL), or
// /t/{code}/liff/{path} for a deep link (https://liff.line.me/{liffId}/{path}). The LIFF SDK
// (@line/liff, loaded only here) signs the LINE user in (inside LINE at once; in a browser
// through LINE's login), the server checks its ID token with LINE and opens a session, and the
// site goes on to {path}. The profile's name fills the sign-up form of a LINE user the venue
// does not know. After booking, "LINEに戻る" closes the window back to the chat.
import { useEffect, useState } from 'preact/hooks';
import { Alert, Loading } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { api, ApiError, enc } from '../../lib/api';
import type { PublicOfferings } from '../../lib/types';

const OPENED_IN_LIFF = 'yoyaku.liff';
const DEEP_PATH = 'yoyaku.liff.path';

// This tab's memory (none in a private window: then no deep link survives LINE's login, and the
// way back to the chat is LINE's own).
function remember(key: string, value: string) {
  try {
    if (value) sessionStorage.setItem(key, value);
    else sessionStorage.removeItem(key);
  } catch {
    // storage refused
  }
}
function recall(key: string): string {
  try {
    return sessionStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

type Liff = (typeof import('@line/liff/core'))['default'];

// The pluggable SDK with only what this page uses: no legacy extensions or translations fetched
// from LINE's CDN (which the page's CSP would refuse anyway).
let started: Promise<Liff> | null = null;
function liffFor(liffId: string): Promise<Liff> {
  started ??= startLiff(liffId);
  return started;
}
async function startLiff(liffId: string): Promise<Liff> {
  const [core, IsLoggedIn, Login, GetIDToken, GetDecodedIDToken, CloseWindow] = await Promise.all([
    import('@line/liff/core'),
    import('@line/liff/is-logged-in'),
    import('@line/liff/login'),
    import('@line/liff/get-id-token'),
    import('@line/liff/get-decoded-id-token'),
    import('@line/liff/close-window'),
  ]);
  const liff = core.default;
  for (const Plugin of [IsLoggedIn, Login, GetIDToken, GetDecodedIDToken, CloseWindow]) liff.use(new Plugin.default());
  await liff.init({ liffId });
  return liff;
}

/** True when this tab came in through the venue's LIFF app (so it can close back to LINE). */
export function openedInLiff(code: string): boolean {
  return recall(OPENED_IN_LIFF) === code;
}

export function LiffEntry(props: { site: PublicOfferings; path: string }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState('');
  const code = props.site.tenant.code;
  const liffId = props.site.tenant.line_liff_id ?? '';
  useEffect(() => {
    if (!liffId) return;
    let gone = false;
    void (async () => {
      try {
        const liff = await liffFor(liffId);
        if (!liff.isLoggedIn()) {
          // Outside LINE: LINE's login, then back to the LIFF page itself with a code the SDK
          // exchanges; a deep link's path waits in this tab meanwhile.
          remember(DEEP_PATH, props.path);
          liff.login({ redirectUri: `${location.origin}/t/${enc(code)}/liff` });
          return;
        }
        const path = props.path || recall(DEEP_PATH) || '/';
        remember(DEEP_PATH, '');
        const idToken = liff.getIDToken();
        if (!idToken) throw new Error(t('liff.failed'));
        const { to } = await api<{ to: string }>('POST', `/api/v1/public/${enc(code)}/line/liff`, {
          body: { id_token: idToken, return_to: path },
        });
        remember(OPENED_IN_LIFF, code);
        const name = liff.getDecodedIDToken()?.name;
        if (!gone) location.replace(to.includes('#token=') && name ? `${to}&name=${encodeURIComponent(name)}` : to);
      } catch (e) {
        if (!gone) setProblem(e instanceof ApiError || e instanceof Error ? e.message : t('liff.failed'));
      }
    })();
    return () => {
      gone = true;
    };
  }, [liffId, code, props.path]);
  if (!liffId) return <Alert>{t('liff.not_offered')}</Alert>;
  if (problem)
    return (
      <div class="stack">
        <Alert>{problem}</Alert>
        <p>
          <a href={`/t/${enc(code)}`}>{t('liff.without_line')}</a>
        </p>
      </div>
    );
  return <Loading />;
}

/** "LINEに戻る": closes the LIFF window back to the chat. */
export function BackToLine(props: { liffId: string }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState('');
  return (
    <p>
      <button
        type="button"
        class="line"
        onClick={() =>
          void liffFor(props.liffId)
            .then((liff) => liff.closeWindow())
            .catch((e: unknown) => setProblem(e instanceof Error ? e.message : t('liff.failed')))
        }
      >
        {t('liff.back_to_line')}
      </button>
      {problem ? <span class="problem"> {problem}</span> : null}
    </p>
  );
}
