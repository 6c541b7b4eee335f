// Passkeys in a real browser: chromium's virtual authenticator (DevTools
// WebAuthn domain, CTAP2, internal transport, resident keys, user
// verification) creates a passkey on the hosted page, which signs the user in;
// a new sign-in uses it; the API lists, renames and deletes it; the next
// sign-in with it fails on the page.
import assert from 'node:assert/strict';
import http from 'node:http';
import { api, freePort, launch, run, screenshot, startEmulator, test } from './harness.mjs';

const SUITE = 'passkeys';

/** A loopback "app" whose callback answers a small page. */
async function startApp() {
  const port = await freePort();
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!DOCTYPE html><title>app</title><p>back in the app</p>');
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { redirect: `http://localhost:${port}/callback`, close: () => server.close() };
}

/** Open the hosted page of a new authorization request. */
async function openLogin(page, emu, app) {
  const q = new URLSearchParams({
    response_type: 'code', client_id: emu.clientId, redirect_uri: app.redirect, state: 'st-passkeys',
    scope: 'openid profile email',
  });
  await page.goto(`${emu.url}/oauth/authorize?${q}`);
  assert.equal(await page.title(), 'Sign in');
}

/** Exchange the code the app received; the ID token's claims. */
async function claimsOf(emu, app, url) {
  const back = new URL(url);
  assert.equal(back.searchParams.get('state'), 'st-passkeys');
  const body = new URLSearchParams({
    grant_type: 'authorization_code', code: back.searchParams.get('code'), redirect_uri: app.redirect,
    client_id: emu.clientId, client_secret: emu.clientSecret,
  });
  const res = await fetch(`${emu.url}/oauth/token`, { method: 'POST', body });
  assert.equal(res.status, 200, await res.clone().text());
  const { id_token: idToken } = await res.json();
  return JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString());
}

test('create a passkey on the hosted page, sign in with it, manage it through the API, and lose it', async () => {
  const emu = await startEmulator();
  const app = await startApp();
  const { browser, context, page } = await launch();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
        isUserVerified: true,
      },
    });
    const email = `passkey.${Date.now()}@example.com`;

    // 1. register: the new passkey signs the user in
    await openLogin(page, emu, app);
    await page.getByLabel('Email for a new passkey').fill(email);
    await screenshot(page, SUITE, '1-login-page');
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.waitForSelector('#passkey-create');
    assert.equal(await page.title(), 'Create a passkey');
    await screenshot(page, SUITE, '2-create-page');
    await Promise.all([page.waitForURL(`${app.redirect}?**`), page.getByRole('button', { name: 'Create passkey' }).click()]);
    const first = await claimsOf(emu, app, page.url());
    assert.equal(first.email, email);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].isResidentCredential, true);

    // 2. a new authorization request (signed out: the emulator keeps no browser session)
    await openLogin(page, emu, app);
    await Promise.all([page.waitForURL(`${app.redirect}?**`),
      page.getByRole('button', { name: 'Use a passkey' }).click()]);
    const second = await claimsOf(emu, app, page.url());
    assert.equal(second.email, email);
    assert.equal(second.sub, first.sub);
    await screenshot(page, SUITE, '3-signed-in-with-the-passkey');

    // 3. list, rename, delete through the API
    const listed = await api(emu, 'GET', `/api/v1/webauthn/credentials?user_id=${first.sub}`);
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.equal(listed.body.credentials.length, 1);
    const cred = listed.body.credentials[0];
    assert.equal(cred.user_id, first.sub);
    assert.equal(cred.authenticator.attachment, 'platform');
    assert.deepEqual(cred.transports, ['internal']);
    assert.equal(cred.authenticator_flags.user_verified, true);
    assert.equal(cred.user_agent.browser, 'Chrome');
    // the API's credential_id is standard base64 (bytes in proto JSON), as DevTools reports it
    const rawId = Buffer.from(credentials[0].credentialId, 'base64');
    assert.deepEqual(Buffer.from(cred.credential_id, 'base64'), rawId);
    assert.equal(listed.body.all_accepted_credentials_options.rp_id, 'localhost');
    const renamed = await api(emu, 'PATCH', `/api/v1/webauthn/credentials/${cred.id}`, { display_name: 'Headless laptop' });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.credential.display_name, 'Headless laptop');
    const deleted = await api(emu, 'DELETE', `/api/v1/webauthn/credentials/${cred.id}`);
    assert.equal(deleted.status, 200);
    // for PublicKeyCredential.signalUnknownCredential(): base64url
    assert.equal(deleted.body.unknown_credential_options.credential_id, rawId.toString('base64url'));
    assert.equal((await api(emu, 'DELETE', `/api/v1/webauthn/credentials/${cred.id}`)).status, 404);

    // 4. the authenticator still holds the key, but the environment refuses it
    await openLogin(page, emu, app);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForSelector('#email-error');
    assert.match(await page.locator('#email-error').textContent(), /Passkey sign-in failed: credential .* is not registered/);
    assert.ok(page.url().startsWith(emu.url), 'no redirect to the app');
    await screenshot(page, SUITE, '4-deleted-passkey-refused');
  } finally {
    await browser.close();
    app.close();
    await emu.stop();
  }
});

await run();
