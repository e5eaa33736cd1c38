// The demo manager signs in (setting up the authenticator the first time, then with a code),
// finds a guest's booking in the calendar and cancels it; the seats come back. Then, still
// signed in, makes a kiosk token; a kiosk with a camera checks a booking in from its QR code
// and refuses the second check-in; a guest books two numbered seats, prints them, and the kiosk
// checks both in with the network cut.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baseUrl, expectAccessible, firstOccurrence, json, launch, mailLink, offeringOccurrence, open, phone, qrCamera, seatsLeft, staffCreate, totp } from './support';

let browser: Browser;
/** The manager's signed-in page, which the kiosk journey goes on with. */
let manager: Page | undefined;
/** The kiosk token the manager made, which the seated journey's kiosk uses again. */
let kioskToken = '';
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('the manager signs in with TOTP, finds the booking in the calendar and cancels it', async () => {
  const concert = await offeringOccurrence('デモ演奏会');
  const occurrence = concert.occurrence;
  const booked = await fetch(`${baseUrl}/api/v1/public/demo/bookings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-manager-${Date.now()}` },
    body: JSON.stringify({
      occurrence_id: occurrence,
      tickets: { adult: 2 },
      customer: { name: '管理 太郎', email: 'taro@example.jp' },
    }),
  });
  expect(booked.status).toBe(201);
  const reference = ((await booked.json()) as { reference: string }).reference;
  const before = await seatsLeft(occurrence);

  const { page, problems } = await open(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  manager = page;
  const signIn = async () => {
    await page.getByLabel('施設コード').fill('demo');
    await page.getByLabel('メールアドレス').fill('manager@demo.example');
    await page.getByLabel('パスワード').fill('Sakura-Demo-4821');
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  };
  await page.goto(`${baseUrl}/admin`);
  await page.getByRole('heading', { name: 'ログイン' }).waitFor();
  await expectAccessible(page, 'the sign-in form');
  await signIn();

  // First sign-in: the manager must set up an authenticator.
  const secretShown = page.getByTestId('totp-secret');
  await secretShown.waitFor({ timeout: 30_000 });
  const secret = (await secretShown.textContent()) ?? '';
  await expectAccessible(page, 'the authenticator set-up');
  const step = Math.floor(Date.now() / 30_000);
  await page.getByLabel('認証アプリの6桁のコード').fill(totp(secret, step));
  await page.getByRole('button', { name: '確認する' }).click();
  await expect.poll(() => page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
  await page.getByRole('button', { name: '管理画面へ進む' }).click();
  await page.getByRole('heading', { name: '予約カレンダー' }).waitFor();

  // Sign out and in again, now with a code from the authenticator (the next step: each code
  // works once).
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await page.getByRole('heading', { name: 'ログイン' }).waitFor();
  await signIn();
  await page.getByLabel('認証アプリの6桁のコード').fill(totp(secret, step + 1));
  await page.getByRole('button', { name: '確認する' }).click();
  await page.getByRole('heading', { name: '予約カレンダー' }).waitFor();

  // Find the booking: month view, forward to the concert's month (the calendar counts months in
  // UTC, with the venue's wall-clock times: the demo evenings fall on the same date in both).
  // Each month's bookings arrive after its grid renders: wait for each answer, however busy the
  // machine, then for the booking to be drawn.
  const monthLoaded = () =>
    page.waitForResponse((r) => r.url().includes('/api/v1/bookings?') && r.request().method() === 'GET', {
      timeout: 30_000,
    });
  const event = page.locator('.calendar').getByText(reference);
  const month = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();
  const evening = new Date(new Date(concert.startsAt).valueOf() + 9 * 3_600_000);
  const ahead = month(evening) - month(new Date());
  let loaded = monthLoaded();
  await page.getByRole('button', { name: '月', exact: true }).click();
  await loaded;
  for (let i = 0; i < ahead; i++) {
    loaded = monthLoaded();
    await page.getByRole('button', { name: '次へ' }).click();
    await loaded;
  }
  // The calendar shows the concert's month (not a week: the toolbar acts only on a calendar
  // that exists, so no click is lost).
  const monthTitle = `${evening.getUTCFullYear()}年${evening.getUTCMonth() + 1}月`;
  await expect.poll(() => page.locator('.cal-title').textContent()).toBe(monthTitle);
  // Once in about ten runs on a loaded machine the drawn booking vanishes from the month (same
  // title, its text gone) before the click lands: cause not found yet. Then the month is loaded
  // again (back and forth) and the booking must show and open; each retry is logged.
  for (let attempt = 1; ; attempt++) {
    await event.first().waitFor({ timeout: 30_000 });
    const clicked = await event
      .first()
      .click({ timeout: 5_000 })
      .then(
        () => true,
        () => false,
      );
    if (clicked) break;
    console.warn(`calendar: ${reference} vanished from ${await page.locator('.cal-title').textContent()} before the click (attempt ${attempt})`);
    if (attempt === 3) throw new Error(`${reference} kept vanishing from the calendar`);
    loaded = monthLoaded();
    await page.getByRole('button', { name: '前へ' }).click();
    await loaded;
    loaded = monthLoaded();
    await page.getByRole('button', { name: '次へ' }).click();
    await loaded;
  }
  await page.getByRole('heading', { name: `予約 ${reference}` }).waitFor();
  expect(await page.locator('.panel').textContent()).toContain('管理 太郎');
  await expectAccessible(page, 'the calendar with a booking open');
  await page.getByRole('button', { name: 'この予約をキャンセルする' }).click();
  await page.getByRole('button', { name: 'キャンセルを確定する' }).click();
  await expect.poll(() => page.getByTestId('booking-status').textContent()).toBe('キャンセル済み');
  expect(await seatsLeft(occurrence)).toBe(before + 2);
  expect(problems).toEqual([]);
}, 120_000);

test('a kiosk checks a booking in from its QR code and refuses a second check-in', async () => {
  if (!manager) throw new Error('the manager journey did not sign in');
  const page = manager;
  await page.getByRole('link', { name: 'キオスク・連携トークン' }).click();
  await page.getByRole('heading', { name: 'キオスク・連携トークン' }).waitFor();
  await page.getByLabel('名前').fill('入口の受付');
  expect(await page.getByLabel('有効期間').inputValue(), 'tokens live a year unless told otherwise').toBe('365');
  await page.getByRole('button', { name: '作成する' }).click();
  const shown = page.getByTestId('new-token');
  await shown.waitFor();
  const token = (await shown.textContent())?.trim() ?? '';
  expect(token).toMatch(/^yk_/);
  kioskToken = token;
  await page.getByRole('cell', { name: '入口の受付', exact: true }).waitFor();
  const tokenRow = page.getByRole('row').filter({ hasText: '入口の受付' });
  expect(await tokenRow.textContent(), 'the list shows when the token expires').toContain(String(new Date().getFullYear() + 1));
  await expectAccessible(page, 'the tokens screen');

  // Check-in opens 12 hours before the start: the manager adds a talk two hours from now (its
  // own offering, so the demo concert's first evening stays what the other journeys book).
  const post = (path: string, data: unknown) => staffCreate(page, path, data);
  const talk = await post('/api/v1/offerings', {
    kind: 'event',
    name: '受付確認トーク',
    published: true,
    ticket_types: [{ code: 'adult', name: '一般', price_jpy: 500 }],
  });
  const soon = Date.now() + 2 * 3600_000;
  const occurrence = await post(`/api/v1/offerings/${talk}/occurrences`, {
    starts_at: new Date(soon).toISOString(),
    ends_at: new Date(soon + 3600_000).toISOString(),
    capacity: 20,
  });
  const booked = await fetch(`${baseUrl}/api/v1/public/demo/bookings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-kiosk-${Date.now()}` },
    body: JSON.stringify({
      occurrence_id: occurrence,
      tickets: { adult: 2 },
      customer: { name: '受付 次郎', email: 'jiro@example.jp' },
    }),
  });
  expect(booked.status).toBe(201);
  const reference = ((await booked.json()) as { reference: string }).reference;

  // The kiosk's camera shows the booking's QR code (Chromium's fake capture device).
  const kioskBrowser = await launch([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${qrCamera(reference)}`,
  ]);
  try {
    const { page: kiosk, problems } = await open(kioskBrowser, { viewport: { width: 1024, height: 768 } });
    await kiosk.context().grantPermissions(['camera'], { origin: baseUrl });
    await kiosk.goto(`${baseUrl}/kiosk`);
    await kiosk.getByLabel('キオスク用トークン').fill(token);
    await kiosk.getByRole('button', { name: 'この端末を受付にする' }).click();
    await kiosk.getByLabel('予約番号').waitFor();
    await expectAccessible(kiosk, 'the kiosk');
    await kiosk.getByRole('button', { name: 'カメラでQRコードを読み取る' }).click();
    const result = kiosk.getByTestId('kiosk-result');
    await expect.poll(() => result.textContent(), { timeout: 30_000 }).toContain('受付しました');
    expect(await result.textContent()).toContain(reference);
    await kiosk.getByRole('button', { name: 'カメラを止める' }).click();

    // The same booking again, typed: refused, and the screen says so.
    await kiosk.getByLabel('予約番号').fill(reference.toLowerCase());
    await kiosk.getByRole('button', { name: '受付する' }).click();
    await expect.poll(() => result.textContent()).toContain('受付済みです');
    await expectAccessible(kiosk, 'a refused second check-in');

    // Signed tickets, one per person: the first online, the second with the network cut (the
    // kiosk checks the signature itself and keeps the scan), then sent when it is back.
    const party = await fetch(`${baseUrl}/api/v1/public/demo/bookings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-tickets-${Date.now()}` },
      body: JSON.stringify({
        occurrence_id: occurrence,
        tickets: { adult: 2 },
        customer: { name: '受付 三郎', email: 'saburo@example.jp' },
      }),
    });
    expect(party.status).toBe(201);
    const partyRef = ((await party.json()) as { reference: string }).reference;
    const listed = await json<{ tickets: { token: string }[] }>('POST', `/api/v1/public/demo/bookings/${partyRef}/tickets`, {
      email: 'saburo@example.jp',
    });
    const [first, second] = listed.body.tickets.map((x) => x.token);
    if (!first || !second) throw new Error('two tickets expected');
    await kiosk.reload();
    await kiosk.getByLabel('予約番号').fill(first);
    await kiosk.getByRole('button', { name: '受付する' }).click();
    await expect.poll(() => result.textContent()).toContain('入場できます');
    expect(await result.textContent()).toContain('1 / 2 名 入場済み');
    await kiosk.context().setOffline(true);
    await kiosk.getByLabel('予約番号').fill(second);
    await kiosk.getByRole('button', { name: '受付する' }).click();
    await expect.poll(() => result.textContent()).toContain('入場できます（オフライン）');
    await kiosk.getByText('未送信 1 件').waitFor();
    await kiosk.getByLabel('予約番号').fill(second);
    await kiosk.getByRole('button', { name: '受付する' }).click();
    await expect.poll(() => result.textContent()).toContain('受付済みです');
    await kiosk.getByLabel('予約番号').fill(`${second.slice(0, -3)}AAA`);
    await kiosk.getByRole('button', { name: '受付する' }).click();
    await expect.poll(() => result.textContent()).toContain('無効なチケットです');
    await expectAccessible(kiosk, 'the kiosk offline');
    await kiosk.context().setOffline(false);
    await expect.poll(() => kiosk.getByTestId('kiosk-synced').textContent()).toContain('1 件の読み取りを送信しました');
    const after = await page.evaluate(
      async (ref) => (await (await fetch(`/api/v1/bookings/${ref}/tickets`)).json()) as { tickets: { checked_in_at: string | null }[] },
      partyRef,
    );
    expect(after.tickets.every((x) => x.checked_in_at !== null), 'both tickets are in on the server').toBe(true);
    expect(problems).toEqual([]);
  } finally {
    await kioskBrowser.close();
  }
  // The manager finds it in the bookings list by the guest's address: checked in.
  await page.getByRole('link', { name: '予約一覧' }).click();
  await page.getByRole('heading', { name: '予約一覧' }).waitFor();
  await page.getByLabel('メールアドレス（完全一致）').fill('jiro@example.jp');
  await page.getByRole('button', { name: '検索' }).click();
  const row = page.getByRole('row', { name: new RegExp(reference) });
  await row.waitFor();
  // The unfiltered list may still show until the search answers: wait for the one row.
  await expect.poll(() => page.locator('.list tbody tr').count()).toBe(1);
  expect(await row.textContent()).toContain('受付済み');
  await row.getByRole('button', { name: `${reference} を開く` }).click();
  await page.getByRole('heading', { name: `予約 ${reference}` }).waitFor();
  await expectAccessible(page, 'the bookings list with a booking open');
});

test('a guest books two seats on the map, prints the tickets, and the kiosk checks both in offline', async () => {
  if (!manager || !kioskToken) throw new Error('the kiosk journey did not make a token');
  const page = manager;
  // A talk in the demo's small hall two hours from now (check-in is open), S席 dearer.
  const maps = await page.evaluate(
    async () => (await (await fetch('/api/v1/seat-maps')).json()) as { seat_maps: { id: number; name: string }[] },
  );
  const hall = maps.seat_maps.find((m) => m.name.startsWith('小ホール'));
  if (!hall) throw new Error('the demo hall is missing');
  const talk = await staffCreate(page, '/api/v1/offerings', {
    kind: 'event',
    name: '座席指定トーク',
    published: true,
    seat_map_id: hall.id,
    ticket_types: [{ code: 'adult', name: '一般', price_jpy: 2000, category_prices: { S: 3000 } }],
  });
  const soon = Date.now() + 2 * 3600_000;
  await staffCreate(page, `/api/v1/offerings/${talk}/occurrences`, {
    starts_at: new Date(soon).toISOString(),
    ends_at: new Date(soon + 3600_000).toISOString(),
    capacity: 28,
  });

  const { page: guest, problems } = await open(browser, { acceptDownloads: true });
  await guest.goto(`${baseUrl}/t/demo`);
  await guest.getByRole('link', { name: /座席指定トーク/ }).click();
  const firstTime = guest.locator('.times button').first();
  await firstTime.waitFor();
  await firstTime.click();
  await guest.getByLabel(/一般/).fill('2');
  await guest.getByRole('radio', { name: '座席を選ぶ' }).check();
  await guest.getByRole('button', { name: /^A 列 3 番/ }).click();
  await guest.getByRole('button', { name: /^B 列 3 番/ }).click();
  await expect.poll(() => guest.locator('.total').textContent()).toContain('5,000');
  await guest.getByLabel(/^お名前/).fill('座席 四郎');
  await guest.getByLabel(/^メールアドレス/).fill('shiro@example.jp');
  await guest.getByRole('button', { name: '予約を確定する' }).click();
  await guest.waitForURL(/\/t\/demo\/done\/[0-9A-Z]{10}$/);
  const reference = (await guest.getByTestId('reference').textContent())?.trim() ?? '';

  // The mail carries two QR codes, each captioned with its seat.
  await mailLink('shiro@example.jp', new RegExp(`${reference}-1 .*A-3`));
  await mailLink('shiro@example.jp', new RegExp(`${reference}-2 .*B-3`));
  // The printable tickets: one panel per seat, in Japanese.
  await guest.goto(`${baseUrl}/t/demo/manage?ref=${reference}`);
  await guest.getByLabel('予約したメールアドレス').fill('shiro@example.jp');
  await guest.getByRole('button', { name: '予約を表示' }).click();
  await expect.poll(() => guest.getByTestId('ticket').count()).toBe(2);
  const download = guest.waitForEvent('download');
  await guest.getByRole('button', { name: 'チケットを印刷（PDF）' }).click();
  const pdf = execFileSync('pdftotext', ['-layout', (await (await download).path()) ?? '', '-'], { encoding: 'utf8' });
  for (const text of ['座席指定トーク', `${reference}-1`, `${reference}-2`, 'A-3', 'B-3', '座席'])
    expect(pdf, `the PDF says ${text}`).toContain(text);
  const listed = await json<{ tickets: { token: string }[] }>('POST', `/api/v1/public/demo/bookings/${reference}/tickets`, {
    email: 'shiro@example.jp',
  });
  const [first, second] = listed.body.tickets.map((x) => x.token);
  if (!first || !second) throw new Error('two tickets expected');

  // The kiosk loads the keys and the day's occurrences, then the network is cut: both seats
  // are let in on the signature alone, and the scans go up when the network is back.
  const { page: kiosk, problems: kioskProblems } = await open(browser, { viewport: { width: 1024, height: 768 } });
  await kiosk.goto(`${baseUrl}/kiosk`);
  await kiosk.getByLabel('キオスク用トークン').fill(kioskToken);
  await kiosk.getByRole('button', { name: 'この端末を受付にする' }).click();
  await kiosk.getByLabel('予約番号').waitFor();
  await expect.poll(() => kiosk.evaluate(() => localStorage.getItem('yoyaku.kiosk.pack') !== null)).toBe(true);
  await kiosk.context().setOffline(true);
  const result = kiosk.getByTestId('kiosk-result');
  for (const token of [first, second]) {
    await kiosk.getByLabel('予約番号').fill(token);
    await kiosk.getByRole('button', { name: '受付する' }).click();
    await expect.poll(() => result.textContent()).toContain('入場できます（オフライン）');
  }
  await kiosk.getByText('未送信 2 件').waitFor();
  await kiosk.context().setOffline(false);
  await expect.poll(() => kiosk.getByTestId('kiosk-synced').textContent()).toContain('2 件の読み取りを送信しました');
  const after = await page.evaluate(
    async (ref) => (await (await fetch(`/api/v1/bookings/${ref}/tickets`)).json()) as { tickets: { checked_in_at: string | null }[] },
    reference,
  );
  expect(after.tickets.every((x) => x.checked_in_at !== null), 'both seats are in on the server').toBe(true);
  expect(problems).toEqual([]);
  expect(kioskProblems).toEqual([]);
});

test('the manager draws a hall on the grid, keeps house seats and moves a customer to other seats', async () => {
  if (!manager) throw new Error('the manager journey did not sign in');
  const page = manager;
  await page.getByRole('link', { name: '座席表', exact: true }).click();
  await page.getByRole('heading', { name: '座席表' }).waitFor();
  await page.getByRole('button', { name: '新しい座席表' }).click();
  await page.getByLabel('名前', { exact: true }).fill('練習ホール');
  await page.getByLabel('コード（英数字）').fill('S');
  await page.getByLabel('席種の名前').fill('S席');
  await page.getByRole('button', { name: '席種を追加' }).click();
  await page.getByLabel('列の数').fill('2');
  await page.getByLabel('1列の席数').fill('6');
  await page.getByLabel('何席ごとに通路を空けるか（0: なし）').fill('3');
  await page.getByRole('button', { name: '列を追加' }).click();
  await page.getByRole('group', { name: 'B 列' }).waitFor();
  // Paint: A-1 not on sale, B-1 a wheelchair place; take B-6 away.
  await page.getByRole('radio', { name: '販売しない席（切り替え）' }).check();
  await page.getByRole('button', { name: /^A 列 1 番/ }).click();
  await page.getByRole('radio', { name: '車いす席' }).check();
  await page.getByRole('button', { name: /^B 列 1 番/ }).click();
  await page.getByRole('radio', { name: '席を消す' }).check();
  await page.getByRole('button', { name: /^B 列 6 番/ }).click();
  expect(await page.getByRole('button', { name: /^A 列 1 番/ }).getAttribute('aria-label')).toContain('販売しない席');
  expect(await page.getByRole('button', { name: /^B 列 1 番/ }).getAttribute('aria-label')).toContain('車いす席');
  await page.getByText('全 11 席（販売する席 10 席）').waitFor();
  await expectAccessible(page, 'the seat map editor');
  await page.getByRole('button', { name: '座席表を保存' }).click();
  const saved = page.getByRole('row').filter({ hasText: '練習ホール' });
  await saved.waitFor();
  expect(await saved.textContent()).toContain('10');

  // The staff's chart of the demo recital: a customer's seat moved in one step, seats kept.
  const recital = await offeringOccurrence('デモ室内楽リサイタル');
  const booked = await json<{ reference: string; seat_ids: string[] }>(
    'POST',
    '/api/v1/public/demo/bookings',
    { occurrence_id: recital.occurrence, tickets: { adult: 1 }, seats: ['C-5'], customer: { name: '移動 五郎', email: 'goro@example.jp' } },
    { 'Idempotency-Key': `e2e-chart-${Date.now()}` },
  );
  expect(booked.status).toBe(201);
  const reference = booked.body.reference;
  await page.getByRole('link', { name: '座席の管理' }).click();
  await page.getByLabel('公演', { exact: true }).selectOption({ label: recital.name });
  await page.getByLabel('日時', { exact: true }).selectOption({ index: 1 });
  await page.getByRole('group', { name: 'C 列' }).waitFor();
  expect(await page.getByRole('button', { name: /^C 列 5 番/ }).getAttribute('aria-label')).toContain(reference);
  await page.getByRole('button', { name: /^C 列 5 番/ }).click();
  await page.getByRole('button', { name: '選んだ予約の席を移す' }).click();
  await page.getByRole('button', { name: /^C 列 6 番/ }).click();
  await page.getByRole('button', { name: 'C-6 に移す' }).click();
  await page.getByText(`予約 ${reference} を C-6 に移しました。`).waitFor();
  const moved = await json<{ seat_ids: string[] }>('POST', `/api/v1/public/demo/bookings/${reference}/lookup`, { email: 'goro@example.jp' });
  expect(moved.body.seat_ids).toEqual(['C-6']);
  await page.getByRole('button', { name: /^B 列 1 番/ }).click();
  await page.getByRole('button', { name: /^B 列 2 番/ }).click();
  await page.getByRole('button', { name: '主催者の席として押さえる' }).click();
  await page.getByText('2 席を押さえました。').waitFor();
  const shown = await json<{ taken: string[] }>('GET', `/api/v1/public/demo/occurrences/${recital.occurrence}/seats`);
  expect(shown.body.taken).toEqual(expect.arrayContaining(['B-1', 'B-2', 'C-6']));
  expect(shown.body.taken).not.toContain('C-5');
  await expectAccessible(page, "a performance's seats");
});

test('the manager adds a staff member, reads the audit log, changes a setting and sees the sessions', async () => {
  if (!manager) throw new Error('the manager journey did not sign in');
  const page = manager;
  const email = `aki-${Date.now()}@demo.example`;
  await page.getByRole('link', { name: 'スタッフ', exact: true }).click();
  await page.getByRole('heading', { name: 'スタッフと権限' }).waitFor();
  await page.getByLabel('お名前').fill('受付 秋子');
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByRole('button', { name: '追加する' }).click();
  expect(await page.getByTestId('staff-setup-link').textContent()).toMatch(/\/setup#token=/);
  const row = page.getByTestId(`staff-${email}`);
  await expect.poll(() => row.textContent()).toContain('招待中');
  await page.getByRole('button', { name: '受付 秋子 さんを無効にする' }).click();
  await expect.poll(() => row.textContent()).toContain('無効');
  await expectAccessible(page, 'the staff screen');

  await page.getByRole('link', { name: '操作ログ' }).click();
  await page.getByRole('heading', { name: '操作ログ' }).waitFor();
  await page.getByLabel('操作（前方一致）').fill('account.disabled');
  await page.getByRole('button', { name: '検索' }).click();
  await expect.poll(() => page.locator('.list tbody tr').count()).toBe(1);
  await expectAccessible(page, 'the audit log');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'この条件でCSVをダウンロード' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  expect(csv.trim().split('\n')).toHaveLength(2);
  expect(csv).toContain('account.disabled');

  await page.getByRole('link', { name: 'セキュリティ' }).click();
  await page.getByRole('heading', { name: 'セキュリティ設定' }).waitFor();
  await page.getByLabel('ロックまでの連続失敗回数').fill('2');
  await page.getByRole('button', { name: '保存する' }).click();
  await expect.poll(() => page.getByLabel('ロックまでの連続失敗回数').getAttribute('aria-invalid')).toBe('true');
  await page.getByLabel('ロックまでの連続失敗回数').fill('6');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByText('保存しました').waitFor();
  // Staff networks: a list without the manager's own address is refused; with it, kept.
  const networks = page.getByLabel('管理者・スタッフがログインできるネットワーク');
  await networks.fill('203.0.113.0/24');
  await page.getByRole('button', { name: '保存する' }).click();
  await expect.poll(() => networks.getAttribute('aria-invalid')).toBe('true');
  await networks.fill('127.0.0.0/8, 203.0.113.0/24');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByText('保存しました').waitFor();
  expect(await networks.inputValue()).toBe('127.0.0.0/8, 203.0.113.0/24');
  await expect.poll(() => page.getByText('この端末').count()).toBe(1);
  await expectAccessible(page, 'the security settings and sessions');

  // Integrations: a webhook over plain http is refused at its field; the delivery log lists
  // the mails sent today.
  await page.getByRole('link', { name: '連携', exact: true }).click();
  await page.getByRole('heading', { name: '連携（Webhook）' }).waitFor();
  await page.getByLabel('送信先URL').fill('http://crm.example.jp/hook');
  await page.getByRole('button', { name: '追加する' }).click();
  await expect.poll(() => page.getByLabel('送信先URL').getAttribute('aria-invalid')).toBe('true');
  await page.getByLabel('状態').selectOption('done');
  await page.getByLabel('種類').selectOption('mail');
  await expect.poll(() => page.locator('.list tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(0);
  await expectAccessible(page, 'the integrations screen');
});

test('a staff member limited to the meeting room sees and books only its bookings', async () => {
  if (!manager) throw new Error('the manager journey did not sign in');
  const page = manager;
  const email = `haru-${Date.now()}@demo.example`;
  await page.getByRole('link', { name: 'スタッフ', exact: true }).click();
  await page.getByRole('heading', { name: 'スタッフと権限' }).waitFor();
  await page.getByLabel('お名前').fill('会議 春子');
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByRole('button', { name: '追加する' }).click();
  const setup = new URL((await page.getByTestId('staff-setup-link').textContent()) ?? '');
  await page.getByRole('button', { name: '会議 春子 さんの担当範囲を設定' }).click();
  await page.getByRole('heading', { name: '会議 春子 さんの担当範囲' }).waitFor();
  await page.getByTestId('scope-resource-デモ会議室 (Meeting room)').check();
  await expectAccessible(page, 'the staff scope editor');
  await page.getByRole('button', { name: '保存する' }).click();
  await expect.poll(() => page.getByTestId(`scope-of-${email}`).textContent()).toBe('リソース 1・メニュー 0');

  // The staff member chooses a password from the set-up link and signs in.
  const { page: desk, problems } = await open(browser, { viewport: { width: 1280, height: 900 } });
  await desk.goto(`${baseUrl}${setup.pathname}${setup.hash}`);
  await desk.getByLabel('新しいパスワード（12文字以上）').fill('Haru-Meeting-5931');
  await desk.getByRole('button', { name: 'パスワードを設定する' }).click();
  await desk.getByRole('link', { name: 'ログインへ' }).click();
  await desk.getByLabel('施設コード').fill('demo');
  await desk.getByLabel('メールアドレス').fill(email);
  await desk.getByLabel('パスワード').fill('Haru-Meeting-5931');
  await desk.getByRole('button', { name: 'ログイン', exact: true }).click();
  await desk.getByRole('heading', { name: '予約カレンダー' }).waitFor();

  // Books the meeting room for a customer (theirs), not the concert (not theirs: 404).
  const offerings = await json<{ items: { id: number; name: string }[] }>('GET', '/api/v1/public/demo/offerings');
  const room = offerings.body.items.find((o) => o.name.includes('デモ会議室'));
  if (!room) throw new Error('the demo meeting room is not offered');
  const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
  const free = await json<{ slots: { starts_at: string }[] }>(
    'GET',
    `/api/v1/public/demo/offerings/${room.id}/availability?from=${day(3)}&to=${day(5)}`,
  );
  const slot = free.body.slots[0];
  if (!slot) throw new Error('the meeting room has no free hour');
  const staffBook = (body: unknown) =>
    desk.evaluate(async (b) => {
      const who = (await (await fetch('/api/v1/session')).json()) as { csrf_token: string };
      const r = await fetch('/api/v1/bookings', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-CSRF-Token': who.csrf_token,
          'Idempotency-Key': `e2e-scope-${Math.random().toString(36).slice(2)}`,
        },
        body: JSON.stringify(b),
      });
      return { status: r.status, body: (await r.json()) as { reference?: string } };
    }, body);
  const customer = { name: '会議 次郎', email: 'jiro@example.jp' };
  const rented = await staffBook({ offering_id: room.id, starts_at: slot.starts_at, blocks: 1, customer });
  expect(rented.status).toBe(201);
  const concert = await staffBook({ occurrence_id: await firstOccurrence(), tickets: { adult: 1 }, customer });
  expect(concert.status).toBe(404);

  // Their list shows the meeting room's booking and none of the concert's; their offerings
  // filter offers the meeting room only.
  await desk.getByRole('link', { name: '予約一覧' }).click();
  await desk.getByRole('heading', { name: '予約一覧' }).waitFor();
  const table = desk.locator('table.list');
  await expect.poll(() => table.textContent()).toContain(rented.body.reference ?? '-');
  expect(await table.textContent()).not.toContain('デモ演奏会');
  expect(await desk.getByLabel('内容').locator('option').allTextContents()).toEqual(['すべて', 'デモ会議室 (Meeting room)']);
  await expectAccessible(desk, 'a limited staff member\'s bookings list');
  expect(problems).toEqual([]);
  await desk.context().close();
});

test('the manager sets up a room with its hours and a special day, and a published talk with a date', async () => {
  if (!manager) throw new Error('the manager journey did not sign in');
  const page = manager;
  await page.getByRole('link', { name: 'リソース', exact: true }).click();
  await page.getByRole('button', { name: 'リソースを追加' }).click();
  await page.locator('#res-name').fill('会議室A');
  await page.getByLabel('月', { exact: true }).fill('09:00-12:00, 13:00-17:00');
  await page.getByLabel('火', { exact: true }).fill('9-17');
  await page.getByRole('button', { name: '保存する' }).click();
  await expect.poll(() => page.getByLabel('火', { exact: true }).getAttribute('aria-invalid')).toBe('true');
  await expectAccessible(page, 'the resource form with an error');
  await page.getByLabel('火', { exact: true }).fill('09:00-17:00');
  await page.getByRole('button', { name: '保存する' }).click();
  const row = page.getByRole('row', { name: /会議室A/ });
  await expect.poll(() => row.textContent()).toContain('月 09:00-12:00, 13:00-17:00');
  await page.getByRole('button', { name: '会議室A を編集' }).click();
  await page.getByLabel('メモ').fill('設備点検');
  await page.getByRole('button', { name: '特別な日を設定' }).click();
  await page.getByText(/休み \(設備点検\)/).waitFor();
  await expectAccessible(page, 'the resource with a special day');

  await page.getByRole('link', { name: 'メニュー', exact: true }).click();
  await page.getByRole('button', { name: 'メニューを追加' }).click();
  await page.locator('#off-name').fill('春の講演会');
  await page.getByRole('group', { name: '券種 1' }).getByLabel('名前').fill('一般');
  await page.getByLabel('予約サイトに公開する').check();
  await page.getByLabel('料金（円・税込）').fill('1000');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByText('保存しました').waitFor();
  // Tomorrow in the venue's zone, so the date is ahead whatever the hour the test runs.
  const tomorrow = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date(Date.now() + 86_400_000));
  await page.getByLabel('日付').fill(tomorrow);
  await page.getByLabel('開始', { exact: true }).fill('18:30');
  await page.getByLabel('終了', { exact: true }).fill('20:00');
  await page.getByLabel('定員').fill('30');
  await page.getByRole('button', { name: '開催日を追加' }).click();
  await page.getByText('残り 30 / 30').waitFor();
  await expectAccessible(page, 'the offering form');

  const site = await json<{ items: { name: string; occurrences?: { capacity: number }[] }[] }>(
    'GET',
    '/api/v1/public/demo/offerings',
  );
  const talk = site.body.items.find((o) => o.name === '春の講演会');
  expect(talk?.occurrences?.map((x) => x.capacity)).toEqual([30]);

  // A class of customers with its own price and booking window.
  await page.getByRole('link', { name: '利用者区分', exact: true }).click();
  await page.getByLabel('名前').fill('市内在住');
  await page.getByLabel('料金の割合（%）').fill('80');
  await page.getByLabel(/何日前から予約できるか/).fill('90');
  await page.getByRole('button', { name: '追加する' }).click();
  await page.getByRole('cell', { name: '市内在住', exact: true }).waitFor();
  await expectAccessible(page, 'the user classes');
  const classes = (await page.evaluate(async () => (await fetch('/api/v1/user-classes')).json())) as { items: unknown[] };
  expect(classes.items).toContainEqual(
    expect.objectContaining({ name: '市内在住', price_percent: 80, opens_before_minutes: 129600 }),
  );

  // The venue's own wording of the confirmation mail, then back to the standard one.
  await page.getByRole('link', { name: 'メールの文面', exact: true }).click();
  await page.getByLabel('メール', { exact: true }).selectOption('booking_confirmed/ja');
  await page.getByLabel('文面（1行目は件名）').fill('ご予約ありがとうございます');
  await page.getByRole('button', { name: '保存する' }).click();
  // The refusal arrives with the server's answer: wait for the field to be marked.
  await expect.poll(() => page.getByLabel('文面（1行目は件名）').getAttribute('aria-invalid')).toBe('true');
  await page.getByText(/Subject/).first().waitFor();
  await page.getByLabel('文面（1行目は件名）').fill('Subject: 【{{tenant_name}}】ありがとうございます\n{{name}} 様、お待ちしています。');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByText('保存しました').waitFor();
  await expectAccessible(page, 'the mail wording');
  const wording = await page.evaluate(async () => (await fetch('/api/v1/mail-templates')).json());
  const mine = (wording as { items: { name: string; locale: string; custom: boolean; body: string }[] }).items.find(
    (w) => w.name === 'booking_confirmed' && w.locale === 'ja',
  );
  expect(mine).toMatchObject({ custom: true, body: 'Subject: 【{{tenant_name}}】ありがとうございます\n{{name}} 様、お待ちしています。' });
  await page.getByRole('button', { name: '標準の文面に戻す' }).click();
  await page.getByText('標準の文面に戻しました').waitFor();
});

test('the manager erases a guest who asked for it: refused while a booking is ahead, then done', async () => {
  if (!manager) throw new Error('the manager journey did not sign in');
  const page = manager;
  const email = `erase-${Date.now()}@example.jp`;
  const booked = await json<{ reference: string }>(
    'POST',
    '/api/v1/public/demo/bookings',
    { occurrence_id: await firstOccurrence(), tickets: { adult: 1 }, customer: { name: '削除 花子', email } },
    { 'Idempotency-Key': `e2e-erase-${Date.now()}` },
  );
  expect(booked.status).toBe(201);
  const reference = booked.body.reference;

  await page.getByRole('link', { name: 'データの書き出し' }).click();
  await page.getByRole('heading', { name: 'お客様のデータの削除' }).waitFor();
  const erase = async () => {
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByRole('button', { name: '削除する', exact: true }).click();
    await page.getByText(`${email} のデータをすべて削除しますか？`).waitFor();
    await page.getByRole('button', { name: '完全に削除する' }).click();
    // When the password was confirmed too long ago, it is asked for again, then the erasure goes on.
    const again = page.getByRole('heading', { name: 'パスワードの再確認' });
    const answered = page.locator('#erase-error, #erase-done');
    await expect.poll(async () => (await again.count()) + (await answered.count()), { timeout: 15_000 }).toBeGreaterThan(0);
    if ((await again.count()) > 0) {
      await page.locator('#reauth-password').fill('Sakura-Demo-4821');
      await page.getByRole('button', { name: '確認して続ける' }).click();
    }
  };
  await erase();
  await page.getByText('このお客様には今後の予約があります。先にキャンセルしてください。').waitFor();
  const lookup = () => json('POST', `/api/v1/public/demo/bookings/${reference}/lookup`, { email });
  expect((await lookup()).status).toBe(200);

  const cancelled = await json('POST', `/api/v1/public/demo/bookings/${reference}/cancel`, { email });
  expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
  await erase();
  await page.getByText('削除しました。予約 1 件を匿名化し').waitFor();
  expect((await lookup()).status).toBe(404);
  await expectAccessible(page, 'the data export and erasure screen');
});

test('the manager connects Stripe in test mode; a guest pays on the provider page and downloads the receipt; the manager refunds it', async () => {
  if (!manager) throw new Error('the manager journey did not sign in');
  const page = manager;
  const stripe = process.env.YOYAKU_STRIPE;
  if (!stripe) throw new Error('YOYAKU_STRIPE must name the Stripe stand-in');
  // Stripe's dashboard would be told where the venue's webhook is; the stand-in is told here.
  const hook = `${baseUrl}/api/v1/public/demo/payments/stripe/webhook`;
  expect((await fetch(`${stripe}/_standin/webhook_url?url=${encodeURIComponent(hook)}`, { method: 'POST' })).status).toBe(200);

  await page.getByRole('link', { name: '連携', exact: true }).click();
  await page.getByRole('heading', { name: 'オンライン決済（Stripe）' }).waitFor();
  await page.getByLabel('シークレットキー（sk_…）').fill(process.env.YOYAKU_STRIPE_KEY ?? '');
  await page.getByLabel('webhook署名シークレット（whsec_…）').fill(process.env.YOYAKU_STRIPE_WEBHOOK_SECRET ?? '');
  await page.getByRole('button', { name: 'キーを保存する' }).click();
  const again = page.getByRole('heading', { name: 'パスワードの再確認' });
  const status = page.getByTestId('stripe-account');
  await expect.poll(async () => (await again.count()) > 0 || /テストモード/.test((await status.textContent()) ?? '')).toBe(true);
  if ((await again.count()) > 0) {
    await page.locator('#reauth-password').fill('Sakura-Demo-4821');
    await page.getByRole('button', { name: '確認して続ける' }).click();
  }
  await expect.poll(() => status.textContent()).toContain('テストモードで連携中');
  expect(await page.getByLabel('シークレットキー（sk_…）').inputValue(), 'the key is not shown again').toBe('');
  await expectAccessible(page, 'the integrations screen with Stripe connected');

  // The venue is a registered issuer: its receipts are qualified invoices.
  await page.getByRole('link', { name: '売上・領収書', exact: true }).click();
  await page.getByLabel('登録番号（T＋13桁）').fill('T1234567890123');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByText('保存しました。').waitFor();

  // A talk paid when booking (its own offering: the demo concert stays paid on site).
  const post = (path: string, data: unknown) => staffCreate(page, path, data);
  const talk = await post('/api/v1/offerings', {
    kind: 'event',
    name: 'オンライン決済トーク',
    published: true,
    payment: 'online_now',
    ticket_types: [{ code: 'adult', name: '一般', price_jpy: 1500 }],
  });
  const day = Date.now() + 3 * 86400_000;
  await post(`/api/v1/offerings/${talk}/occurrences`, {
    starts_at: new Date(day).toISOString(),
    ends_at: new Date(day + 3600_000).toISOString(),
    capacity: 5,
  });

  // The guest books, pays on the provider's page and comes back to the booking, confirmed.
  const { page: guest, problems } = await open(browser, { ...phone, acceptDownloads: true });
  await guest.goto(`${baseUrl}/t/demo`);
  await guest.getByRole('link', { name: /オンライン決済トーク/ }).click();
  await guest.locator('.times button').first().click();
  await guest.getByLabel(/一般/).fill('1');
  await guest.getByLabel(/^お名前/).fill('決済 花子');
  await guest.getByLabel(/^メールアドレス/).fill('pay@example.jp');
  await guest.getByRole('button', { name: '予約を確定する' }).click();
  await guest.waitForURL(/\/pay\/cs_test_/, { timeout: 30_000 });
  expect(await guest.locator('#amount').textContent()).toBe('¥1,500');
  await guest.getByRole('button', { name: /Pay/ }).click();
  await guest.waitForURL(/\/t\/demo\/manage\?ref=[0-9A-Z]{10}/);
  const reference = new URL(guest.url()).searchParams.get('ref') ?? '';
  await expect.poll(() => guest.getByTestId('booking-status').textContent()).toBe('確定');
  expect(await guest.getByTestId('payment-state').textContent()).toBe('支払い済み');
  await expectAccessible(guest, 'the booking page after paying');
  // The receipt: a PDF whose text (read by poppler's pdftotext) is a qualified invoice.
  const download = guest.waitForEvent('download');
  await guest.getByRole('button', { name: '領収書（PDF）をダウンロード' }).click();
  const receipt = await download;
  expect(receipt.suggestedFilename()).toMatch(/^R-\d{6}\.pdf$/);
  const text = execFileSync('pdftotext', ['-layout', (await receipt.path()) ?? '', '-'], { encoding: 'utf8' });
  for (const want of ['領収書', '適格簡易請求書', '決済 花子 様', '¥1,500', '10%対象', '内消費税 ¥136', '登録番号 T1234567890123', reference])
    expect(text, text).toContain(want);
  expect(problems).toEqual([]);
  await guest.context().close();

  // The manager gives the money back; the refund job asks the provider.
  await page.getByRole('link', { name: '予約一覧' }).click();
  await page.getByRole('heading', { name: '予約一覧' }).waitFor();
  await page.getByLabel('メールアドレス（完全一致）').fill('pay@example.jp');
  await page.getByRole('button', { name: '検索' }).click();
  const row = page.getByRole('row', { name: new RegExp(reference) });
  await row.waitFor();
  await row.getByRole('button', { name: `${reference} を開く` }).click();
  await page.getByLabel('返金額（円・最大 1,500）').fill('1500');
  await page.getByRole('button', { name: '返金する' }).click();
  await page.getByText('返金を受け付けました').waitFor();
  const state = async () =>
    (await json<{ payment: { state: string } }>('POST', `/api/v1/public/demo/bookings/${reference}/lookup`, { email: 'pay@example.jp' }))
      .body.payment.state;
  await expect.poll(state, { timeout: 30_000 }).toBe('refunded');

  // A room paid when booking: rented in the browser, paid on the provider's page, cancelled by
  // the guest and refunded in full through the provider.
  const resources = (await (await page.request.get(`${baseUrl}/api/v1/resources`)).json()) as {
    items: { id: number; kind: string }[];
  };
  const roomId = resources.items.find((r) => r.kind === 'room')?.id;
  expect(roomId, 'the demo has a room').toBeDefined();
  const rent = await post('/api/v1/offerings', {
    kind: 'rental',
    name: 'オンライン決済の会議室',
    published: true,
    payment: 'online_now',
    duration_minutes: 60,
    price_jpy: 2000,
    resource_ids: [roomId],
  });
  const { page: renter, problems: renterProblems } = await open(browser, phone);
  await renter.goto(`${baseUrl}/t/demo/o/${rent}`);
  await renter.locator('.times button').first().click();
  await renter.getByLabel(/^お名前/).fill('会議 太郎');
  await renter.getByLabel(/^メールアドレス/).fill('room@example.jp');
  await renter.getByRole('button', { name: '予約を確定する' }).click();
  await renter.waitForURL(/\/pay\/cs_test_/, { timeout: 30_000 });
  expect(await renter.locator('#amount').textContent()).toBe('¥2,000');
  await renter.getByRole('button', { name: /Pay/ }).click();
  await renter.waitForURL(/\/t\/demo\/manage\?ref=[0-9A-Z]{10}/);
  const rented = new URL(renter.url()).searchParams.get('ref') ?? '';
  await expect.poll(() => renter.getByTestId('payment-state').textContent()).toBe('支払い済み');
  expect(renterProblems).toEqual([]);
  await renter.context().close();
  const cancelled = await json('POST', `/api/v1/public/demo/bookings/${rented}/cancel`, { email: 'room@example.jp' });
  expect(cancelled.status).toBe(200);
  const roomState = async () =>
    (await json<{ payment: { state: string } }>('POST', `/api/v1/public/demo/bookings/${rented}/lookup`, { email: 'room@example.jp' }))
      .body.payment.state;
  await expect.poll(roomState, { timeout: 30_000 }).toBe('refunded');

  // The day's sales on screen: taken and given back.
  await page.getByRole('link', { name: '売上・領収書', exact: true }).click();
  await page.getByRole('button', { name: '表示する' }).click();
  const sales = page.getByTestId('sales-table');
  await expect.poll(() => sales.textContent()).toContain('オンライン決済トーク');
  expect(await sales.getByRole('row', { name: /オンライン決済トーク/ }).textContent()).toContain('1,500円');
  // The month's occupancy: the demo hall by its divisions.
  await expect.poll(() => page.getByTestId('occupancy').textContent()).toContain('デモ多目的ホール');
  await expectAccessible(page, 'the sales screen');
});

test('the manager connects LINE; a customer signs up and in with LINE, books, gets the confirmation card on LINE and cancels from its button; a segment message reaches them until they opt out', async () => {
  if (!manager) throw new Error('the manager journey did not sign in');
  const page = manager;
  const line = process.env.LINE_STANDIN;
  if (!line) throw new Error('LINE_STANDIN must name the LINE stand-in');
  const env = (name: string) => process.env[name] ?? '';
  // LINE's console would be told where the venue's webhook is; the stand-in is told here.
  const hook = `${baseUrl}/api/v1/public/demo/line/webhook`;
  expect((await fetch(`${line}/_standin/webhook_url?url=${encodeURIComponent(hook)}`, { method: 'POST' })).status).toBe(200);

  // The manager stores the official account's token and secret and the Login channel.
  await page.getByRole('link', { name: '連携', exact: true }).click();
  await page.getByRole('heading', { name: 'LINE公式アカウント' }).waitFor();
  await page.getByLabel('チャネルアクセストークン').fill(env('LINE_STANDIN_TOKEN'));
  await page.getByLabel(/^チャネルシークレット（Webhook/).fill(env('LINE_STANDIN_MESSAGING_SECRET'));
  await page.getByRole('button', { name: 'トークンを保存する' }).click();
  const again = page.getByRole('heading', { name: 'パスワードの再確認' });
  const channel = page.getByTestId('line-channel');
  await expect.poll(async () => (await again.count()) > 0 || /連携中/.test((await channel.textContent()) ?? '')).toBe(true);
  if ((await again.count()) > 0) {
    await page.locator('#reauth-password').fill('Sakura-Demo-4821');
    await page.getByRole('button', { name: '確認して続ける' }).click();
  }
  await expect.poll(() => channel.textContent()).toContain('連携中');
  await page.getByLabel('チャネルID').fill(env('LINE_STANDIN_CHANNEL_ID'));
  await page.getByLabel('チャネルシークレット', { exact: true }).fill(env('LINE_STANDIN_CHANNEL_SECRET'));
  await page.getByRole('button', { name: 'LINEログインを保存する' }).click();
  await expect.poll(() => page.getByTestId('line-login-channel').textContent()).toContain(env('LINE_STANDIN_CHANNEL_ID'));
  expect(await page.getByLabel('チャネルシークレット', { exact: true }).inputValue(), 'the secret is not shown again').toBe('');
  await expectAccessible(page, 'the integrations screen with LINE connected');

  // A customer new to the venue signs in with LINE (the stand-in's page stands for LINE's)…
  const user = `U${'c'.repeat(32)}`;
  await fetch(`${line}/_standin/login_as?user=${user}&name=LINE%20%E8%8A%B1%E5%AD%90`, { method: 'POST' });
  const email = `line-${Date.now()}@example.jp`;
  const { page: c, problems } = await open(browser, phone);
  const signInWithLine = async () => {
    await c.goto(`${baseUrl}/t/demo/me`);
    await c.getByRole('button', { name: 'LINEでログイン' }).click();
    await c.getByRole('heading', { name: 'LINE stand-in login' }).waitFor();
    await c.getByRole('button', { name: 'ログイン', exact: true }).click();
  };
  await signInWithLine();
  // …and, unknown here, gives a name and an address, confirmed from the mail.
  await c.getByRole('heading', { name: 'LINEで会員登録' }).waitFor();
  expect(c.url(), 'the sign-up token leaves the address bar').not.toContain('token=');
  await expectAccessible(c, 'the sign-up with LINE');
  await c.getByLabel('お名前').fill('LINE 花子');
  await c.getByLabel('メールアドレス').fill(email);
  await c.getByRole('button', { name: '登録する' }).click();
  await c.getByText('確認メールを送りました。メールのリンクを開くと登録が完了し').waitFor({ timeout: 30_000 });
  const link = new URL(await mailLink(email, /https?:\/\/\S+\/t\/demo\/verify#token=[\w.-]+/));
  await c.goto(`${baseUrl}${link.pathname}${link.hash}`);
  await c.getByText('メールアドレスを確認しました').waitFor();

  // Now LINE signs them in, without a password; their page says LINE is linked.
  await signInWithLine();
  await c.getByRole('heading', { name: 'マイページ', exact: true }).waitFor({ timeout: 30_000 });
  await c.getByTestId('line-linked').waitFor();
  await expectAccessible(c, 'my page signed in with LINE');

  // They book the concert; its confirmation is pushed to their LINE.
  await c.getByRole('link', { name: '予約する' }).click();
  await c.getByRole('link', { name: /デモ演奏会/ }).click();
  await c.locator('.times button').first().click();
  await c.getByLabel(/一般/).fill('1');
  await c.getByRole('button', { name: '予約を確定する' }).click();
  await c.waitForURL(/\/t\/demo\/done\/[0-9A-Z]{10}$/);
  const reference = (await c.getByTestId('reference').textContent())?.trim() ?? '';
  type Sent = { to: string; messages: { type: string; text?: string }[] };
  const standin = async <T>(what: string): Promise<T> =>
    (await (await fetch(`${line}/_standin/${what}`, { method: 'POST' })).json()) as T;
  // A card (the stand-in checks it as LINE would), with buttons to see and cancel it.
  const cards = async () =>
    (await standin<{ pushed: Sent[] }>('pushed')).pushed.filter(
      (p) => p.to === user && p.messages[0]?.type === 'flex' && JSON.stringify(p.messages[0]).includes(reference),
    );
  await expect.poll(async () => (await cards()).length, { timeout: 30_000 }).toBe(1);
  const card = JSON.stringify((await cards())[0]?.messages[0]);
  expect(card).toContain(`action=cancel&ref=${reference}`);

  // They press キャンセルする in LINE, confirm, and LINE answers; their page shows it cancelled.
  const replies = async () => (await standin<{ replied: Sent[] }>('replied')).replied.filter((r) => r.to === user);
  const press = async (data: string) => {
    const before = (await replies()).length;
    await standin(`send?type=postback&user=${user}&data=${encodeURIComponent(data)}`);
    await expect.poll(async () => (await replies()).length, { timeout: 30_000 }).toBe(before + 1);
    return JSON.stringify((await replies())[before]?.messages[0]);
  };
  const asked = await press(`action=cancel&ref=${reference}`);
  expect(asked).toContain('キャンセルしますか');
  const yes = /"data":"(action=cancel_yes[^"]*)"/.exec(asked)?.[1] ?? '';
  expect(await press(yes)).toContain(`ご予約（${reference}）をキャンセルしました。`);
  await c.goto(`${baseUrl}/t/demo/me`);
  await expect.poll(async () => (await c.locator('.card', { hasText: reference }).textContent()) ?? '').toContain('キャンセル済み');

  // The manager sends a segment message to whoever booked the concert: the preview names the
  // customer, and LINE gets one multicast to them.
  await page.getByRole('heading', { name: 'LINE一斉配信（セグメント配信）' }).waitFor();
  await page.getByLabel('メッセージ').fill('次回公演の先行予約を始めました。');
  const concert = await page.locator('#broadcast-offering option', { hasText: 'デモ演奏会' }).first().getAttribute('value');
  await page.locator('#broadcast-offering').selectOption(concert ?? '');
  const preview = async () => {
    await page.getByRole('button', { name: '配信先を確認する' }).click();
    return (await page.getByTestId('broadcast-preview').textContent()) ?? '';
  };
  await expect.poll(preview).toContain('1人に届きます');
  expect(await page.getByTestId('broadcast-preview').textContent()).toContain('LINE 花子');
  await expectAccessible(page, 'the segment message form with its preview');
  await page.getByRole('button', { name: '今すぐ配信する' }).click();
  type Multicast = { to: string[]; messages: { type: string; text?: string }[] };
  const multicasts = async () => (await standin<{ multicast: Multicast[] }>('multicast')).multicast;
  await expect.poll(async () => (await multicasts()).length, { timeout: 30_000 }).toBe(1);
  const [sent] = await multicasts();
  expect(sent?.to).toEqual([user]);
  expect(sent?.messages[0]?.text).toBe('次回公演の先行予約を始めました。');

  // The customer opts out on their page: the next message would reach nobody.
  const announcements = c.getByLabel('お店からのお知らせをLINEで受け取る');
  await announcements.uncheck();
  await expect.poll(() => announcements.isChecked()).toBe(false);
  await page.getByLabel('メッセージ').fill('もう一通');
  await expect.poll(preview).toContain('0人に届きます');
  expect(problems).toEqual([]);
  await c.context().close();
}, 180_000);

test('the manager makes the booking site the LIFF app; a LINE friend opens it, is signed in by LINE, books, gets the card and closes back to the chat', async () => {
  if (!manager) throw new Error('the manager journey did not sign in');
  const page = manager;
  const line = process.env.LINE_STANDIN;
  if (!line) throw new Error('LINE_STANDIN must name the LINE stand-in');
  const env = (name: string) => process.env[name] ?? '';
  const liffId = `${env('LINE_STANDIN_CHANNEL_ID')}-Liff0001`;
  const endpoint = `${baseUrl}/t/demo/liff`;

  // The manager adds the LIFF app's id to the Login channel; the page names the endpoint URL
  // to give LINE's console (the stand-in is told it here).
  await page.getByRole('link', { name: '連携', exact: true }).click();
  await page.getByRole('heading', { name: 'LINEログイン' }).waitFor();
  expect(await page.getByTestId('line-liff-endpoint').textContent()).toContain(endpoint);
  await page.getByLabel('チャネルID').fill(env('LINE_STANDIN_CHANNEL_ID'));
  await page.getByLabel('チャネルシークレット', { exact: true }).fill(env('LINE_STANDIN_CHANNEL_SECRET'));
  await page.getByLabel(/LIFF ID/).fill(liffId);
  await page.getByRole('button', { name: 'LINEログインを保存する' }).click();
  await expect.poll(() => page.getByLabel('チャネルシークレット', { exact: true }).inputValue()).toBe('');
  await expect.poll(() => page.getByLabel(/LIFF ID/).inputValue()).toBe(liffId);
  await fetch(`${line}/_standin/liff?liff_id=${liffId}&endpoint=${encodeURIComponent(endpoint)}`, { method: 'POST' });

  // The friend (the customer who signed up with LINE before) opens the LIFF app in a browser:
  // the LIFF SDK talks to LINE's hosts, which the browser here reaches as the stand-in.
  const user = `U${'c'.repeat(32)}`;
  await fetch(`${line}/_standin/login_as?user=${user}&name=LINE%20%E8%8A%B1%E5%AD%90`, { method: 'POST' });
  const { page: c, problems } = await open(browser, phone);
  const sdkHosts: string[] = [];
  const throughStandIn = async (p: typeof c) => {
    await p.route(/^https:\/\/access\.line\.me\//, (route) => {
      const u = new URL(route.request().url());
      return route.fulfill({ status: 302, headers: { location: `${line}${u.pathname}${u.search}` } });
    });
    await p.route(/^https:\/\/api\.line\.me\//, async (route) => {
      const u = new URL(route.request().url());
      sdkHosts.push(`${route.request().method()} ${u.pathname}`);
      return route.fulfill({ response: await route.fetch({ url: `${line}${u.pathname}${u.search}` }) });
    });
    // Nothing else of LINE's: the pluggable SDK loads no scripts or translations from its CDN.
    await p.route(/^https:\/\/[^/]*(line-scdn\.net|line-apps\.com)\//, (route) => route.abort());
  };
  await throughStandIn(c);
  const seen: string[] = [];
  c.on('request', (r) => seen.push(r.url().slice(0, 120)));
  c.on('console', (m) => seen.push(`console ${m.type()}: ${m.text().slice(0, 200)}`));
  await c.goto(endpoint);
  await c
    .getByRole('heading', { name: 'LINE stand-in login' })
    .waitFor({ timeout: 30_000 })
    .catch(async (e: unknown) => {
      throw new Error(`${String(e)} at ${c.url()}: ${(await c.locator('body').textContent()) ?? ''} ${problems.join('; ')} ${seen.join('\n')}`);
    });
  await c.getByRole('button', { name: 'ログイン', exact: true }).click();
  // Back in the LIFF app: the SDK exchanged LINE's code and the server took its ID token.
  await c
    .getByRole('link', { name: /デモ演奏会/ })
    .waitFor({ timeout: 30_000 })
    .catch(async (e: unknown) => {
      throw new Error(`${String(e)} at ${c.url()}: ${(await c.locator('body').textContent()) ?? ''} ${problems.join('; ')} ${sdkHosts.join(', ')}`);
    });
  expect(sdkHosts).toEqual(expect.arrayContaining(['POST /oauth2/v2.1/token', 'GET /oauth2/v2.1/certs']));
  await c.getByRole('link', { name: /デモ演奏会/ }).click();
  await c.locator('.times button').first().click();
  await c.getByLabel(/一般/).fill('1');
  await c.getByRole('button', { name: '予約を確定する' }).click();
  await c.waitForURL(/\/t\/demo\/done\/[0-9A-Z]{10}$/);
  const reference = (await c.getByTestId('reference').textContent())?.trim() ?? '';
  const pushed = async () =>
    ((await (await fetch(`${line}/_standin/pushed`, { method: 'POST' })).json()) as { pushed: { to: string; messages: unknown[] }[] }).pushed.filter(
      (p) => p.to === user && JSON.stringify(p.messages[0]).includes(reference),
    );
  await expect.poll(async () => (await pushed()).length, { timeout: 30_000 }).toBe(1);
  expect(JSON.stringify((await pushed())[0]?.messages[0])).toContain('"type":"flex"');
  await expectAccessible(c, 'the confirmation inside the LIFF app');
  // LINEに戻る closes the window: inside LINE through LINE's bridge, back to the chat; in a
  // browser the SDK calls window.close(), which Chromium refuses for a tab a person opened and
  // says so: that refusal is the sign the SDK asked.
  const refusal = c.waitForEvent('console', {
    predicate: (m) => m.text().includes('Scripts may close only the windows that were opened by them'),
    timeout: 15_000,
  });
  await c.getByRole('button', { name: 'LINEに戻る' }).click();
  await refusal;
  expect(problems).toEqual([]);
  await c.context().close();

  // A LINE user new to the venue opens it too: the sign-up form has their LINE name filled in.
  await fetch(`${line}/_standin/login_as?user=U${'d'.repeat(32)}&name=LINE%20%E6%AC%A1%E9%83%8E`, { method: 'POST' });
  const { page: n, problems: newcomer } = await open(browser, phone);
  await throughStandIn(n);
  await n.goto(`${endpoint}/me`);
  await n.getByRole('button', { name: 'ログイン', exact: true }).click();
  await n.getByRole('heading', { name: 'LINEで会員登録' }).waitFor({ timeout: 30_000 });
  expect(await n.getByLabel('お名前').inputValue()).toBe('LINE 次郎');
  expect(n.url(), 'the sign-up token leaves the address bar').not.toContain('token=');
  expect(newcomer).toEqual([]);
  await n.context().close();
}, 180_000);

test('the manager connects Zoom and offers an online talk; a guest who books it is mailed its own meeting, which goes when the booking is cancelled', async () => {
  if (!manager) throw new Error('the manager journey did not sign in');
  const page = manager;
  const zoom = process.env.ZOOM_STANDIN;
  if (!zoom) throw new Error('ZOOM_STANDIN must name the Zoom stand-in');
  const env = (name: string) => process.env[name] ?? '';
  type Meeting = { id: number; topic: string; start_time: string; join_url: string };
  const held = async () =>
    (await (await fetch(`${zoom}/_standin/meetings`, { method: 'POST' })).json()) as { meetings: Meeting[]; deleted: Meeting[] };

  // The manager connects the venue's Zoom account (its secret never shown again).
  await page.getByRole('link', { name: '連携', exact: true }).click();
  await page.getByRole('heading', { name: 'Zoom（オンライン会議）' }).waitFor();
  await page.getByLabel('アカウントID').fill(env('ZOOM_STANDIN_ACCOUNT_ID'));
  await page.getByLabel('クライアントID').fill(env('ZOOM_STANDIN_CLIENT_ID'));
  await page.getByLabel('クライアントシークレット').fill(env('ZOOM_STANDIN_CLIENT_SECRET'));
  await page.getByRole('button', { name: 'Zoomに接続' }).click();
  const again = page.getByRole('heading', { name: 'パスワードの再確認' });
  const status = page.getByTestId('zoom-connection');
  await expect.poll(async () => (await again.count()) > 0 || /接続済み/.test((await status.textContent()) ?? '')).toBe(true);
  if ((await again.count()) > 0) {
    await page.locator('#reauth-password').fill('Sakura-Demo-4821');
    await page.getByRole('button', { name: '確認して続ける' }).click();
  }
  await expect.poll(() => status.textContent()).toContain(env('ZOOM_STANDIN_CLIENT_ID'));
  expect(await page.getByLabel('クライアントシークレット').inputValue(), 'the secret is not shown again').toBe('');
  await expectAccessible(page, 'the integrations screen with Zoom connected');

  // An online talk tomorrow whose bookings each get a Zoom meeting.
  await page.getByRole('link', { name: 'メニュー', exact: true }).click();
  await page.getByRole('button', { name: 'メニューを追加' }).click();
  await page.locator('#off-name').fill('Zoom講座');
  await page.getByRole('group', { name: '券種 1' }).getByLabel('名前').fill('一般');
  await page.getByLabel('予約サイトに公開する').check();
  await page.getByLabel('予約ごとにZoomミーティングを作成する').check();
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByText('保存しました').waitFor();
  const tomorrow = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date(Date.now() + 86_400_000));
  await page.getByLabel('日付').fill(tomorrow);
  await page.getByLabel('開始', { exact: true }).fill('19:00');
  await page.getByLabel('終了', { exact: true }).fill('20:00');
  await page.getByLabel('定員').fill('20');
  await page.getByRole('button', { name: '開催日を追加' }).click();
  await page.getByText('残り 20 / 20').waitFor();

  // A guest books it: Zoom holds a meeting at its time, and the guest is mailed its link.
  const { occurrence } = await offeringOccurrence('Zoom講座');
  const email = `zoom-${Date.now()}@example.jp`;
  const booked = await fetch(`${baseUrl}/api/v1/public/demo/bookings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-zoom-${Date.now()}` },
    body: JSON.stringify({ occurrence_id: occurrence, tickets: { adult: 1 }, customer: { name: 'Zoom 花子', email } }),
  });
  const made = (await booked.json()) as { reference: string; starts_at: string };
  expect(booked.status, JSON.stringify(made)).toBe(201);
  await expect.poll(async () => (await held()).meetings.filter((m) => m.topic === 'Zoom講座').length, { timeout: 30_000 }).toBe(1);
  const meeting = (await held()).meetings.find((m) => m.topic === 'Zoom講座')!;
  expect(meeting.start_time).toBe(`${made.starts_at.slice(0, 19)}Z`);
  expect(await mailLink(email, /https:\/\/zoom-standin\.example\/j\/\d+\?pwd=[\w-]+/)).toBe(meeting.join_url);

  // Cancelled by staff: the meeting is deleted at Zoom.
  const who = (await (await page.request.get(`${baseUrl}/api/v1/session`)).json()) as { csrf_token: string };
  const cancelled = await page.request.delete(`${baseUrl}/api/v1/bookings/${made.reference}`, {
    headers: { 'X-CSRF-Token': who.csrf_token },
  });
  expect(cancelled.status()).toBe(200);
  await expect.poll(async () => (await held()).deleted.map((m) => m.id), { timeout: 30_000 }).toContain(meeting.id);
}, 120_000);

test('the manager moves in from another system: a Shift_JIS export is checked row by row, cannot be imported while a row is bad, and is imported once corrected', async () => {
  if (!manager) throw new Error('the manager journey did not sign in');
  const page = manager;
  await page.getByRole('link', { name: 'データの取り込み' }).click();
  await page.getByRole('heading', { name: 'データの取り込み' }).waitFor();
  await page.getByLabel('取り込むもの').selectOption('customers');

  // The template: the columns and an example row, UTF-8 with a byte order mark for Excel.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'テンプレート（CSV）をダウンロード' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('yoyaku-customers.csv');
  const template = readFileSync((await download.path())!, 'utf8');
  expect(template.startsWith('\uFEFF"email","name"\r\n')).toBe(true);

  // Another system's export, as Excel saves it in Japan: Shift_JIS, Japanese headers.
  const stamp = Date.now();
  const sjis = (text: string) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP932'], { input: text });
  const file = (text: string) => ({ name: 'customers.csv', mimeType: 'text/csv', buffer: sjis(text) });
  const bad =
    '氏名,メールアドレス\r\n' +
    `移行 花子,hanako-${stamp}@example.jp\r\n` +
    '移行 一郎,ichiro-at-example.jp\r\n' +
    `"移行, 次郎",jiro-${stamp}@example.jp\r\n` +
    `,saburo-${stamp}@example.jp\r\n`;
  await page.getByLabel('CSVファイル').setInputFiles(file(bad));
  await page.getByRole('button', { name: '確認する' }).click();
  const status = page.getByTestId('import-status');
  await expect.poll(() => status.textContent()).toContain('4行のうち2行を取り込めます（文字コード: Shift_JIS）');
  const rows = page.getByTestId('import-problems').locator('tbody tr');
  expect(await rows.count()).toBe(2);
  expect(await rows.nth(0).locator('td').allTextContents()).toEqual(['3', 'email', expect.any(String)]);
  expect(await rows.nth(1).locator('td').allTextContents()).toEqual(['5', 'name', expect.any(String)]);
  expect(await page.getByRole('button', { name: '取り込む' }).isDisabled(), 'a file with problems is not imported').toBe(true);
  await expectAccessible(page, 'the import page with the bad rows');

  // Corrected: checked clean, then imported whole.
  const good = '氏名,メールアドレス\r\n' + `移行 花子,hanako-${stamp}@example.jp\r\n` + `"移行, 次郎",jiro-${stamp}@example.jp\r\n`;
  await page.getByLabel('CSVファイル').setInputFiles(file(good));
  await page.getByRole('button', { name: '確認する' }).click();
  await expect.poll(() => status.textContent()).toContain('問題はありません');
  await page.getByRole('button', { name: '取り込む' }).click();
  await expect.poll(() => status.textContent()).toBe('2行を取り込みました。');
  const exported = await (await page.request.get(`${baseUrl}/api/v1/export`)).text();
  expect(exported).toContain(`jiro-${stamp}@example.jp`);
  expect(exported).toContain('移行, 次郎');
}, 120_000);
