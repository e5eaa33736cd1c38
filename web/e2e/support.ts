// What the browser journeys share: the server under test (YOYAKU_URL), Debian's Chromium
// driven by playwright-core, a page that records script errors and CSP refusals, and axe-core.
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { encode } from 'uqr';
import { expect } from 'vitest';

export const baseUrl = (() => {
  const url = process.env.YOYAKU_URL;
  if (!url) throw new Error('YOYAKU_URL must name the server under test');
  return url.replace(/\/$/, '');
})();

// Through a TLS proxy with a throw-away certificate (tests/system/nginx_proxy.sh) the browser
// accepts it; node's own requests trust it through NODE_EXTRA_CA_CERTS.
const selfSigned = process.env.YOYAKU_E2E_SELF_SIGNED === '1';

export function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.YOYAKU_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      ...extraArgs,
      ...(selfSigned ? ['--ignore-certificate-errors'] : []),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Watched {
  page: Page;
  /** Script errors and CSP refusals seen so far (a journey ends expecting none). */
  problems: string[];
}

export const phone: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

export async function open(browser: Browser, options: BrowserContextOptions = {}): Promise<Watched> {
  const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'UTC', ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return { page, problems };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2.2 A/AA rules) on the page: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  let bad = await seriousViolations(page);
  if (bad.length) {
    // A page caught mid-render (a calendar still laying out) is asked again once it settled:
    // what stays is a fault.
    console.warn(`axe on ${what} asked again after: ${bad.join('; ')}`);
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    bad = await seriousViolations(page);
  }
  expect(bad, `accessibility of ${what}`).toEqual([]);
}

async function seriousViolations(page: Page): Promise<string[]> {
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const r = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return r.violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function json<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const init: RequestInit = { method, headers: { 'Content-Type': 'application/json', ...headers } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const r = await fetch(baseUrl + path, init);
  return { status: r.status, body: (await r.json()) as T };
}

/** Creates something through the API as the signed-in staff member of `page` (their session
 * cookie and CSRF token): 201 expected; the new object's id. */
export async function staffCreate(page: Page, path: string, data: unknown): Promise<number> {
  const who = (await (await page.request.get(`${baseUrl}/api/v1/session`)).json()) as { csrf_token: string };
  const r = await page.request.post(`${baseUrl}${path}`, { headers: { 'X-CSRF-Token': who.csrf_token }, data });
  expect(r.status(), path).toBe(201);
  return ((await r.json()) as { id: number }).id;
}

export async function seatsLeft(occurrence: number): Promise<number> {
  const r = await json<{ items: { occurrences?: { id: number; seats_left: number }[] }[] }>(
    'GET',
    '/api/v1/public/demo/offerings',
  );
  for (const o of r.body.items) for (const x of o.occurrences ?? []) if (x.id === occurrence) return x.seats_left;
  throw new Error(`occurrence ${occurrence} is not listed`);
}

/** The first occurrence of the demo offering whose name includes `name`, and its full name. */
export async function offeringOccurrence(name: string): Promise<{ name: string; occurrence: number; startsAt: string }> {
  const r = await json<{ items: { name: string; occurrences?: { id: number; starts_at: string }[] }[] }>(
    'GET',
    '/api/v1/public/demo/offerings',
  );
  const offering = r.body.items.find((o) => o.name.includes(name));
  const all = [...(offering?.occurrences ?? [])].sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  if (!offering || !all[0]) throw new Error(`${name} has no occurrence`);
  return { name: offering.name, occurrence: all[0].id, startsAt: all[0].starts_at };
}

/** The demo concert's first evening (the first time the slot calendar offers). */
export async function firstOccurrence(): Promise<number> {
  return (await offeringOccurrence('デモ演奏会')).occurrence;
}

/** The RFC 6238 code of a base32 secret for the 30-second step `step` (default: now). */
export function totp(secret: string, step = Math.floor(Date.now() / 30_000)): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const at = mac[mac.length - 1]! & 0xf;
  const n = (mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}

/** The text parts (base64, as Yoyaku sends them) of every mail to `to` so far, newest last. */
function mailsTo(to: string): string[] {
  const dir = process.env.YOYAKU_MAILDIR;
  if (!dir) throw new Error('YOYAKU_MAILDIR must name the SMTP server\'s mailbox');
  let names: string[] = [];
  try {
    names = readdirSync(join(dir, 'new')).sort();
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of names) {
    const raw = readFileSync(join(dir, 'new', name), 'utf8');
    if (!new RegExp(`^To: <${to.replace(/[.+]/g, '\\$&')}>`, 'm').test(raw)) continue;
    const parts = raw.split(/^Content-Transfer-Encoding: base64\r?\n\r?\n/m).slice(1);
    found.push(parts.map((p) => Buffer.from(p.split(/\r?\n\r?\n|\r?\n--/)[0] ?? '', 'base64').toString('utf8')).join('\n'));
  }
  return found;
}

/** Waits for a mail to `to` that contains `pattern`; answers the first match. */
export async function mailLink(to: string, pattern: RegExp): Promise<string> {
  let hit: string | undefined;
  await expect
    .poll(
      () => {
        for (const text of mailsTo(to)) hit = pattern.exec(text)?.[0] ?? hit;
        return hit !== undefined;
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBe(true);
  return hit!;
}

/**
 * A camera for Chromium's fake capture device: a Y4M video whose frames show `text` as a QR
 * code, black on white, as a phone held up to the kiosk would.
 */
export function qrCamera(text: string): string {
  const qr = encode(text, { border: 4 });
  const width = 640;
  const height = 480;
  const scale = Math.floor(Math.min(width, height) / qr.size / 1.2);
  const left = Math.floor((width - qr.size * scale) / 2);
  const top = Math.floor((height - qr.size * scale) / 2);
  const y = Buffer.alloc(width * height, 235);
  qr.data.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++) y.fill(16, (top + r * scale + dy) * width + left + c * scale, (top + r * scale + dy) * width + left + (c + 1) * scale);
    }),
  );
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  const file = join(tmpdir(), `yoyaku-qr-${text}.y4m`);
  writeFileSync(
    file,
    Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]),
  );
  return file;
}
