// The browser tests' shared harness: Debian's chromium driven headless through
// playwright-core (no bundled browser is downloaded), scalekit-emulator started
// as a child process, screenshots written under the build folder, and a tiny
// sequential test runner whose exit status ctest reads.
//
// Environment (set by scalekit_add_browser_test in tests/browser/CMakeLists.txt):
//   SCALEKIT_EMULATOR_BIN  the scalekit-emulator program to run
//   SCALEKIT_BROWSER_OUT   the folder for screenshots (created when missing)
//   SCALEKIT_CHROMIUM      the browser (default /usr/bin/chromium)
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';

const outDir = process.env.SCALEKIT_BROWSER_OUT || path.resolve('browser-out');
// Every emulator started, so run() can check each stopped cleanly (a sanitizer
// report at exit makes its status non-zero).
const started = [];

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start scalekit-emulator. By default its public URL is http://localhost:PORT:
 * browsers treat localhost as a secure context (WebAuthn needs one) and the
 * passkey rp id is then "localhost". Resolves to
 * { url, clientId, clientSecret, webhookSecret, stop() }; extra command-line
 * options go in args.
 */
export async function startEmulator({ args = [], localhost = true } = {}) {
  const bin = process.env.SCALEKIT_EMULATOR_BIN;
  if (!bin) throw new Error('SCALEKIT_EMULATOR_BIN is not set');
  const port = await freePort();
  const options = ['--port', String(port), '--quiet', ...args];
  if (localhost) options.push('--public-url', `http://localhost:${port}`);
  const child = spawn(bin, options, { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  const lines = await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`${bin} printed no credentials in 20 s`)), 20000);
    child.once('exit', (code) => reject(new Error(`${bin} exited with ${code} before it started`)));
    child.stdout.on('data', (chunk) => {
      text += chunk;
      if (/^listen_url: .*\n/m.test(text)) {
        clearTimeout(timer);
        resolve(text.split('\n'));
      }
    });
  });
  const field = (name) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
  return {
    url: lines[0],
    clientId: field('client_id'),
    clientSecret: field('client_secret'),
    webhookSecret: field('webhook_secret'),
    process: child,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    }),
  };
}

/** A loopback "app" that answers its callback with a page; { redirect, close() }. */
export async function startApp() {
  const port = await freePort();
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!DOCTYPE html><title>app</title><p id="back">back in the app</p>');
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { redirect: `http://localhost:${port}/callback`, close: () => server.close() };
}

/** Headless chromium with one fresh context and page; close with browser.close(). */
export async function launch({ contextOptions = {} } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.SCALEKIT_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Containers often lack the user namespaces chromium's sandbox needs.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  return { browser, context, page };
}

/** Every URL the page's frames navigate to or request, in order (for "no token in a URL" checks). */
export function recordUrls(context) {
  const urls = [];
  context.on('request', (request) => urls.push(request.url()));
  return urls;
}

/** Save a full-page screenshot as OUT/<suite>/<name>.png; the path. */
export async function screenshot(page, suite, name) {
  const dir = path.join(outDir, suite);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A client-credentials token of the emulator's API client. */
export async function apiToken(emu) {
  const body = new URLSearchParams({
    grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret,
  });
  const res = await fetch(`${emu.url}/oauth/token`, { method: 'POST', body });
  if (res.status !== 200) throw new Error(`/oauth/token answered ${res.status}: ${await res.text()}`);
  return (await res.json()).access_token;
}

/** Call the emulator's /api/v1 with its API client; resolves to { status, body }. */
export async function api(emu, method, route, body) {
  const token = await apiToken(emu);
  const res = await fetch(`${emu.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
  return { status: res.status, body: parsed };
}

const tests = [];
/** Register a test; run() runs them in order. */
export function test(name, fn) {
  tests.push({ name, fn });
}

/** Run the registered tests one after another; exit 1 when any failed. */
export async function run() {
  let failed = 0;
  for (const { name, fn } of tests) {
    const started = Date.now();
    try {
      await fn();
      console.log(`ok - ${name} (${Date.now() - started} ms)`);
    } catch (err) {
      failed++;
      console.log(`not ok - ${name}\n${err && err.stack ? err.stack : err}`);
    }
  }
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
    }
    if (child.exitCode !== 0) {
      failed++;
      console.log(`not ok - scalekit-emulator (pid ${child.pid}) exited with ${child.exitCode ?? child.signalCode}`);
    }
  }
  console.log(`${tests.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
