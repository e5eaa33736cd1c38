// A group rents the demo multipurpose hall by time division (利用区分) on a phone: chooses the
// morning, extends it to the afternoon, borrows a projector, declares heating, sees the fee
// itemised line by line (the server's quote), books, and the booking keeps those lines; then
// downloads its permit and invoice (read back with poppler's pdftotext).
import { execFileSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baseUrl, expectAccessible, json, launch, open, phone } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

interface Slot {
  starts_at: string;
  division?: { code: string; name: string; index: number; price_jpy: number };
}
interface FeeLine {
  kind: string;
  label: string;
  quantity: number;
  amount_jpy: number;
}

test('a group rents the hall for the morning and afternoon with a projector, the fee itemised', async () => {
  const { page, problems } = await open(browser, { ...phone, acceptDownloads: true });
  await page.goto(`${baseUrl}/t/demo`);
  await page.getByRole('link', { name: /デモ多目的ホール/ }).click();
  await page.waitForURL(/\/t\/demo\/o\/\d+$/);
  const offering = Number(/\/o\/(\d+)$/.exec(page.url())?.[1]);
  const firstTime = page.locator('.times button').first();
  await firstTime.waitFor();
  await expectAccessible(page, 'the divisions of a day');
  // A day whose morning is still to come.
  const days = page.locator('.days button:not([disabled])');
  for (let i = 0; i < 3; i++) {
    await days.nth(i).click();
    if ((await firstTime.locator('.division').textContent()) === '午前') break;
  }
  expect(await firstTime.locator('.division').textContent()).toBe('午前');
  expect(await page.locator('.times button').nth(1).locator('.division').textContent()).toBe('午後');
  await firstTime.click();

  // The server's slots for that date: its morning and afternoon prices (weekday or holiday).
  const chosen = await page.locator('.times button[aria-pressed="true"] .time').textContent();
  expect(chosen).toBe('9:00–12:00');
  const divisions = page.getByLabel('利用区分');
  const both = await divisions.locator('option', { hasText: '午前〜午後' }).getAttribute('value');
  await divisions.selectOption(both ?? '');
  expect(await divisions.locator('option:checked').textContent()).toBe('午前〜午後（9:00–17:00）');
  await page.getByLabel(/プロジェクター/).fill('1');
  await page.getByLabel(/冷暖房/).check();
  const lines = page.getByTestId('fee-lines').locator('tbody tr');
  await expect.poll(() => lines.count()).toBe(4);
  await expectAccessible(page, 'the itemised fee');

  const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/public/demo/bookings'));
  await page.getByLabel(/^お名前/).fill('市民合唱団 代表 山田');
  await page.getByLabel(/^メールアドレス/).fill('choir@example.jp');
  await page.getByRole('button', { name: '予約を確定する' }).click();
  const body = (await sent).postDataJSON() as { starts_at: string; blocks: number; equipment: unknown[]; surcharges: string[] };
  expect(body).toMatchObject({ blocks: 2, surcharges: ['heating'] });
  expect(body.equipment).toHaveLength(1);
  await page.waitForURL(/\/t\/demo\/done\/[0-9A-Z]{10}$/);
  const reference = (await page.getByTestId('reference').textContent())?.trim() ?? '';

  // The prices the slots showed for that date, added up by hand: room, heating × 2 divisions,
  // projector 1,500 × 2 divisions.
  const day = body.starts_at.slice(0, 10);
  const slots = (
    await json<{ slots: Slot[] }>('GET', `/api/v1/public/demo/offerings/${offering}/availability?from=${day}&to=${day}`)
  ).body.slots;
  const found = await json<{ total_jpy: number; ends_at: string; fees: { lines: FeeLine[] } }>(
    'POST',
    `/api/v1/public/demo/bookings/${reference}/lookup`,
    { email: 'choir@example.jp' },
  );
  expect(found.status).toBe(200);
  const kinds = found.body.fees.lines.map((l) => `${l.kind}:${l.quantity}:${l.amount_jpy}`);
  const [am, pm] = kinds.slice(0, 2).map((k) => Number(k.split(':')[2]));
  expect(kinds[0]).toMatch(/^room:1:/);
  expect(kinds[1]).toMatch(/^room:1:/);
  expect(kinds.slice(2)).toEqual(['surcharge:2:2000', 'equipment:2:3000']);
  expect(found.body.total_jpy).toBe((am ?? 0) + (pm ?? 0) + 5000);
  // The morning and afternoon are no longer offered that day; the night still is.
  expect(slots.map((s) => s.division?.code)).toEqual(['night']);

  // The permit and the invoice, from the booking's own page.
  await page.getByRole('link', { name: '予約の変更・キャンセル' }).click();
  await page.waitForURL(/\/manage\?ref=/);
  await page.getByLabel('予約したメールアドレス').fill('choir@example.jp');
  await page.getByRole('button', { name: '予約を表示' }).click();
  await expect.poll(() => page.getByTestId('fee-lines').locator('tbody tr').count()).toBe(4);
  await expectAccessible(page, 'the rented booking with its documents');
  const pdf = async (button: string, file: RegExp) => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: button }).click();
    const got = await download;
    expect(got.suggestedFilename()).toMatch(file);
    return execFileSync('pdftotext', ['-layout', (await got.path()) ?? '', '-'], { encoding: 'utf8' });
  };
  const total = `¥${found.body.total_jpy.toLocaleString('en')}`;
  const permit = await pdf('使用許可書（PDF）をダウンロード', /^P-\d{6}\.pdf$/);
  for (const want of ['使用許可書', '市民合唱団 代表 山田 様', 'デモ多目的ホール', '午前 09:00–12:00', '午後 13:00–17:00', '冷暖房', total, reference])
    expect(permit, permit).toContain(want);
  const invoice = await pdf('請求書（PDF）をダウンロード', /^I-\d{6}\.pdf$/);
  for (const want of ['請求書', `ご請求金額 ${total}`, 'プロジェクター'])
    expect(invoice, invoice).toContain(want);
  expect(problems).toEqual([]);
});
