// The facility office's month by lottery, end to end: a customer registers a group with its
// constitution (a PDF), the office approves it in the residents' class and sets up a room
// lottery; the group applies with two ranked choices; the office closes applications and draws
// (the seed shown, the draw computed again to the same result); the winner confirms with a
// projector and heating, and downloads the permit and the invoice (read with pdftotext).
import { execFileSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baseUrl, expectAccessible, json, launch, mailLink, open, phone, totp } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n');

/** YYYY-MM-DDTHH:MM in Tokyo, for datetime-local inputs. */
function tokyo(t: Date): string {
  return new Date(t.getTime() + 9 * 3600_000).toISOString().slice(0, 16);
}

/** The first Monday–Friday of a month (YYYY-MM) that is not a national holiday in January–May
 *  (the 1st–3rd of any month are avoided, which is enough for a test). */
function firstWeekday(month: string): string {
  for (let d = 4; d < 12; d++) {
    const day = `${month}-${String(d).padStart(2, '0')}`;
    const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (wd >= 1 && wd <= 5) return day;
  }
  throw new Error('no weekday');
}

async function csrf(page: Page): Promise<string> {
  return ((await (await page.request.get(`${baseUrl}/api/v1/session`)).json()) as { csrf_token: string }).csrf_token;
}

test('a group applies in a room lottery, wins, confirms with equipment and gets its permit', async () => {
  // The customer signs up and confirms the address.
  const email = `choir-${Date.now()}@example.jp`;
  const password = 'Hinoki-Choir-8042';
  const { page, problems } = await open(browser, { ...phone, acceptDownloads: true });
  await page.goto(`${baseUrl}/t/demo/signup`);
  await page.getByLabel('お名前').fill('合唱 太郎');
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード（12文字以上）').fill(password);
  await page.getByRole('button', { name: '登録する' }).click();
  await page.getByText('確認メールを送りました').waitFor({ timeout: 30_000 });
  const link = new URL(await mailLink(email, /https?:\/\/\S+\/t\/demo\/verify#token=[\w.-]+/));
  await page.goto(`${baseUrl}${link.pathname}${link.hash}`);
  await page.getByText('メールアドレスを確認しました').waitFor();
  await page.goto(`${baseUrl}/t/demo/me`);
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await page.getByRole('heading', { name: 'マイページ', exact: true }).waitFor({ timeout: 30_000 });

  // A group with its constitution attached.
  await page.getByLabel('団体名').fill('緑町合唱団');
  await page.getByLabel('代表者名').fill('合唱 太郎');
  await page.getByLabel('会員数').fill('24');
  await page.getByRole('button', { name: '登録を申請する' }).click();
  await page.getByRole('heading', { name: '緑町合唱団' }).waitFor();
  expect(await page.getByTestId('group-status').textContent()).toBe('承認待ち');
  await page.getByLabel('添付書類（規約・名簿など）').setInputFiles({ name: 'kiyaku.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: '書類を添付する' }).click();
  await page.getByRole('link', { name: 'kiyaku.pdf' }).waitFor();
  await expectAccessible(page, 'my page with a group');

  // The facility office signs in (its first time: an authenticator), approves the group as
  // residents and sets up the lottery of the month after the hall's demo lottery.
  const office = await open(browser, { viewport: { width: 1280, height: 900 } });
  const admin = office.page;
  await admin.goto(`${baseUrl}/admin`);
  await admin.getByLabel('施設コード').fill('demo');
  await admin.getByLabel('メールアドレス').fill('office@demo.example');
  await admin.getByLabel('パスワード').fill('Kaede-Office-2468');
  await admin.getByRole('button', { name: 'ログイン', exact: true }).click();
  const secret = (await admin.getByTestId('totp-secret').textContent({ timeout: 30_000 })) ?? '';
  await admin.getByLabel('認証アプリの6桁のコード').fill(totp(secret));
  await admin.getByRole('button', { name: '確認する' }).click();
  await admin.getByRole('button', { name: '管理画面へ進む' }).click();
  await admin.getByRole('link', { name: '利用団体' }).click();
  await admin.getByRole('heading', { name: '緑町合唱団' }).waitFor();
  await expectAccessible(admin, 'the groups to approve');
  await admin.getByLabel('利用者区分').selectOption({ label: '市民 (Residents)' });
  await admin.getByRole('button', { name: '承認する' }).click();
  await admin.getByText('承認済み').waitFor();

  const now = new Date();
  const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 3, 1));
  const month = ahead.toISOString().slice(0, 7);
  const day = firstWeekday(month);
  await admin.getByRole('link', { name: '施設の抽選' }).click();
  await admin.getByLabel('名前', { exact: true }).fill(`${month} ホール抽選`);
  await admin.getByLabel('対象月').fill(month);
  await admin.getByLabel(/デモ多目的ホール/).check();
  const hour = 3600_000;
  await admin.getByLabel('受付開始', { exact: true }).fill(tokyo(new Date(now.getTime() - hour)));
  await admin.getByLabel('受付締切', { exact: true }).fill(tokyo(new Date(now.getTime() + 24 * hour)));
  await admin.getByLabel('抽選日時', { exact: true }).fill(tokyo(new Date(now.getTime() + 25 * hour)));
  await admin.getByLabel('当選者の本予約期限', { exact: true }).fill(tokyo(new Date(now.getTime() + 72 * hour)));
  await admin.getByLabel('先着順の受付開始', { exact: true }).fill(tokyo(new Date(now.getTime() + 96 * hour)));
  await admin.getByLabel('市民 (Residents)').check();
  await admin.getByRole('button', { name: '設定する' }).click();
  const row = admin.getByRole('row', { name: new RegExp(`${month} ホール抽選`) });
  await row.waitFor();
  expect(await row.textContent()).toContain('受付中');
  await expectAccessible(admin, 'the room lotteries');

  // The group applies: Monday morning first, the afternoon second.
  await page.reload();
  const form = page.getByRole('form', { name: `${month} ホール抽選` });
  await form.getByLabel('申込者').selectOption({ label: '緑町合唱団' });
  await form.getByLabel('利用日').fill(day);
  await form.getByRole('button', { name: '希望を追加する' }).click();
  const second = form.getByRole('group', { name: '第2希望' });
  await second.getByLabel('利用日').fill(day);
  await second.getByLabel('利用区分').selectOption('pm');
  await expectAccessible(page, 'the lottery application');
  await form.getByRole('button', { name: '抽選に申し込む' }).click();
  await page.getByTestId('rl-status').filter({ hasText: '抽選待ち' }).waitFor();

  // The office closes applications now and draws; the draw computes again to the same.
  const lotteries = (await (await admin.request.get(`${baseUrl}/api/v1/room-lotteries`)).json()) as {
    lotteries: { id: number; name: string; opens_at: string; confirm_by: string; first_come_at: string }[];
  };
  const mine = lotteries.lotteries.find((l) => l.name === `${month} ホール抽選`);
  expect(mine).toBeDefined();
  const closeAt = new Date().toISOString();
  const moved = await admin.request.put(`${baseUrl}/api/v1/room-lotteries/${mine?.id}/times`, {
    headers: { 'X-CSRF-Token': await csrf(admin) },
    data: { opens_at: mine?.opens_at, closes_at: closeAt, draw_at: closeAt, confirm_by: mine?.confirm_by, first_come_at: mine?.first_come_at },
  });
  expect(moved.status()).toBe(200);
  await row.getByRole('button', { name: '詳細' }).click();
  await admin.getByRole('button', { name: '抽選する' }).click();
  const seedLine = admin.getByTestId('rl-seed');
  await seedLine.waitFor();
  expect(await seedLine.textContent()).toContain('再計算で同じ結果になることを確認しました');
  const demand = admin.getByTestId('rl-demand').locator('tbody tr');
  await expect.poll(() => demand.count()).toBe(2);
  await expectAccessible(admin, 'the drawn lottery with its demand');
  const proof = await json<{ draw: { seed: string; verified: boolean; allocation: { won: number[] }[] } }>(
    'GET',
    `/api/v1/public/demo/room-lotteries/${mine?.id}`,
  );
  expect(proof.body.draw.verified).toBe(true);
  expect(proof.body.draw.seed).toMatch(/^[0-9a-f]{64}$/);
  expect(await seedLine.textContent()).toContain(proof.body.draw.seed);
  expect(proof.body.draw.allocation).toEqual([expect.objectContaining({ won: [0] })]);

  // The group won its first choice and confirms it with a projector and heating.
  await page.reload();
  await page.getByTestId('rl-status').filter({ hasText: '当選' }).waitFor();
  await page.getByLabel(/プロジェクター/).fill('1');
  await page.getByLabel(/冷暖房/).check();
  await expectAccessible(page, 'a win to confirm');
  await page.getByRole('button', { name: '利用を確定する（本予約）' }).click();
  await page.getByRole('button', { name: '使用許可書（PDF）をダウンロード' }).waitFor();

  const pdf = async (button: string) => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: button }).click();
    return execFileSync('pdftotext', ['-layout', (await (await download).path()) ?? '', '-'], { encoding: 'utf8' });
  };
  const permit = await pdf('使用許可書（PDF）をダウンロード');
  for (const want of ['使用許可書', '緑町合唱団', 'デモ多目的ホール', '午前 09:00–12:00', '冷暖房', '市民 (Residents)'])
    expect(permit, permit).toContain(want);
  const invoice = await pdf('請求書（PDF）をダウンロード');
  for (const want of ['請求書', 'プロジェクター', '冷暖房']) expect(invoice, invoice).toContain(want);
  expect(problems).toEqual([]);
  expect(office.problems).toEqual([]);
});
