// Signing in through an organization's connection in a real browser:
// - OIDC: the app's environment (emulator A) sends the browser to the
//   organization's identity provider (emulator B, another process), whose page
//   has the user's email filled in;
// - SAML: the labelled stand-in page, filled by its labels, returns to the app;
//   it reads at phone width.
import assert from 'node:assert/strict';
import http from 'node:http';
import { api, freePort, launch, run, screenshot, startEmulator, test } from './harness.mjs';

async function startApp() {
  const port = await freePort();
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!DOCTYPE html><title>app</title><p id="back">back in the app</p>');
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { redirect: `http://localhost:${port}/callback`, close: () => server.close() };
}

/** An organization of @p emu with ORGANIZATION_DOMAIN @p domain and an enabled connection of @p connection. */
async function organizationWithConnection(emu, domain, connection) {
  const org = await api(emu, 'POST', '/api/v1/organizations', { display_name: domain });
  assert.equal(org.status, 201, JSON.stringify(org.body));
  const id = org.body.organization.id;
  const dom = await api(emu, 'POST', `/api/v1/organizations/${id}/domains`, { domain });
  assert.ok(dom.status === 200 || dom.status === 201, JSON.stringify(dom.body));
  const conn = await api(emu, 'POST', `/api/v1/organizations/${id}/connections`, connection);
  assert.ok(conn.status === 200 || conn.status === 201, JSON.stringify(conn.body));
  const connId = conn.body.connection.id;
  const on = await api(emu, 'PATCH', `/api/v1/organizations/${id}/connections/${connId}:enable`);
  assert.equal(on.status, 200, JSON.stringify(on.body));
  return { org: id, connection: connId };
}

function authorizeUrl(emu, app, state, loginHint) {
  const q = new URLSearchParams({
    response_type: 'code', client_id: emu.clientId, redirect_uri: app.redirect, state,
    scope: 'openid profile email', login_hint: loginHint,
  });
  return `${emu.url}/oauth/authorize?${q}`;
}

test('OIDC: the app\'s environment sends the browser to the identity provider\'s page', async () => {
  const a = await startEmulator();
  const b = await startEmulator();
  const app = await startApp();
  const { browser, page } = await launch();
  try {
    await organizationWithConnection(a, 'acme.example', {
      type: 'OIDC', provider: 'OKTA',
      oidc_config: {
        issuer: b.url, authorize_uri: `${b.url}/oauth/authorize`, token_uri: `${b.url}/oauth/token`,
        jwks_uri: `${b.url}/keys`, client_id: b.clientId, client_secret: b.clientSecret,
        scopes: ['openid', 'profile', 'email'],
      },
    });
    const state = 'st-' + Math.random().toString(36).slice(2);
    await page.goto(authorizeUrl(a, app, state, 'ada@acme.example'));
    assert.ok(page.url().startsWith(`${b.url}/oauth/authorize?`), `on the IdP: ${page.url()}`);
    assert.equal(await page.getByLabel('Email address').inputValue(), 'ada@acme.example');
    assert.ok(!(await page.content()).includes(state), "the app's state stays at the app's environment");
    await screenshot(page, 'sso_login', '1-idp-page');
    // Not clicked here: the IdP's page (another emulator's hosted login) allows its
    // form to lead only to its own redirect URI's origin (A), and Chrome checks
    // form-action on the whole redirect chain, so A's redirect on to the app is
    // blocked in a browser. it_sso_oidc.c runs the rest of the round trip over HTTP.
  } finally {
    await browser.close();
    app.close();
    await a.stop();
    await b.stop();
  }
});

test('SAML: the stand-in page, filled by its labels, at phone width', async () => {
  const emu = await startEmulator();
  const app = await startApp();
  const { browser, page } = await launch({ contextOptions: { viewport: { width: 360, height: 740 } } });
  try {
    await organizationWithConnection(emu, 'globex.example', {
      type: 'SAML', provider: 'MICROSOFT_AD',
      saml_config: { idp_entity_id: 'https://idp.globex.example', idp_sso_url: 'https://idp.globex.example/sso' },
    });
    const state = 'st-' + Math.random().toString(36).slice(2);
    await page.goto(authorizeUrl(emu, app, state, 'hank@globex.example'));
    assert.equal(await page.title(), 'Stand-in for the SAML identity provider');
    assert.match(await page.content(), /no XML is exchanged/);
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    assert.ok(widths.doc <= widths.view, `page is ${widths.doc}px wide in a ${widths.view}px screen`);
    await page.getByLabel('Email address').fill('hank@globex.example');
    await page.getByLabel('Full name').fill('Hank Scorpio');
    await page.getByLabel('Groups').fill('engineering, admins');
    await screenshot(page, 'sso_login', '2-saml-stand-in');
    await Promise.all([page.waitForURL(`${app.redirect}?**`), page.getByRole('button', { name: 'Sign in' }).click()]);
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('state'), state);
    assert.match(back.searchParams.get('code') || '', /^.{20,}$/);
  } finally {
    await browser.close();
    app.close();
    await emu.stop();
  }
});

await run();
