// A stand-in for the API, served through Playwright's request interception,
// so the dashboard can be measured (and looked at) without a database. Only
// the endpoints the measured screens call are answered; anything else is a 404
// in the API's error shape.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';

const NOW = '2025-01-01T12:00:00.000Z';
const CONTENT_TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json' };

export const account = {
  id: '0190f000-0000-7000-8000-000000000001', email: 'ada@example.com', isEmailVerified: true, username: 'ada', locale: 'en',
  isAdmin: false, hasPassword: true, isTotpEnabled: false, isDiscordLinked: false, createdAt: NOW,
};
export const workspace = {
  id: '0190f000-0000-7000-8000-000000000002', slug: 'ada', name: 'Ada', kind: 'personal', createdAt: NOW, role: 'owner',
  permissions: ['workspace.read', 'workspace.update', 'members.read', 'resources.read', 'resources.write', 'resources.execute'],
};

const port = (inputs, outputs) => ({ inputs, outputs });
export const nodeTypes = [
  { type: 'trigger.webhook', version: 1, name: 'Webhook', description: 'Starts the workflow when an HTTP request arrives at its path.', kind: 'trigger', ports: port([], ['main']),
    params: { type: 'object', properties: { path: { type: 'string', minLength: 1 }, method: { type: 'string', enum: ['GET', 'POST'], default: 'POST' } }, required: ['path'] } },
  { type: 'transform', version: 1, name: 'Transform', description: 'Builds an object whose fields are JSONata expressions over the input.', kind: 'action', ports: port(['main'], ['main']),
    params: { type: 'object', properties: { mapping: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } }, source: { type: 'string', default: '$' } }, required: ['mapping'] } },
  { type: 'condition', version: 1, name: 'Condition', description: 'Sends the input to "true" or "false".', kind: 'flow', ports: port(['main'], ['true', 'false']),
    params: { type: 'object', properties: { expression: { type: 'string', minLength: 1 } }, required: ['expression'] } },
  { type: 'respond', version: 1, name: 'Respond', description: 'Sets the reply of the run.', kind: 'action', ports: port(['main'], ['main']),
    params: { type: 'object', properties: { status: { type: 'integer', default: 200 }, body: {} } } },
];

/** A webhook followed by `count - 1` transforms in rows of ten, each fed by the one before. */
export function buildLargeWorkflow(count) {
  const nodes = [{ id: 'webhook', type: 'trigger.webhook', version: 1, name: 'Webhook', params: { path: 'load', method: 'POST' }, position: { x: 0, y: 0 } }];
  const edges = [];
  for (let index = 1; index < count; index++) {
    nodes.push({
      id: `transform_${index}`, type: 'transform', version: 1, name: `Step ${index}`,
      params: { mapping: { value: `$.value + ${index}` } },
      position: { x: (index % 10) * 280, y: Math.floor(index / 10) * 160 },
    });
    edges.push({ from: nodes[index - 1].id, fromPort: 'main', to: `transform_${index}`, toPort: 'main' });
  }
  return {
    id: '0190f000-0000-7000-8000-000000000200', workspaceId: workspace.id, name: `Load test (${count} nodes)`, description: '',
    publishedVersionId: null, publishedVersion: null, settings: { savingPolicy: 'all', concurrencyLimit: null, timeoutMs: 300000 },
    createdBy: account.id, createdAt: NOW, updatedAt: NOW, archivedAt: null, draftGraph: { nodes, edges }, draftUpdatedAt: NOW, problems: [],
  };
}

/** Answers /api/v1/* for `page` from the fixtures above. */
export async function installMockApi(page, { workflows = [] } = {}) {
  const reply = (route, status, body) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
  await page.route('**/api/v1/**', (route) => {
    const url = new URL(route.request().url());
    const path = url.pathname;
    if (path === '/api/v1/me') return reply(route, 200, account);
    if (path === '/api/v1/auth/csrf') return reply(route, 200, { csrfToken: 'mock' });
    if (path === '/api/v1/node-types') return reply(route, 200, nodeTypes);
    if (path === '/api/v1/workspaces') return reply(route, 200, { items: [workspace], nextCursor: null });
    if (path === `/api/v1/workspaces/${workspace.slug}/workflows`) return reply(route, 200, { items: workflows, nextCursor: null });
    const workflow = workflows.find((item) => path === `/api/v1/workspaces/${workspace.slug}/workflows/${item.id}`);
    if (workflow) return reply(route, 200, workflow);
    return reply(route, 404, { error: { code: 'ROUTE_NOT_FOUND', message: `No mock for ${path}`, requestId: 'mock' } });
  });
}

/** Serves a built dashboard with the server's SPA fallback: unknown paths get index.html. */
export function serveDist(distDir) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    let file = join(distDir, path);
    if (!file.startsWith(distDir) || !existsSync(file) || statSync(file).isDirectory()) file = join(distDir, 'index.html');
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}
