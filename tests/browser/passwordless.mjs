// Passwordless email on the hosted login in a real browser: the code read from
// the emulator's mailbox typed into the page, and the emailed magic link opened
// in the browser, each ending at the app's redirect URI with a code and the
// app's state; a wrong code is an accessible alert on the code form.
import assert from 'node:assert/strict';
import { launch, run, screenshot, startApp, startEmulator, test } from './harness.mjs';

/** The newest message to `email` in the emulator's mailbox (JSON, newest first). */
async function newestMail(emu, email) {
  const res = await fetch(`${emu.url}/_emulator/mailbox`);
  assert.equal(res.status, 200);
  const { messages } = await res.json();
  const mail = messages.find((m) => m.to === email);
  assert.ok(mail, `no message to ${email}`);
  return mail;
}

/** Open the hosted page and ask for an email; resolves when the code page shows. */
async function askForEmail(page, emu, app, email, state) {
  const q = new URLSearchParams({
    response_type: 'code', client_id: emu.clientId, redirect_uri: app.redirect, state,
    scope: 'openid profile email',
  });
  await page.goto(`${emu.url}/oauth/authorize?${q}`);
  await page.getByLabel('Your email, for a code or link').fill(email);
  await screenshot(page, 'passwordless', `${email.split('@')[0]}-1-section`);
  await page.getByRole('button', { name: 'Email me a code / link' }).click();
  await page.waitForSelector('[role=status]');
  assert.equal(await page.title(), 'Check your email');
  assert.match(await page.getByRole('status').textContent(), new RegExp(`emailed ${email} a code and a link`));
}

/** The app's redirect: its code and state. */
function backInTheApp(page, state) {
  const back = new URL(page.url());
  assert.equal(back.searchParams.get('state'), state);
  assert.match(back.searchParams.get('code') || '', /^.{20,}$/);
}

async function withBrowser(fn) {
  const emu = await startEmulator();
  const app = await startApp();
  const { browser, page } = await launch();
  try {
    await fn(emu, app, page);
  } finally {
    await browser.close();
    app.close();
    await emu.stop();
  }
}

test('the code from the mailbox, typed into the page, signs in', () => withBrowser(async (emu, app, page) => {
  const email = 'otp.browser@example.com';
  const state = 'st-' + Math.random().toString(36).slice(2);
  await askForEmail(page, emu, app, email, state);
  const mail = await newestMail(emu, email);
  const code = mail.subject.match(/code is (\S+)$/)[1];
  await page.getByLabel('Code').fill(code);
  await screenshot(page, 'passwordless', 'otp-2-code');
  await Promise.all([page.waitForURL(`${app.redirect}?**`), page.getByRole('button', { name: 'Verify' }).click()]);
  backInTheApp(page, state);
  await screenshot(page, 'passwordless', 'otp-3-back-in-the-app');
}));

test('the magic link opened in the browser signs in', () => withBrowser(async (emu, app, page) => {
  const email = 'link.browser@example.com';
  const state = 'st-' + Math.random().toString(36).slice(2);
  await askForEmail(page, emu, app, email, state);
  const mail = await newestMail(emu, email);
  assert.equal(mail.kind, 'passwordless_link_otp');
  assert.ok(mail.link.startsWith(`${emu.url}/passwordless/link?link_token=`));
  await page.goto(`${emu.url}/_emulator/mailbox/view`);
  await screenshot(page, 'passwordless', 'link-2-mailbox');
  await Promise.all([page.waitForURL(`${app.redirect}?**`), page.goto(mail.link)]);
  backInTheApp(page, state);
  await screenshot(page, 'passwordless', 'link-3-back-in-the-app');
}));

test('a wrong code is an alert on the code form', () => withBrowser(async (emu, app, page) => {
  const email = 'wrong.browser@example.com';
  await askForEmail(page, emu, app, email, 'st-wrong');
  const code = (await newestMail(emu, email)).subject.match(/code is (\S+)$/)[1];
  const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
  await page.getByLabel('Code').fill(wrong);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForSelector('[role=alert]');
  assert.match(await page.getByRole('alert').textContent(), /the code is not valid \(4 of 5 attempts left\)/);
  assert.equal(await page.getByLabel('Code').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'passwordless', 'wrong-code');
}));

await run();
