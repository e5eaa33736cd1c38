// The kiosk's offline side: the day's pack kept (localStorage) and refreshed every minute
// while online, tickets checked without the network, the scans made meanwhile kept
// (IndexedDB) and sent when the network is back, with what the server made of them.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { checkOffline, readTicket, ticketKey, type OfflineAnswer, type Pack } from './offline';
import { forget, keep, kept } from './queue';

const packKey = 'yoyaku.kiosk.pack';

function storedPack(): Pack | null {
  try {
    const text = localStorage.getItem(packKey);
    return text ? (JSON.parse(text) as Pack) : null;
  } catch {
    return null;
  }
}

export interface Synced {
  sent: number;
  conflicts: number;
}

export function useOffline(token: string, device: string) {
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine);
  const [pending, setPending] = useState(0);
  const [synced, setSynced] = useState<Synced | null>(null);
  const pack = useRef<Pack | null>(storedPack());
  const used = useRef(new Map<string, { at: string; device: string }>());
  const auth = { Authorization: `Bearer ${token}` };

  async function refresh() {
    try {
      const p = await api<Pack>('GET', '/api/v1/checkin/pack', { headers: auth });
      pack.current = p;
      localStorage.setItem(packKey, JSON.stringify(p));
    } catch {
      // Offline or refused: the pack kept is used.
    }
  }

  async function sync() {
    const scans = await kept().catch(() => []);
    if (!scans.length) return;
    try {
      const r = await api<{ results: { outcome: string }[] }>('POST', '/api/v1/checkin/sync', {
        headers: auth,
        body: { scans: scans.map((s) => ({ token: s.token, device: s.device, scanned_at: s.scanned_at })) },
      });
      await forget(scans.map((s) => s.id ?? 0));
      setPending(0);
      setSynced({ sent: scans.length, conflicts: r.results.filter((x) => x.outcome === 'conflict').length });
      await refresh();
    } catch {
      // Still unreachable: tried again when the network comes back.
    }
  }

  useEffect(() => {
    // Scans kept before a reload count as this device's admissions.
    void kept()
      .then((scans) => {
        setPending(scans.length);
        for (const s of scans) {
          const c = readTicket(s.token);
          if (c) used.current.set(ticketKey(c.reference, c.number), { at: s.scanned_at, device: s.device });
        }
      })
      .catch(() => undefined);
    void refresh().then(sync);
    const up = () => {
      setOnline(true);
      void sync();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    const timer = window.setInterval(() => {
      if (navigator.onLine) void refresh();
    }, 60_000);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
      window.clearInterval(timer);
    };
  }, [token]);

  /** Checks a ticket without the network; an admission is kept to be sent later. */
  async function check(ticket: string): Promise<OfflineAnswer> {
    const p = pack.current;
    if (!p) return { outcome: 'invalid', claims: null, known: null };
    const now = new Date();
    const answer = await checkOffline(ticket, p, used.current, now);
    if (answer.outcome === 'admitted' && answer.claims) {
      used.current.set(ticketKey(answer.claims.reference, answer.claims.number), { at: now.toISOString(), device });
      await keep({ token: ticket, device, scanned_at: now.toISOString() });
      setPending((n) => n + 1);
    }
    return answer;
  }

  return { online, pending, synced, hasPack: pack.current !== null, check };
}
