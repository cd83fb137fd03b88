// The routes `cargo xtask bench-spa` measures (tests/bench/routes.mjs and lighthouse.mjs):
// [kind, path, session cookie or null], one or more of every kind.
import { login } from './session.mjs';

// One of the client's tickets (the bench's fresh database has none: one is created).
async function clientTicket(base, cookie) {
  const res = await fetch(`${base}/api/tickets?per_page=1`, { headers: { cookie } });
  const j = await res.json();
  const t = (j.items ?? j.tickets ?? j)[0];
  if (t?.id) return t.id;
  const made = await fetch(`${base}/api/tickets`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({
      service_id: 's-alfa-email',
      priority: 'medium',
      category: 'incident',
      subject: 'No puedo enviar correos (bench)',
      description: 'Desde esta mañana Outlook marca error al enviar.',
    }),
  });
  return made.ok ? (await made.json()).id : undefined;
}

async function firstCategory(base) {
  const j = await (await fetch(`${base}/api/kb/categories`)).json().catch(() => null);
  const cats = j?.items ?? j?.categories ?? j ?? [];
  return cats[0]?.slug ?? 'correo';
}

export async function spaRoutes(base) {
  const ana = await login(base, 'ana@alfa.mx');
  const agent = await login(base, 'agente@demo.mx');
  const admin = await login(base, 'admin@demo.mx');
  const ticket = await clientTicket(base, ana);
  const cat = await firstCategory(base);
  return [
    ['public', '/', null],
    ['public', '/entrar', null],
    ['public', '/politica', null],
    ['public', '/horario', null],
    ['public', '/kb', null],
    ['public', `/kb/${cat}`, null],
    ['public', '/kb/correo/correo-iphone', null],
    ['client', '/mis-tickets', ana],
    ['client', '/nuevo-ticket', ana],
    ['client', ticket ? `/tickets/${ticket}` : '/mis-tickets', ana],
    ['staff', '/cola', agent],
    ['staff', '/articulos', agent],
    ['admin', '/admin/empresas', admin],
  ];
}
