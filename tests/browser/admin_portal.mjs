// The admin portal page in a real browser at phone width: a portal link opens
// the organization's page (domains, SSO, directory), its OIDC form is filled
// through its labels and saved, SSO is enabled with the page's button, the
// page fits the screen (no sideways scroll), and an expired link shows a page
// that says so.
import assert from 'node:assert/strict';
import { api, launch, run, screenshot, startEmulator, test } from './harness.mjs';

const PHONE = { viewport: { width: 360, height: 780 } };

async function organizationWithLink(emu) {
  const org = await api(emu, 'POST', '/api/v1/organizations', { display_name: 'Phone Portal Inc' });
  assert.equal(org.status, 201);
  const id = org.body.organization.id;
  const domain = await api(emu, 'POST', `/api/v1/organizations/${id}/domains`, { domain: 'phone-portal.example' });
  assert.equal(domain.status, 200);
  const link = await api(emu, 'PUT', `/api/v1/organizations/${id}/portal_links`);
  assert.equal(link.status, 200);
  return { id, location: link.body.link.location };
}

test('the portal page configures and enables an OIDC connection', async () => {
  const emu = await startEmulator();
  const { browser, page } = await launch({ contextOptions: PHONE });
  try {
    const { id, location } = await organizationWithLink(emu);
    await page.goto(location);
    assert.equal(await page.title(), 'Admin portal');
    assert.ok(await page.getByText('phone-portal.example').isVisible());
    assert.ok(await page.getByRole('heading', { name: 'Single sign-on' }).isVisible());
    assert.ok(await page.getByRole('group', { name: 'OIDC settings' }).isVisible());
    await screenshot(page, 'admin_portal', '1-empty');

    const idp = 'http://127.0.0.1:9';
    await page.getByLabel('Issuer').fill(idp);
    await page.getByLabel('Authorization endpoint').fill(`${idp}/authorize`);
    await page.getByLabel('Token endpoint').fill(`${idp}/token`);
    await page.getByLabel('JWKS URI').fill(`${idp}/keys`);
    await page.getByLabel('Client ID').fill('phone-client');
    await page.getByLabel('Client secret').fill('phone-secret-0007');
    await Promise.all([page.waitForURL('**done=saved'), page.getByRole('button', { name: 'Save settings' }).click()]);
    assert.equal(await page.getByRole('status').textContent(), 'The SSO settings are saved.');
    await screenshot(page, 'admin_portal', '2-saved');

    await Promise.all([page.waitForURL('**done=enabled'), page.getByRole('button', { name: 'Enable SSO' }).click()]);
    assert.equal(await page.getByRole('status').textContent(), 'SSO is enabled.');
    assert.ok(await page.getByRole('button', { name: 'Disable SSO' }).isVisible());
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the page is ${width}px wide on a 360px screen`);
    await screenshot(page, 'admin_portal', '3-enabled');

    const list = await api(emu, 'GET', `/api/v1/connections?organization_id=${id}`);
    assert.equal(list.status, 200);
    assert.equal(list.body.connections.length, 1);
    assert.equal(list.body.connections[0].enabled, true);
    assert.ok(!(await page.content()).includes('phone-secret'), 'the secret is never shown back');
  } finally {
    await browser.close();
    await emu.stop();
  }
});

test('an unknown portal link shows a page that says so', async () => {
  const emu = await startEmulator();
  const { browser, page } = await launch({ contextOptions: PHONE });
  try {
    const response = await page.goto(`${emu.url}/portal/lnk_0000`);
    assert.equal(response.status(), 404);
    assert.match(await page.getByRole('alert').textContent(), /not valid/);
    await screenshot(page, 'admin_portal', '4-unknown');
  } finally {
    await browser.close();
    await emu.stop();
  }
});

await run();
