import { describe, expect, it } from 'vitest';
import { checkOffline, readTicket, signedBy, type Pack } from './offline';

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

async function keyPair() {
  const k = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pub = new Uint8Array(await crypto.subtle.exportKey('raw', k.publicKey));
  const sign = async (body: string) => {
    const signed = `YT1.${b64url(new TextEncoder().encode(body))}`;
    const sig = new Uint8Array(await crypto.subtle.sign('Ed25519', k.privateKey, new TextEncoder().encode(signed)));
    return `${signed}.${b64url(sig)}`;
  };
  return { publicKey: b64url(pub), sign };
}

const body = (ref: string, n: number, tenant = 'demo') => `${tenant}|1|${ref}|${n}|42|adult||1800000000|1800010000`;
const during = new Date(1800005000 * 1000);

describe('offline ticket checks', () => {
  it('reads, verifies and admits a genuine ticket once per device', async () => {
    const k = await keyPair();
    const token = await k.sign(body('K7M2Q9X4TB', 1));
    expect(readTicket(token)).toMatchObject({ tenant: 'demo', keyId: 1, reference: 'K7M2Q9X4TB', number: 1, occurrence: 42 });
    expect(await signedBy(token, k.publicKey)).toBe(true);
    const pack: Pack = { tenant_code: 'demo', generated_at: '', keys: [{ key_id: 1, public_key: k.publicKey }], tickets: [] };
    const used = new Map<string, { at: string; device: string }>();
    expect((await checkOffline(token, pack, used, during)).outcome).toBe('admitted');
    used.set('K7M2Q9X4TB-1', { at: '2027-01-15T08:00:00Z', device: '東口' });
    const again = await checkOffline(token, pack, used, during);
    expect(again.outcome).toBe('used');
    expect(again.firstDevice).toBe('東口');
    expect((await checkOffline(token, pack, new Map(), new Date(1800020000 * 1000))).outcome).toBe('not_valid_now');
  });

  it('refuses forged, altered, foreign, revoked and already admitted tickets', async () => {
    const k = await keyPair();
    const other = await keyPair();
    const pack: Pack = {
      tenant_code: 'demo',
      generated_at: '',
      keys: [{ key_id: 1, public_key: k.publicKey }],
      tickets: [
        { reference: 'REVOKED001', number: 1, offering_name: '', ticket_type_name: '', seat: '', revoked_at: '2027-01-01T00:00:00Z', checked_in_at: null, checked_in_device: '' },
        { reference: 'ADMITTED01', number: 2, offering_name: '', ticket_type_name: '', seat: '', revoked_at: null, checked_in_at: '2027-01-01T00:00:00Z', checked_in_device: '西口' },
      ],
    };
    const none = new Map<string, { at: string; device: string }>();
    const outcome = async (token: string) => (await checkOffline(token, pack, none, during)).outcome;
    expect(await outcome(await other.sign(body('FORGED0001', 1)))).toBe('invalid');
    const genuine = await k.sign(body('GENUINE001', 1));
    const forgedBody = await other.sign(body('GENUINE001', 9));
    expect(await outcome(forgedBody.slice(0, forgedBody.lastIndexOf('.')) + genuine.slice(genuine.lastIndexOf('.')))).toBe('invalid');
    expect(await outcome(await k.sign(body('FOREIGN001', 1, 'hall')))).toBe('invalid');
    expect(await outcome(await k.sign(body('REVOKED001', 1)))).toBe('revoked');
    const admitted = await checkOffline(await k.sign(body('ADMITTED01', 2)), pack, none, during);
    expect(admitted.outcome).toBe('used');
    expect(admitted.firstDevice).toBe('西口');
    expect(await outcome('K7M2Q9X4TB')).toBe('invalid');
  });
});
