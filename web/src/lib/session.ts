// The browser's session (one cookie per origin): who is signed in, and signing out.
import { api, ApiError, setCsrfToken } from './api';
import type { Locale } from './datetime';

export interface WhoAmI {
  account: { id: number; role: string; name?: string; email?: string; locale?: Locale | null };
  tenant_id: number;
  tenant?: { code: string; name: string; time_zone: string; locale: Locale };
  csrf_token: string;
}

/** The signed-in account (its CSRF token armed for later calls), or null when none is. */
export async function currentSession(): Promise<WhoAmI | null> {
  try {
    const who = await api<WhoAmI>('GET', '/api/v1/session');
    setCsrfToken(who.csrf_token);
    return who;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function signOut(): Promise<void> {
  await api('DELETE', '/api/v1/session').catch(() => undefined);
  setCsrfToken('');
}

/** Confirms the password before a sensitive action; the session rotates, with a new CSRF token. */
export async function confirmPassword(password: string): Promise<void> {
  const fresh = await api<{ csrf_token: string }>('POST', '/api/v1/session/reauthenticate', { body: { password } });
  setCsrfToken(fresh.csrf_token);
}
