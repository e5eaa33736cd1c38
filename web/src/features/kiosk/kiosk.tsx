// The kiosk (/kiosk): a tablet at the entrance. A kiosk token (made by a manager in the admin
// console) signs it in. It checks bookings in from their QR code through the camera
// (BarcodeDetector where the browser has it, the jsQR decoder otherwise) or from a typed
// reference, and shows the answer in large type; a second check-in is refused visibly.
// Loaded on demand: the decoder stays off every other page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { TextField } from '../../components/field';
import { Alert, Layout } from '../../components/layout';
import { useI18n } from '../../i18n/i18n';
import { api, ApiError, enc } from '../../lib/api';
import type { Booking } from '../../lib/types';
import type { OfflineAnswer } from './offline';
import { useOffline } from './use-offline';

const tokenKey = 'yoyaku.kiosk.token';

function storedToken(): string {
  try {
    return localStorage.getItem(tokenKey) ?? '';
  } catch {
    return '';
  }
}

function storeToken(token: string): void {
  try {
    if (token) localStorage.setItem(tokenKey, token);
    else localStorage.removeItem(tokenKey);
  } catch {
    // Without storage the token lasts as long as the page.
  }
}

interface ScanAnswer {
  outcome: string;
  message: string;
  ticket: { reference: string; number: number; offering_name: string; ticket_type_name: string; seat: string } | null;
  payment_state: string;
  party: number;
  party_checked_in: number;
}

type Outcome =
  | { kind: 'in'; booking: Booking }
  | { kind: 'ticket'; answer: ScanAnswer }
  | { kind: 'offline'; answer: OfflineAnswer }
  | { kind: 'again'; reference: string; detail: string }
  | { kind: 'missing'; reference: string }
  | { kind: 'refused'; reference: string; detail: string };

export default function Kiosk() {
  const { t } = useI18n();
  const [token, setToken] = useState(storedToken);
  const [revoked, setRevoked] = useState(false);
  return (
    <Layout title={t('kiosk.title')} wide>
      {token ? (
        <CheckIn
          token={token}
          onRevoked={() => {
            storeToken('');
            setToken('');
            setRevoked(true);
          }}
        />
      ) : (
        <TokenForm
          revoked={revoked}
          onToken={(x) => {
            storeToken(x);
            setToken(x);
          }}
        />
      )}
    </Layout>
  );
}

function TokenForm(props: { revoked: boolean; onToken: (token: string) => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  return (
    <form
      class="stack narrow"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) props.onToken(value.trim());
      }}
    >
      <h1>{t('kiosk.title')}</h1>
      <p>{t('kiosk.token_intro')}</p>
      {props.revoked ? <Alert>{t('kiosk.token_refused')}</Alert> : null}
      <TextField id="kiosk-token" label={t('kiosk.token')} type="password" value={value} onInput={setValue} />
      <button type="submit" class="primary">
        {t('kiosk.token_submit')}
      </button>
    </form>
  );
}

function CheckIn(props: { token: string; onRevoked: () => void }) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [scanning, setScanning] = useState(false);
  const busy = useRef(false);
  const last = useRef({ text: '', at: 0 });
  const offline = useOffline(props.token, t('kiosk.title'));

  // A signed ticket (its QR code) is checked per ticket; anything else is a booking reference.
  // Without the network the kiosk checks it itself and sends the scan later.
  async function scanTicket(token: string) {
    busy.current = true;
    try {
      if (!navigator.onLine) {
        setOutcome({ kind: 'offline', answer: await offline.check(token) });
        return;
      }
      const answer = await api<ScanAnswer>('POST', '/api/v1/checkin/scans', {
        headers: { Authorization: `Bearer ${props.token}` },
        body: { token, device: t('kiosk.title') },
      });
      setOutcome({ kind: 'ticket', answer });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) props.onRevoked();
      else if (e instanceof ApiError && e.status === 409) setOutcome({ kind: 'again', reference: '', detail: e.detail });
      else if (e instanceof ApiError) setOutcome({ kind: 'refused', reference: '', detail: e.detail });
      // The network failed on the way: checked here, sent later.
      else setOutcome({ kind: 'offline', answer: await offline.check(token) });
    } finally {
      busy.current = false;
    }
  }

  async function checkIn(raw: string) {
    if (raw.trim().startsWith('YT1.')) {
      if (!busy.current) await scanTicket(raw.trim());
      return;
    }
    const reference = raw.trim().toUpperCase();
    if (!reference || busy.current) return;
    busy.current = true;
    try {
      const booking = await api<Booking>('POST', `/api/v1/bookings/${enc(reference)}/check-in`, {
        headers: { Authorization: `Bearer ${props.token}` },
      });
      setOutcome({ kind: 'in', booking });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) props.onRevoked();
      else if (e instanceof ApiError && e.status === 409) setOutcome({ kind: 'again', reference, detail: e.detail });
      else if (e instanceof ApiError && e.status === 404) setOutcome({ kind: 'missing', reference });
      else setOutcome({ kind: 'refused', reference, detail: e instanceof ApiError ? e.detail : t('app.error') });
    } finally {
      busy.current = false;
    }
  }

  // The camera sees the same code many times a second: one try per code every few seconds.
  function scanned(text: string) {
    const now = Date.now();
    if (text === last.current.text && now - last.current.at < 4000) return;
    last.current = { text, at: now };
    void checkIn(text);
  }

  return (
    <>
      <h1>{t('kiosk.title')}</h1>
      <Result outcome={outcome} />
      <form
        class="kiosk-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void checkIn(typed);
          setTyped('');
        }}
      >
        <label for="kiosk-reference">{t('kiosk.reference')}</label>
        <input
          id="kiosk-reference"
          autoComplete="off"
          autoCapitalize="characters"
          value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
        <button type="submit" class="primary">
          {t('kiosk.submit')}
        </button>
      </form>
      <p>
        <button type="button" onClick={() => setScanning(!scanning)}>
          {scanning ? t('kiosk.camera_stop') : t('kiosk.camera_start')}
        </button>
      </p>
      {scanning ? <Scanner onCode={scanned} /> : null}
      {!offline.online || offline.pending ? <p role="status">{t('kiosk.offline', { n: offline.pending })}</p> : null}
      {offline.synced ? (
        <p role="status" data-testid="kiosk-synced">
          {t('kiosk.synced', { n: offline.synced.sent })}
          {offline.synced.conflicts ? ` ${t('kiosk.conflicts', { n: offline.synced.conflicts })}` : ''}
        </p>
      ) : null}
    </>
  );
}

function Result(props: { outcome: Outcome | null }) {
  const { t } = useI18n();
  const o = props.outcome;
  // One live region, always present, so each new answer is read out.
  return (
    <div class={`kiosk-result ${o ? (o.kind === 'in' || o.kind === 'ticket' || (o.kind === 'offline' && o.answer.outcome === 'admitted') ? 'ok' : 'bad') : ''}`} role="status" data-testid="kiosk-result">
      {o?.kind === 'in' ? (
        <>
          <p class="big">{t('kiosk.checked_in')}</p>
          <p class="reference">{o.booking.reference}</p>
          <p>{t('kiosk.seats', { n: o.booking.seats })}</p>
        </>
      ) : null}
      {o?.kind === 'ticket' && o.answer.ticket ? (
        <>
          <p class="big">{t('kiosk.ticket_in')}</p>
          <p class="reference">
            {o.answer.ticket.reference}-{o.answer.ticket.number}
          </p>
          <p>
            {o.answer.ticket.offering_name} {o.answer.ticket.ticket_type_name} {o.answer.ticket.seat}
          </p>
          <p>{t('kiosk.party', { in: o.answer.party_checked_in, n: o.answer.party })}</p>
          {o.answer.payment_state === 'unpaid' ? <p>{t('kiosk.unpaid')}</p> : null}
        </>
      ) : null}
      {o?.kind === 'offline' ? <OfflineResult answer={o.answer} /> : null}
      {o?.kind === 'again' ? (
        <>
          <p class="big">{t('kiosk.already')}</p>
          <p class="reference">{o.reference}</p>
          <p>{o.detail}</p>
        </>
      ) : null}
      {o?.kind === 'missing' ? (
        <>
          <p class="big">{t('kiosk.not_found')}</p>
          <p class="reference">{o.reference}</p>
        </>
      ) : null}
      {o?.kind === 'refused' ? (
        <>
          <p class="big">{t('kiosk.refused')}</p>
          <p class="reference">{o.reference}</p>
          <p>{o.detail}</p>
        </>
      ) : null}
      {!o ? <p class="muted">{t('kiosk.waiting')}</p> : null}
    </div>
  );
}

function OfflineResult(props: { answer: OfflineAnswer }) {
  const { t } = useI18n();
  const a = props.answer;
  const label = a.claims ? `${a.claims.reference}-${a.claims.number}` : '';
  const title = {
    admitted: t('kiosk.offline_in'),
    used: t('kiosk.already'),
    revoked: t('kiosk.revoked'),
    not_valid_now: t('kiosk.not_now'),
    invalid: t('kiosk.invalid'),
  }[a.outcome];
  return (
    <>
      <p class="big">{title}</p>
      {label ? <p class="reference">{label}</p> : null}
      {a.known ? (
        <p>
          {a.known.offering_name} {a.known.ticket_type_name} {a.known.seat}
        </p>
      ) : null}
      {a.firstAt ? <p>{t('kiosk.first_use', { at: a.firstAt, device: a.firstDevice ?? '' })}</p> : null}
    </>
  );
}

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
interface DetectorClass {
  new (options: { formats: string[] }): Detector;
  getSupportedFormats(): Promise<string[]>;
}

/** The browser's own QR reader when it has one that reads QR codes. */
async function nativeDetector(): Promise<Detector | null> {
  const Native = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (!Native) return null;
  try {
    return (await Native.getSupportedFormats()).includes('qr_code') ? new Native({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

type Decode = (video: HTMLVideoElement) => Promise<string | null>;

async function makeDecoder(): Promise<Decode> {
  const native = await nativeDetector();
  if (native) return async (video) => (await native.detect(video))[0]?.rawValue ?? null;
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d', { willReadFrequently: true });
  return async (video) => {
    if (!g || !video.videoWidth) return null;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    g.drawImage(video, 0, 0);
    const image = g.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
  };
}

function Scanner(props: { onCode: (text: string) => void }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState(false);
  const onCode = useRef(props.onCode);
  onCode.current = props.onCode;

  useEffect(() => {
    let stopped = false;
    let timer = 0;
    let stream: MediaStream | null = null;
    const start = async () => {
      try {
        const got = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        const v = video.current;
        if (stopped || !v) {
          got.getTracks().forEach((track) => track.stop());
          return;
        }
        stream = got;
        v.srcObject = got;
        await v.play();
        const decode = await makeDecoder();
        const tick = async () => {
          if (stopped) return;
          const text = await decode(v).catch(() => null);
          if (text) onCode.current(text);
          timer = window.setTimeout(() => void tick(), 200);
        };
        void tick();
      } catch {
        if (!stopped) setProblem(true);
      }
    };
    void start();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);
  return (
    <div class="scanner">
      {problem ? <Alert>{t('kiosk.camera_failed')}</Alert> : null}
      <video ref={video} muted playsInline aria-label={t('kiosk.camera')} />
    </div>
  );
}
