// The waitlist and the cancellation fee on the booking site: the demo tea ceremony taster
// (two places) is sold out; a second guest joins its waitlist from the offering's page and
// confirms the entry with the link mailed to them (unconfirmed it holds no place); the first
// guest cancels, seeing the fee the policy charges (none ten days ahead) before
// confirming; the freed place is offered to the waiting guest, who accepts it on the waitlist
// page and holds a confirmed booking.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baseUrl, expectAccessible, json, launch, mailLink, open, phone } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

interface Listed {
  id: number;
  name: string;
  occurrences?: { id: number; seats_left: number }[];
}

test('a guest waits for a sold-out class, is offered the freed place and books it', async () => {
  const site = await json<{ items: Listed[] }>('GET', '/api/v1/public/demo/offerings');
  const taster = site.body.items.find((o) => o.name.includes('デモ茶道体験'));
  const occurrence = taster?.occurrences?.[0]?.id;
  if (!taster || !occurrence) throw new Error('the demo taster is missing');
  const first = await json<{ reference: string }>(
    'POST',
    '/api/v1/public/demo/bookings',
    {
      occurrence_id: occurrence,
      tickets: { adult: 2 },
      customer: { name: '先客 一郎', email: 'first@example.jp' },
    },
    { 'Idempotency-Key': `e2e-taster-${Date.now()}` },
  );
  expect(first.status).toBe(201);

  // Sold out: the offering's page offers the waitlist instead of times.
  const waiter = await open(browser, phone);
  const page = waiter.page;
  await page.goto(`${baseUrl}/t/demo/o/${taster.id}`);
  await page.getByRole('heading', { name: 'キャンセル待ち' }).waitFor();
  await expectAccessible(page, 'the waitlist form');
  await page.getByLabel(/^一般/).fill('1');
  await page.getByLabel(/^お名前/).fill('待機 花子');
  await page.getByLabel(/^メールアドレス/).fill('waiting@example.jp');
  await page.getByRole('button', { name: 'キャンセル待ちに登録する' }).click();
  await page.getByText('確認のメールをお送りしました').waitFor();
  const entry = (await page.locator('.reference').textContent())?.trim() ?? '';
  expect(entry).toMatch(/^[0-9A-Z]{10}$/);
  // The entry counts once the address confirms it: the mailed link does.
  const link = await mailLink('waiting@example.jp', new RegExp(`https?://\\S+/t/demo/confirm\\?what=waitlist&ref=${entry}#key=[0-9a-f]{32}`));
  const url = new URL(link); // the server's own links name the port it was given (…:0)
  await page.goto(`${baseUrl}${url.pathname}${url.search}${url.hash}`);
  await page.getByText('現在 1 番目です').waitFor();
  await expectAccessible(page, 'the confirmed waitlist entry');

  // The first guest cancels and sees the fee before confirming.
  const canceller = await open(browser, phone);
  const manage = canceller.page;
  await manage.goto(`${baseUrl}/t/demo/manage?ref=${first.body.reference}`);
  await manage.getByLabel('予約したメールアドレス').fill('first@example.jp');
  await manage.getByRole('button', { name: '予約を表示' }).click();
  await manage.getByRole('button', { name: 'この予約をキャンセルする' }).click();
  const fee = manage.locator('.fee');
  await expect.poll(() => fee.textContent()).toContain('キャンセル料はかかりません');
  expect(await fee.textContent()).toContain('から変わります');
  await expectAccessible(manage, 'the cancellation with its fee');
  const cancelled = manage.waitForRequest((r) => r.url().endsWith('/cancel'));
  await manage.locator('.confirm').getByRole('button', { name: 'この予約をキャンセルする' }).click();
  expect((await cancelled).postDataJSON()).toMatchObject({ expected_fee_jpy: 0 });
  await manage.getByText('キャンセルしました').waitFor();

  // The freed place is kept for the waiting guest, who accepts it.
  await page.getByRole('link', { name: 'キャンセル待ちの確認' }).click();
  await page.waitForURL(/\/t\/demo\/waitlist\?ref=/);
  await page.getByLabel('予約したメールアドレス').fill('waiting@example.jp');
  await page.getByRole('button', { name: '予約を表示' }).click();
  await page.getByText('お席をご用意しました').waitFor();
  await expectAccessible(page, 'an offer on the waitlist page');
  await page.getByRole('button', { name: 'この席で予約する' }).click();
  await page.getByText('予約が確定しました').waitFor();
  const booking = (await page.getByText(/予約番号 [0-9A-Z]{10}/).textContent())?.match(/[0-9A-Z]{10}/)?.[0] ?? '';
  const found = await json<{ status: string; seats: number }>('POST', `/api/v1/public/demo/bookings/${booking}/lookup`, {
    email: 'waiting@example.jp',
  });
  expect(found.body).toMatchObject({ status: 'confirmed', seats: 1 });
  expect([...waiter.problems, ...canceller.problems]).toEqual([]);
});
