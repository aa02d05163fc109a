import type { WorkflowDocument } from '../../api/workflows.api';

/**
 * The example a new user starts from: a webhook that greets whoever calls it.
 * The path gets a random suffix so importing it twice never collides with a
 * published copy listening on the same address.
 */
export function buildStarterWorkflow(): WorkflowDocument {
  const suffix = Math.random().toString(36).slice(2, 6);
  return {
    weft: 'workflow',
    version: 1,
    name: 'Hello webhook',
    description: 'Answers POST requests with a greeting built from the JSON body: {"name": "Ada"} → "Hello, Ada!"',
    settings: { savingPolicy: 'all', concurrencyLimit: null, timeoutMs: 30_000 },
    graph: {
      nodes: [
        {
          id: 'webhook',
          type: 'trigger.webhook',
          version: 1,
          name: 'Incoming request',
          params: { path: `hello-${suffix}`, method: 'POST', mode: 'sync', auth: { type: 'none' } },
          position: { x: 0, y: 80 },
        },
        {
          id: 'greet',
          type: 'transform',
          version: 1,
          name: 'Build the greeting',
          params: { source: 'body', mapping: { greeting: '"Hello, " & (name ? name : "friend") & "!"', receivedAt: '$now()' } },
          position: { x: 280, y: 80 },
        },
        {
          id: 'reply',
          type: 'respond',
          version: 1,
          name: 'Reply',
          params: { status: 200 },
          position: { x: 560, y: 80 },
        },
      ],
      edges: [
        { from: 'webhook', fromPort: 'main', to: 'greet', toPort: 'main' },
        { from: 'greet', fromPort: 'main', to: 'reply', toPort: 'main' },
      ],
    },
  };
}
