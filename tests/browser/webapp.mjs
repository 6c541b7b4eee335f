// The example web app (examples/webapp) in headless Chromium: sign up on the
// hosted page, land signed in and see name and roles, be refused on the
// members page, be allowed once an administrator grants the role through the
// API, sign out, and see the protected page send the browser to sign in.
// Checks the cookies' flags in the browser's jar and that no token appears in
// any URL the browser requested. A screenshot of each step goes to the build
// folder.
//
// usage: node webapp.mjs EMULATOR WEBAPP SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [emulatorBin, webappBin, shots] = process.argv.slice(2);
assert.ok(emulatorBin && webappBin && shots, 'usage: node webapp.mjs EMULATOR WEBAPP SCREENSHOT_DIR');
mkdirSync(shots, { recursive: true });
const children = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Start a program and resolve with its stdout once @p ready matches it.
function start(bin, args, env, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${bin} did not start: ${out}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      if (ready.test(out)) { clearTimeout(timer); resolve(out); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${bin} exited ${code}: ${out}`)); });
  });
}

let step = 0;
async function screenshot(page, name) {
  step += 1;
  await page.screenshot({ path: path.join(shots, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
}

// ---- the environment: the emulator delivering webhooks to the app, and the app ----
const appPort = await freePort();
const app = `http://127.0.0.1:${appPort}`;
const emuOut = await start(emulatorBin, ['--port', '0', '--quiet', '--webhook-url', `${app}/webhooks`,
  '--redirect-uri', `${app}/callback`, '--redirect-uri', `${app}/signed-out`], {}, /listen_url: /);
const field = (name) => emuOut.match(new RegExp(`^${name}: (\\S+)`, 'm'))[1];
const env = {
  url: emuOut.split('\n')[0].trim(),
  clientId: field('client_id'), clientSecret: field('client_secret'), webhookSecret: field('webhook_secret'),
};

// The administrator's side, through the API as any backend would call it.
const token = await (await fetch(`${env.url}/oauth/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'client_credentials', client_id: env.clientId,
    client_secret: env.clientSecret }),
})).json();
async function api(method, route, body) {
  const r = await fetch(`${env.url}${route}`, {
    method, headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  assert.ok(r.ok, `${method} ${route}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : {};
}
const org = (await api('POST', '/api/v1/organizations', { display_name: 'Acme' })).organization.id;
await api('POST', '/api/v1/permissions', { name: 'members:read', description: "List the organization's members" });
await api('POST', '/api/v1/roles/admin/permissions', { permission_names: ['members:read'] });

await start(webappBin, ['--port', String(appPort), '--organization', org, '--quiet'], {
  SCALEKIT_ENVIRONMENT_URL: env.url, SCALEKIT_CLIENT_ID: env.clientId,
  SCALEKIT_CLIENT_SECRET: env.clientSecret, SCALEKIT_WEBHOOK_SECRET: env.webhookSecret,
}, /webapp: open /);

// ---- the browser, at a phone's width ----
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'] });
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const visited = [];                       // every URL the browser requested, redirects included
  page.on('request', (r) => visited.push(r.url()));
  const email = `ada.${Date.now()}@example.com`;

  // The protected page sends a new visitor to the hosted login.
  await page.goto(`${app}/account`);
  assert.ok(page.url().startsWith(`${env.url}/oauth/authorize`), page.url());
  const pre = (await context.cookies(app)).find((c) => c.name === 'signin');
  assert.ok(pre, 'the pre-session cookie is set');
  assert.equal(pre.httpOnly, true);
  assert.equal(pre.sameSite, 'Lax');
  await screenshot(page, 'hosted-login');

  // Sign up: a new email on the hosted page creates the user.
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${app}/account`);
  await assert.doesNotReject(page.locator('#email').waitFor());
  assert.equal(await page.locator('#email').textContent(), email);
  assert.equal(await page.locator('#name').textContent(), email);   // no name given at sign-up
  assert.deepEqual(await page.locator('#roles li').allTextContents(), ['member']);
  await screenshot(page, 'signed-in');

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
  await screenshot(page, 'members-refused');

  // An administrator grants the admin role through the API. Scalekit sends the
  // app a membership webhook; the app refreshes the session's token on the next
  // request (what a real app does: see examples/webapp/README.md).
  const users = await api('GET', `/api/v1/organizations/${org}/users`);
  const user = users.users.find((u) => u.email === email);
  await api('POST', `/api/v1/organizations/${org}/users/${user.id}/roles`, [{ role_name: 'admin' }]);
  for (let i = 0; i < 50; i++) {
    r = await page.goto(`${app}/admin`);
    if (r.status() === 200) break;
    await page.waitForTimeout(200);
  }
  assert.equal(r.status(), 200, 'allowed on the members page once the role is granted');
  assert.ok((await page.locator('#members').textContent()).includes(email));
  await screenshot(page, 'members-allowed');
  await page.goto(`${app}/account`);
  assert.deepEqual((await page.locator('#roles li').allTextContents()).sort(), ['admin', 'member']);
  assert.ok((await page.locator('#permissions li').allTextContents()).includes('members:read'));
  await page.goto(`${app}/events`);
  await assert.doesNotReject(page.getByText('user.organization_membership_updated').first().waitFor());
  await screenshot(page, 'events');

  // Sign out: through Scalekit's logout and back, signed out.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${app}/signed-out`);
  await assert.doesNotReject(page.getByText('You are signed out').waitFor());
  assert.equal((await context.cookies(app)).find((c) => c.name === 'session'), undefined);
  await screenshot(page, 'signed-out');

  // The protected page now sends the browser to sign in again.
  await page.goto(`${app}/account`);
  assert.ok(page.url().startsWith(`${env.url}/oauth/authorize`), page.url());
  await screenshot(page, 'protected-redirects');

  // No token in any URL: no JWT, no refresh token, no token parameter. The
  // callback's code= is the standard exchange and allowed.
  assert.ok(visited.some((u) => u.startsWith(`${app}/callback?code=`)), 'the callback was recorded');
  for (const u of visited) {
    assert.doesNotMatch(u, /eyJ[\w-]+\.eyJ[\w-]+/, `a JWT in ${u}`);
    assert.doesNotMatch(u, /[?&](access_token|id_token|refresh_token|id_token_hint)=/i, `a token in ${u}`);
    assert.doesNotMatch(u, /\brt_[0-9a-f]{16,}/, `a refresh token in ${u}`);
    assert.doesNotMatch(u, /code_verifier/, `the PKCE verifier in ${u}`);
  }
  console.log(`webapp browser test: ${visited.length} URLs checked, ${step} screenshots in ${shots}`);
} finally {
  await browser.close();
  for (const c of children) c.kill('SIGTERM');
}
