// The hosted login in a real browser: the page renders, its form is
// accessible (a labelled email field), signing in lands on the app's redirect
// URI with a code and the app's state, and the authorization request's
// parameters never appear in the page's HTML.
import assert from 'node:assert/strict';
import { launch, run, screenshot, startApp, startEmulator, test } from './harness.mjs';

test('sign in on the hosted page and come back with a code and the state', async () => {
  const emu = await startEmulator();
  const app = await startApp();
  const { browser, page } = await launch();
  try {
    const state = 'st-' + Math.random().toString(36).slice(2);
    const q = new URLSearchParams({
      response_type: 'code', client_id: emu.clientId, redirect_uri: app.redirect, state,
      scope: 'openid profile email',
    });
    await page.goto(`${emu.url}/oauth/authorize?${q}`);
    assert.equal(await page.title(), 'Sign in');
    const html = await page.content();
    assert.ok(!html.includes(state), 'the state stays on the server');
    const email = page.getByLabel('Email address');
    await email.fill('browser.user@example.com');
    await screenshot(page, 'hosted_login', '1-form');
    await Promise.all([page.waitForURL(`${app.redirect}?**`), page.getByRole('button', { name: 'Sign in' }).click()]);
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('state'), state);
    assert.match(back.searchParams.get('code') || '', /^.{20,}$/);
    await screenshot(page, 'hosted_login', '2-back-in-the-app');
  } finally {
    await browser.close();
    app.close();
    await emu.stop();
  }
});

test('a bad email is refused on the page with an accessible alert', async () => {
  const emu = await startEmulator();
  const { browser, page } = await launch();
  try {
    const q = new URLSearchParams({
      response_type: 'code', client_id: emu.clientId, redirect_uri: 'http://localhost:9/cb',
    });
    await page.goto(`${emu.url}/oauth/authorize?${q}`);
    // Bypass the browser's own type=email check to reach the server's.
    await page.getByLabel('Email address').evaluate((el) => { el.type = 'text'; el.value = 'nobody'; });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('[role=alert]');
    assert.equal(await page.getByRole('alert').textContent(), 'Enter a valid email address.');
    assert.equal(await page.getByLabel('Email address').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'hosted_login', '3-bad-email');
  } finally {
    await browser.close();
    await emu.stop();
  }
});

test('the page reads at phone width: nothing wider than the screen', async () => {
  const emu = await startEmulator();
  const { browser, page } = await launch({ contextOptions: { viewport: { width: 360, height: 740 } } });
  try {
    const q = new URLSearchParams({
      response_type: 'code', client_id: emu.clientId, redirect_uri: 'http://localhost:9/cb',
      login_hint: 'someone.with.a.rather.long.address@subsidiary.example.com',
    });
    await page.goto(`${emu.url}/oauth/authorize?${q}`);
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    assert.ok(widths.doc <= widths.view, `page is ${widths.doc}px wide in a ${widths.view}px screen`);
    const button = await page.getByRole('button', { name: 'Sign in' }).boundingBox();
    assert.ok(button.height >= 40, 'the button is a comfortable touch target');
    await screenshot(page, 'hosted_login', '4-phone-width');
  } finally {
    await browser.close();
    await emu.stop();
  }
});

await run();
