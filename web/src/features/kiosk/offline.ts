// Checking signed tickets with no network (ADR 0021). A kiosk keeps the day's pack (the
// tenant's public keys, the revoked and the admitted tickets) and checks a ticket's Ed25519
// signature with WebCrypto, its tenant, its validity window, the revocations and the
// admissions it knows of (the pack's and its own). What it admits offline it keeps and sends
// later (queue.ts); the server then decides conflicts: the first scan wins.

export interface Claims {
  tenant: string;
  keyId: number;
  reference: string;
  number: number;
  occurrence: number;
  type: string;
  seat: string;
  validFrom: number; // ms since the epoch
  validUntil: number;
}

export interface PackTicket {
  reference: string;
  number: number;
  offering_name: string;
  ticket_type_name: string;
  seat: string;
  revoked_at: string | null;
  checked_in_at: string | null;
  checked_in_device: string;
}

export interface Pack {
  tenant_code: string;
  generated_at: string;
  keys: { key_id: number; public_key: string }[];
  tickets: PackTicket[];
}

export type OfflineOutcome = 'admitted' | 'used' | 'revoked' | 'not_valid_now' | 'invalid';

export interface OfflineAnswer {
  outcome: OfflineOutcome;
  claims: Claims | null;
  known: PackTicket | null;
  firstAt?: string;
  firstDevice?: string;
}

/** A ticket's key in maps of admissions: "REFERENCE-number". */
export function ticketKey(reference: string, number: number): string {
  return `${reference}-${number}`;
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  try {
    const bin = atob(b64);
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** The claims a token states, unchecked; null for anything not shaped as a ticket. */
export function readTicket(token: string): Claims | null {
  if (!token.startsWith('YT1.') || token.length > 1024) return null;
  const parts = token.slice(4).split('.');
  if (parts.length !== 2) return null;
  const body = fromBase64url(parts[0] ?? '');
  if (!body) return null;
  const f = new TextDecoder().decode(body).split('|');
  if (f.length !== 9) return null;
  const int = (s: string | undefined) => (s !== undefined && /^\d{1,19}$/.test(s) ? Number(s) : NaN);
  const c: Claims = {
    tenant: f[0] ?? '',
    keyId: int(f[1]),
    reference: f[2] ?? '',
    number: int(f[3]),
    occurrence: int(f[4]),
    type: f[5] ?? '',
    seat: f[6] ?? '',
    validFrom: int(f[7]) * 1000,
    validUntil: int(f[8]) * 1000,
  };
  if (!c.tenant || !c.reference || !c.type || !(c.keyId > 0) || !(c.number > 0)) return null;
  if ([c.occurrence, c.validFrom, c.validUntil].some((n) => Number.isNaN(n))) return null;
  return c;
}

/** True when the token's signature is the (base64url) public key's. */
export async function signedBy(token: string, publicKey: string): Promise<boolean> {
  const dot = token.lastIndexOf('.');
  const key = fromBase64url(publicKey);
  const signature = fromBase64url(token.slice(dot + 1));
  if (dot < 4 || !key || key.length !== 32 || !signature || signature.length !== 64) return false;
  try {
    const k = await crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify('Ed25519', k, signature, new TextEncoder().encode(token.slice(0, dot)));
  } catch {
    return false;
  }
}

/**
 * Checks a ticket against the pack and this device's own admissions (`used`: ticketKey →
 * when and where), at `now`.
 */
export async function checkOffline(
  token: string,
  pack: Pack,
  used: Map<string, { at: string; device: string }>,
  now: Date,
): Promise<OfflineAnswer> {
  const claims = readTicket(token);
  const invalid: OfflineAnswer = { outcome: 'invalid', claims, known: null };
  if (!claims || claims.tenant !== pack.tenant_code) return invalid;
  const key = pack.keys.find((k) => k.key_id === claims.keyId);
  if (!key || !(await signedBy(token, key.public_key))) return invalid;
  const id = ticketKey(claims.reference, claims.number);
  const known = pack.tickets.find((t) => ticketKey(t.reference, t.number) === id) ?? null;
  if (known?.revoked_at) return { outcome: 'revoked', claims, known };
  const t = now.getTime();
  if (t < claims.validFrom || t > claims.validUntil) return { outcome: 'not_valid_now', claims, known };
  const mine = used.get(id);
  if (mine) return { outcome: 'used', claims, known, firstAt: mine.at, firstDevice: mine.device };
  if (known?.checked_in_at)
    return { outcome: 'used', claims, known, firstAt: known.checked_in_at, firstDevice: known.checked_in_device };
  return { outcome: 'admitted', claims, known };
}
