// A lottery and a repeating rental on the booking site: a guest applies to the demo lottery
// with two ranked dates, confirms it with the mailed link and reads the application on the
// result page; another rents the demo
// meeting room every week for three weeks, one week of which is taken, and the confirmation
// lists the two bookings made and the date skipped.
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
  occurrences?: { id: number; starts_at: string }[];
}

async function offering(name: string): Promise<Listed> {
  const site = await json<{ items: Listed[] }>('GET', '/api/v1/public/demo/offerings');
  const found = site.body.items.find((o) => o.name.includes(name));
  if (!found) throw new Error(`the demo has no ${name}`);
  return found;
}

test('a guest applies to a lottery with ranked dates and finds the application', async () => {
  const lottery = await offering('デモ抽選公演');
  const { page, problems } = await open(browser, phone);
  await page.goto(`${baseUrl}/t/demo/o/${lottery.id}`);
  await page.getByRole('heading', { name: '抽選の申し込み' }).waitFor();
  await expectAccessible(page, 'the lottery form');
  // Three dates, and "—" for none.
  expect(await page.getByLabel('第1希望').locator('option').count()).toBe(4);
  await page.getByLabel('第1希望').selectOption({ index: 2 });
  await page.getByLabel('第2希望').selectOption({ index: 1 });
  await page.getByLabel(/^一般/).fill('2');
  await page.getByLabel(/^お名前/).fill('抽選 太郎');
  await page.getByLabel(/^メールアドレス/).fill('lottery@example.jp');
  await page.getByRole('button', { name: '抽選に申し込む' }).click();
  await page.getByText('確認のメールをお送りしました').waitFor();
  const reference = (await page.locator('.reference').textContent())?.trim() ?? '';
  expect(reference).toMatch(/^[0-9A-Z]{10}$/);
  // Only a confirmed application is drawn: the applicant opens the mailed link.
  const link = await mailLink('lottery@example.jp', new RegExp(`https?://\\S+/t/demo/confirm\\?what=lottery&ref=${reference}#key=[0-9a-f]{32}`));
  const url = new URL(link); // the link as mailed, opened on the server under test
  await page.goto(`${baseUrl}${url.pathname}${url.search}${url.hash}`);
  await page.getByText('抽選のお申し込みが確定しました').waitFor();

  await page.getByRole('link', { name: '抽選結果の確認' }).click();
  await page.waitForURL(/\/t\/demo\/lottery\?ref=/);
  await page.getByLabel('予約したメールアドレス').fill('lottery@example.jp');
  await page.getByRole('button', { name: '予約を表示' }).click();
  await page.getByText('抽選をお待ちください').waitFor();
  await expectAccessible(page, 'the lottery result page');
  const entry = await json<{ preferences: number[]; seats: number; status: string }>(
    'POST',
    `/api/v1/public/demo/lottery/${reference}/lookup`,
    { email: 'lottery@example.jp' },
  );
  const ids = lottery.occurrences?.map((x) => x.id) ?? [];
  expect(entry.body).toMatchObject({ preferences: [ids[1], ids[0]], seats: 2, status: 'applied', confirmed: true });
  expect(problems).toEqual([]);
});

test('a guest rents a room every week, skipping the week that is taken', async () => {
  const room = await offering('デモ会議室');
  const { page, problems } = await open(browser, phone);
  await page.goto(`${baseUrl}/t/demo/o/${room.id}`);
  const first = page.locator('.times button').first();
  await first.waitFor();
  // The same time a week after the first free one is taken by someone else.
  const slots = await json<{ slots: { starts_at: string }[] }>(
    'GET',
    `/api/v1/public/demo/offerings/${room.id}/availability`,
  );
  const start = slots.body.slots[0]?.starts_at ?? '';
  const week = new Date(Date.parse(start) + 7 * 86_400_000).toISOString();
  const taken = await json(
    'POST',
    '/api/v1/public/demo/bookings',
    { offering_id: room.id, starts_at: week, blocks: 1, customer: { name: '先約', email: 'taken@example.jp' } },
    { 'Idempotency-Key': `e2e-room-${Date.now()}` },
  );
  expect(taken.status).toBe(201);
  await first.click();
  await page.getByLabel('繰り返し').selectOption('1');
  await page.getByLabel('回数（初回を含む）').fill('3');
  await page.getByLabel(/^お名前/).fill('会議 花子');
  await page.getByLabel(/^メールアドレス/).fill('weekly@example.jp');
  await expectAccessible(page, 'a repeating rental');
  await page.getByRole('button', { name: '予約を確定する' }).click();
  await page.waitForURL(/\/t\/demo\/done\/[0-9A-Z]{10}$/);
  await page.getByRole('heading', { name: '2 回分を予約しました' }).waitFor();
  expect(await page.getByText('次の日は予約できませんでした').count()).toBe(1);
  await expectAccessible(page, 'the confirmation of a series');
  expect(problems).toEqual([]);
});
