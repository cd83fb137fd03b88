// Issue 12 in Chromium on a phone: the admin creates a company, adds a service and a póliza,
// invites a client; the invitation link is read from the dev mailbox; the client activates
// (password rule errors show under the field), lands signed in and opens a first ticket on
// that service.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, VIEWPORTS, SHOTS } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const tid = (id) => `[data-testid="${id}"]`;
const uniq = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e5).toString(36)}`;

async function invitationLink(admin, email) {
  for (let i = 0; i < 30; i++) {
    const box = await admin.evaluate(async (to) => (await fetch(`/api/dev/mailbox?to=${encodeURIComponent(to)}`)).json(), email);
    const m = box.messages.find((x) => /\/activar\?token=[0-9a-f]{64}/.test(x.text));
    if (m) return new URL(m.text.match(/https?:\/\/\S+\/activar\?token=[0-9a-f]{64}/)[0]).pathname + '?token=' + m.text.match(/token=([0-9a-f]{64})/)[1];
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no invitation for ${email}`);
}

test('onboarding on a phone: admin creates company, service, póliza and invites; the client activates and opens a ticket', async () => {
  const u = uniq();
  const company = `Onboarding ${u}`;
  const email = `cliente${u}@onboarding.mx`;
  const admin = await newPage(browser, VIEWPORTS.phone);
  await signIn(admin, 'admin@demo.mx');

  await admin.goto('/admin/empresas');
  await admin.fill(tid('nc-name'), company);
  await admin.click(tid('nc-submit'));
  await admin.waitForSelector(`${tid('company-name')}:has-text("${company}")`);
  assert.match(new URL(admin.url()).pathname, /^\/admin\/empresas\/.+/);

  await admin.selectOption(tid('svc-kind'), 'hosting');
  await admin.fill(tid('svc-name'), `Hospedaje ${u}`);
  await admin.click(tid('svc-submit'));
  await admin.waitForSelector(`${tid('service')}[data-status="active"]`);

  await admin.selectOption(tid('k-plan'), 'basica');
  await admin.click(tid('k-submit'));
  await admin.waitForSelector(`${tid('contract')}[data-plan="basica"]`);

  await admin.fill(tid('inv-email'), email);
  await admin.fill(tid('inv-name'), 'Clienta Nueva');
  await admin.click(tid('inv-submit'));
  await admin.waitForSelector(tid('invited'));
  await admin.waitForSelector(`${tid('person')}[data-email="${email}"][data-status="invited"]`);
  await admin.screenshot({ path: `${SHOTS}admin-company-phone.png`, fullPage: true });
  // Nothing wider than the phone.
  const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `horizontal overflow ${overflow}px`);

  const link = await invitationLink(admin, email);
  const client = await newPage(browser, VIEWPORTS.phone);
  await client.goto(link);
  // A password that breaks the rules: the server's message under the field, nothing changes.
  await client.fill(tid('new-password'), 'corta');
  await client.fill(tid('confirm-password'), 'corta');
  await client.click(tid('token-submit'));
  await client.waitForSelector('[data-field-error="password"]');
  await client.fill(tid('new-password'), 'caballo-bateria-grapa-9');
  await client.fill(tid('confirm-password'), 'caballo-bateria-grapa-9');
  await client.click(tid('token-submit'));
  await client.waitForURL((url) => url.pathname === '/mis-tickets');
  await client.waitForSelector('[data-nav="logout"]');

  await client.goto('/nuevo-ticket');
  await client.waitForSelector(tid('service-option'));
  await client.check(`${tid('service-option')}[data-kind="hosting"] input`);
  await client.check(`${tid('category-option')}[data-category="incident"] input`);
  await client.check(`${tid('priority-option')}[data-priority="medium"] input`);
  await client.click(tid('step-next'));
  await client.fill(tid('subject'), `Primer ticket ${u}`);
  await client.fill(tid('description'), 'La página de la tienda no carga desde hoy.');
  await client.click(tid('step-next'));
  await client.click(tid('step-next'));
  await client.click(tid('submit-ticket'));
  const done = await client.waitForSelector(tid('ticket-created'));
  assert.match(await done.getAttribute('data-number'), /^T-\d{4}-\d{6}$/);
  await client.screenshot({ path: `${SHOTS}onboarding-first-ticket-phone.png`, fullPage: true });

  assert.deepEqual(admin.errors, []);
  assert.deepEqual(client.errors, []);
  await admin.context().close();
  await client.context().close();
});
