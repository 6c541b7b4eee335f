// The example web app (examples/webapp) in headless Chromium: sign up on the
// hosted page, land signed in and see name and roles, be refused on the
// members page, be allowed once an administrator grants the role through the
// API, sign out, and see the protected page send the browser to sign in.
// Checks the cookies' flags in the browser's jar and that no token appears in
// any URL the browser requested. Screenshots: <build>/browser/webapp/.
//
// Environment (tests/browser/CMakeLists.txt): SCALEKIT_WEBAPP_BIN, the app;
// the rest as harness.mjs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { api, freePort, launch, recordUrls, run, screenshot, startEmulator, test } from './harness.mjs';

/** Start the app against @p emu; resolves to { url, stop() } once it listens. */
async function startWebapp(emu, port, organizationId) {
  const bin = process.env.SCALEKIT_WEBAPP_BIN;
  if (!bin) throw new Error('SCALEKIT_WEBAPP_BIN is not set');
  const child = spawn(bin, ['--port', String(port), '--organization', organizationId], {
    env: { ...process.env, SCALEKIT_ENVIRONMENT_URL: emu.url, SCALEKIT_CLIENT_ID: emu.clientId,
      SCALEKIT_CLIENT_SECRET: emu.clientSecret, SCALEKIT_WEBHOOK_SECRET: emu.webhookSecret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Its request log (stderr), checked for tokens at the end; passed on for the ctest log.
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; process.stderr.write(chunk); });
  const url = await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`${bin} did not start in 20 s`)), 20000);
    child.once('exit', (code) => reject(new Error(`${bin} exited with ${code} before it started`)));
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const m = text.match(/^webapp: open (\S+)$/m);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  return {
    url,
    log: () => log,
    // Its exit status: 0, or a sanitizer's report at exit (a leak) fails the test.
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    }),
  };
}

/** A screenshot of the step, after checking the page fits the phone's width. */
async function step(page, name) {
  const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
  assert.ok(widths.doc <= widths.view, `${name}: the page is ${widths.doc}px wide in a ${widths.view}px screen`);
  // The basics a screen reader needs: the page's language and one main heading.
  assert.equal(await page.locator('html').getAttribute('lang'), 'en', `${name}: html lang`);
  assert.equal(await page.locator('h1').count(), 1, `${name}: one h1`);
  await screenshot(page, 'webapp', name);
}

/** The API answered @p status; its body. */
async function ok(emu, method, route, body, status = 200) {
  const r = await api(emu, method, route, body);
  assert.equal(r.status, status, `${method} ${route}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

test('sign up, roles, the members page, sign out, in a real browser', async () => {
  // The emulator delivers its webhooks to the app and knows its redirect URIs.
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const emu = await startEmulator({ args: ['--webhook-url', `${appUrl}/webhooks`,
    '--redirect-uri', `${appUrl}/callback`, '--redirect-uri', `${appUrl}/signed-out`] });
  // The administrator's side, through the API: an organization, and members:read on admin.
  const org = (await ok(emu, 'POST', '/api/v1/organizations', { display_name: 'Acme' }, 201)).organization.id;
  await ok(emu, 'POST', '/api/v1/permissions', { name: 'members:read', description: "List the organization's members" }, 201);
  await ok(emu, 'POST', '/api/v1/roles/admin/permissions', { permission_names: ['members:read'] });
  const webapp = await startWebapp(emu, appPort, org);
  const app = webapp.url;
  assert.equal(app, appUrl);
// ---- the browser, at a phone's width ----
  const { browser, context, page } = await launch({ contextOptions: { viewport: { width: 360, height: 740 } } });
  try {
    const visited = recordUrls(context);      // every URL the browser requested, redirects included
    const email = `ada.${Date.now()}@example.com`;

    // The protected page sends a new visitor to the hosted login.
    await page.goto(`${app}/account`);
    assert.ok(page.url().startsWith(`${emu.url}/oauth/authorize`), page.url());
    const pre = (await context.cookies(app)).find((c) => c.name === 'signin');
    assert.ok(pre, 'the pre-session cookie is set');
    assert.equal(pre.httpOnly, true);
    assert.equal(pre.sameSite, 'Lax');
    await step(page, '1-hosted-login');

    // Sign up: a new email on the hosted page creates the user.
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app}/account`);
    await assert.doesNotReject(page.locator('#email').waitFor());
    assert.equal(await page.locator('#email').textContent(), email);
    assert.equal(await page.locator('#name').textContent(), email);   // the hosted page asks no name
    assert.deepEqual(await page.locator('#roles li').allTextContents(), ['member']);
    await step(page, '2-signed-in');

    const cookies = await context.cookies(app);
    const session = cookies.find((c) => c.name === 'session');
    assert.ok(session, 'the session cookie is set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    assert.equal(session.secure, false);      // http on loopback; the C tests check https
    assert.equal(session.path, '/');
    const hours = (session.expires - Date.now() / 1000) / 3600;
    assert.ok(hours > 7.9 && hours <= 8, `the session cookie expires in ${hours} hours`);
    assert.match(session.value, /^[0-9a-f]{64}$/);
    assert.equal(cookies.find((c) => c.name === 'signin'), undefined, 'the pre-session cookie is spent');

    // Refused on the members page without members:read.
    let r = await page.goto(`${app}/admin`);
    assert.equal(r.status(), 403);
    await assert.doesNotReject(page.getByText('members:read').first().waitFor());
    await step(page, '3-members-refused');

    // An administrator grants the admin role through the API. Scalekit sends the
    // app a membership webhook; the app refreshes the session's token on the next
    // request (what a real app does: see examples/webapp/README.md).
    const users = await ok(emu, 'GET', `/api/v1/organizations/${org}/users`);
    const user = users.users.find((u) => u.email === email);
    await ok(emu, 'POST', `/api/v1/organizations/${org}/users/${user.id}/roles`, [{ role_name: 'admin' }]);
    // The name the hosted page did not ask for, set by the administrator: it comes
    // with the refreshed ID token.
    await ok(emu, 'PATCH', `/api/v1/users/${user.id}`, { user_profile: { name: 'Ada Lovelace' } });
    for (let i = 0; i < 50; i++) {
      r = await page.goto(`${app}/admin`);
      if (r.status() === 200) break;
      await page.waitForTimeout(200);
    }
    assert.equal(r.status(), 200, 'allowed on the members page once the role is granted');
    assert.ok((await page.locator('#members').textContent()).includes(email));
    await step(page, '4-members-allowed');
    await page.goto(`${app}/account`);
    assert.equal(await page.locator('#name').textContent(), 'Ada Lovelace');
    assert.deepEqual((await page.locator('#roles li').allTextContents()).sort(), ['admin', 'member']);
    assert.ok((await page.locator('#permissions li').allTextContents()).includes('members:read'));
    await step(page, '5-account-after-role-change');
    await page.goto(`${app}/events`);
    await assert.doesNotReject(page.getByText('user.organization_membership_updated').first().waitFor());
    await step(page, '6-events');

    // Sign out: through Scalekit's logout and back, signed out.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${app}/signed-out`);
    await assert.doesNotReject(page.getByText('You are signed out').waitFor());
    assert.equal((await context.cookies(app)).find((c) => c.name === 'session'), undefined);
    await step(page, '7-signed-out');

    // The protected page now sends the browser to sign in again.
    await page.goto(`${app}/account`);
    assert.ok(page.url().startsWith(`${emu.url}/oauth/authorize`), page.url());
    await step(page, '8-protected-redirects');

    // No token in any URL: no JWT, no refresh token, no token parameter. The
    // callback's code= is the standard exchange and allowed.
    assert.ok(visited.some((u) => u.startsWith(`${app}/callback?code=`)), 'the callback was recorded');
    for (const u of visited) {
      assert.doesNotMatch(u, /eyJ[\w-]+\.eyJ[\w-]+/, `a JWT in ${u}`);
      assert.doesNotMatch(u, /[?&](access_token|id_token|refresh_token|id_token_hint)=/i, `a token in ${u}`);
      assert.doesNotMatch(u, /\brt_[0-9a-f]{16,}/, `a refresh token in ${u}`);
      assert.doesNotMatch(u, /code_verifier/, `the PKCE verifier in ${u}`);
    }
    // Nor in the app's log: it names paths, never a query (the callback's holds the code).
    const log = webapp.log();
    assert.match(log, /^webapp: GET \/callback 303$/m);
    assert.doesNotMatch(log, /eyJ|\brt_[0-9a-f]{16,}|code=|state=/, `a secret in the log:\n${log}`);
  } finally {
    await browser.close();
    assert.equal(await webapp.stop(), 0, 'the app stopped cleanly');
    await emu.stop();
  }
});

await run();
