import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bundleForChildProcess } from '@weft/testing';
import { RUN_PROGRESS_CHANNEL } from './runs.events';
import { connectSse, describeEvents, type ReceivedEvent } from './test-fixtures/sse-client';
import { asUser, buildCountedChain, createRunsHarness, waitFor, type RunsHarness, type TestWorkspace } from './test-fixtures/runs-harness';

let h: RunsHarness;
let baseUrl: string;
beforeAll(async () => {
  h = await createRunsHarness({ eventStreams: { heartbeatMs: 150, workspacePollMs: 50 } });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await h.close();
});

const eventsPath = (workspace: string, runId: string) => `/api/v1/workspaces/${workspace}/runs/${runId}/events`;

async function startDraft(graph: { nodes: unknown[]; edges: unknown[] }, workspace: TestWorkspace = h.alpha): Promise<string> {
  const { workflow } = await h.workflows.api.createWorkflow(workspace, h.actor, { name: 'Streamed', graph: graph as never });
  return (await h.runs.api.startDraftRun!(workspace, h.actor, workflow.id, { input: { n: 1 } })).runId;
}

function openGate(nodeId: string): () => void {
  let release!: () => void;
  h.gates.set(nodeId, new Promise<void>((resolve) => (release = resolve)));
  return () => {
    release();
    h.gates.delete(nodeId);
  };
}

const hasEvent = (name: string) => (events: ReceivedEvent[]) => describeEvents(events).includes(name);

/** Every node that ran has one start before one end, and the stream ends with the run's final status. */
function expectCompleteStory(events: ReceivedEvent[], nodeIds: string[], finalStatus: string, failedNode?: string): void {
  const names = describeEvents(events);
  expect(names[0]).toMatch(/^snapshot:/);
  expect(names.at(-1)).toBe(`run.status:${finalStatus}`);
  for (const nodeId of nodeIds) {
    const end = nodeId === failedNode ? `step.failed:${nodeId}` : `step.finished:${nodeId}`;
    expect(names.filter((name) => name === `step.started:${nodeId}`), nodeId).toHaveLength(1);
    expect(names.filter((name) => name === end), nodeId).toHaveLength(1);
    expect(names.indexOf(`step.started:${nodeId}`)).toBeLessThan(names.indexOf(end));
  }
  expect(events.map((event) => Number(event.id))).toEqual(events.map((_, index) => index + 1));
}

describe('run event stream', () => {
  it('streams a draft run live: a snapshot, each step as it starts and ends, the final status, then it closes', async () => {
    const release = openGate('gated');
    const runId = await startDraft(buildCountedChain(['gated', 'after']));
    const stream = await connectSse(baseUrl + eventsPath('alpha', runId), asUser(h.alice).headers);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await stream.waitFor(hasEvent('snapshot:queued'));

    const runner = h.runs.createRunner({ workerId: 'streamed', pollMs: 50 });
    await runner.start();
    try {
      // The step in flight is announced while it is still running.
      await stream.waitFor(hasEvent('step.started:gated'));
      expect(describeEvents(stream.events)).not.toContain('step.finished:gated');
      release();
      await stream.ended;
    } finally {
      await runner.stop();
    }
    expectCompleteStory(stream.events, ['start', 'gated', 'after', 'reply'], 'succeeded');
    expect(describeEvents(stream.events).indexOf('run.status:running')).toBeLessThan(describeEvents(stream.events).indexOf('step.started:gated'));
  });

  it('reports a failed step and the failed run', async () => {
    const runId = await startDraft(buildCountedChain(['breaks'], { failing: ['breaks'] }));
    const stream = await connectSse(baseUrl + eventsPath('alpha', runId), asUser(h.alice).headers);
    await stream.waitFor(hasEvent('snapshot:queued'));
    await h.runs.createRunner({ workerId: 'failing' }).runOnce();
    await stream.ended;
    expectCompleteStory(stream.events, ['start', 'breaks'], 'failed', 'breaks');
  });

  it('follows a published run nobody watched when it started (another process may be running it)', async () => {
    const release = openGate('slow-published');
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['slow-published']));
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
    const runner = h.runs.createRunner({ workerId: 'published', pollMs: 50 });
    await runner.start();
    try {
      await waitFor(async () => ((await h.runs.api.getRun(h.alpha, runId)).run.status === 'running' ? true : undefined));
      const stream = await connectSse(baseUrl + eventsPath('alpha', runId), asUser(h.alice).headers);
      const [snapshot] = await stream.waitFor(hasEvent('snapshot:running'));
      expect(snapshot!.data).toMatchObject({ run: { id: runId, status: 'running', isDraft: false }, steps: [{ nodeId: 'slow-published', status: 'running' }] });
      release();
      await stream.ended;
      expect(describeEvents(stream.events).slice(-2)).toEqual(['step.finished:reply', 'run.status:succeeded']);
    } finally {
      await runner.stop();
    }
  });

  it('a run that already ended: the snapshot, its final status, and the stream ends', async () => {
    const runId = await startDraft(buildCountedChain(['quick']));
    await h.runs.createRunner({ workerId: 'ended' }).runOnce();
    const reply = await h.app.inject({ method: 'GET', url: eventsPath('alpha', runId), ...asUser(h.alice) });
    expect(reply.statusCode).toBe(200);
    expect(reply.body.startsWith('retry: 3000\n\n')).toBe(true);
    expect(reply.body).toContain('event: snapshot\n');
    expect(reply.body.trimEnd().split('\n\n').at(-1)).toMatch(/^id: 2\nevent: run.status\ndata: \{"runId":"[^"]+","status":"succeeded"/);
  });

  it('sends a heartbeat comment while nothing happens', async () => {
    const { workflow } = await h.workflows.api.createWorkflow(h.alpha, h.actor, { name: 'Idle', graph: buildCountedChain(['idle']) as never });
    const { runId } = await h.runs.api.startDraftRun!(h.alpha, h.actor, workflow.id, {});
    const stream = await connectSse(baseUrl + eventsPath('alpha', runId), asUser(h.alice).headers);
    await waitFor(async () => (stream.comments.includes('heartbeat') ? true : undefined), 5000, 'a heartbeat');
    stream.destroy();
  });

  it('a closed connection leaves no stream, subscription or LISTEN callback behind', async () => {
    await waitFor(async () => (h.runs.eventStreamStats().streams === 0 ? true : undefined), 5000, 'earlier streams to close');
    const runId = await startDraft(buildCountedChain(['never-runs']));
    const runStream = await connectSse(baseUrl + eventsPath('alpha', runId), asUser(h.alice).headers);
    const listStream = await connectSse(baseUrl + '/api/v1/workspaces/alpha/runs/events', asUser(h.alice).headers);
    await runStream.waitFor(hasEvent('snapshot:queued'));
    await waitFor(async () => (h.runs.eventStreamStats().watchedWorkspaces === 1 ? true : undefined));
    expect(h.runs.eventStreamStats()).toEqual({ streams: 2, runSubscriptions: 1, watchedWorkspaces: 1 });
    runStream.destroy();
    listStream.destroy();
    await waitFor(async () => {
      const stats = h.runs.eventStreamStats();
      return stats.streams === 0 && stats.runSubscriptions === 0 && stats.watchedWorkspaces === 0 ? true : undefined;
    }, 5000, 'the streams to be released');
  });

  it('a member of workspace A gets 404 for the event stream of a run of workspace B, both ways', async () => {
    const ofAlpha = await startDraft(buildCountedChain(['iso']));
    const ofBeta = await startDraft(buildCountedChain(['iso']), h.beta);
    for (const [user, ownSlug, otherSlug, otherRun] of [
      [h.bob, 'beta', 'alpha', ofAlpha],
      [h.alice, 'alpha', 'beta', ofBeta],
    ] as const) {
      const own = await h.app.inject({ method: 'GET', url: eventsPath(ownSlug, otherRun), ...asUser(user) });
      expect([own.statusCode, own.json().error.code]).toEqual([404, 'RUN_NOT_FOUND']);
      expect((await h.app.inject({ method: 'GET', url: eventsPath(otherSlug, otherRun), ...asUser(user) })).statusCode).toBe(404);
      expect((await h.app.inject({ method: 'GET', url: `/api/v1/workspaces/${otherSlug}/runs/events`, ...asUser(user) })).statusCode).toBe(404);
    }
    expect((await h.app.inject({ method: 'GET', url: eventsPath('alpha', ofAlpha) })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: eventsPath('alpha', 'not-a-uuid'), ...asUser(h.alice) })).statusCode).toBe(400);
  });
});

describe('change notifications stay off the unwatched path', () => {
  it('a run nobody watches sends no NOTIFY; a watched one does', async () => {
    const heard: string[] = [];
    const unlisten = await h.database.listen(RUN_PROGRESS_CHANNEL, (payload) => heard.push(payload));
    try {
      const { workflowId } = await h.publishWorkflow(buildCountedChain(['plain-a', 'plain-b']));
      const { runId: unwatched } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
      await h.runs.createRunner({ workerId: 'unwatched' }).runOnce();
      const watched = await startDraft(buildCountedChain(['seen-a', 'seen-b']));
      await h.runs.createRunner({ workerId: 'watched' }).runOnce();
      await waitFor(async () => (heard.includes(watched) ? true : undefined), 5000, 'the watched run’s notifications');
      expect(heard).not.toContain(unwatched);
      // Claim, one checkpoint per written step, the end: a handful, not one per poll.
      expect(heard.filter((id) => id === watched).length).toBeGreaterThanOrEqual(2);
    } finally {
      await unlisten();
    }
  });
});

describe('workspace run stream', () => {
  it('announces runs created and their status changes in its own workspace only', async () => {
    const alphaStream = await connectSse(baseUrl + '/api/v1/workspaces/alpha/runs/events', asUser(h.alice).headers);
    const betaStream = await connectSse(baseUrl + '/api/v1/workspaces/beta/runs/events', asUser(h.bob).headers);
    expect([alphaStream.status, betaStream.status]).toEqual([200, 200]);
    await waitFor(async () => (h.runs.eventStreamStats().watchedWorkspaces === 2 ? true : undefined));
    const ofAlpha = await startDraft(buildCountedChain(['listed']));
    const ofBeta = await startDraft(buildCountedChain(['listed']), h.beta);
    await alphaStream.waitFor((events) => events.some((event) => event.event === 'run.created' && (event.data as { runId: string }).runId === ofAlpha));
    await h.runs.createRunner({ workerId: 'listed' }).runOnce();
    await alphaStream.waitFor((events) => events.some((event) => event.event === 'run.status' && (event.data as { runId: string; status: string }).runId === ofAlpha && (event.data as { status: string }).status === 'succeeded'));
    await betaStream.waitFor((events) => events.some((event) => (event.data as { runId: string }).runId === ofBeta));
    expect(alphaStream.events.map((event) => (event.data as { runId: string }).runId)).not.toContain(ofBeta);
    expect(betaStream.events.map((event) => (event.data as { runId: string }).runId)).not.toContain(ofAlpha);
    expect(alphaStream.events.find((event) => event.event === 'run.created')!.data).toEqual({ runId: ofAlpha, workflowId: expect.any(String), status: 'queued', isDraft: true });
    alphaStream.destroy();
    betaStream.destroy();
  });
});

// A worker in another process needs a database both can reach: PostgreSQL only.
describe.runIf(inject('databaseTemplate').kind === 'postgres')('a run executed by a worker process', () => {
  it('streams the steps of a run that another process executes', async () => {
    const bundle = await bundleForChildProcess(join(import.meta.dirname, 'test-fixtures/runner-process.ts'), 'runner-process');
    let child: ChildProcess | undefined;
    try {
      const runId = await startDraft(buildCountedChain(['remote-a', 'remote-b']));
      const stream = await connectSse(baseUrl + eventsPath('alpha', runId), asUser(h.alice).headers);
      await stream.waitFor(hasEvent('snapshot:queued'));
      const config = { databaseUrl: h.database.url, workerId: 'remote', leaseMs: 5000, holds: { 'remote-a': 300 } };
      child = fork(bundle.file, [JSON.stringify(config)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      await stream.waitFor(hasEvent('step.started:remote-a'), 15_000);
      await stream.ended;
      expectCompleteStory(stream.events, ['start', 'remote-a', 'remote-b', 'reply'], 'succeeded');
    } finally {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child!.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      bundle.remove();
    }
  }, 60_000);
});

describe('shutdown', () => {
  it('closing the app ends open streams instead of waiting for them', async () => {
    const other = await createRunsHarness();
    try {
      await other.app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(other.app.server.address() as AddressInfo).port}`;
      const { workflow } = await other.workflows.api.createWorkflow(other.alpha, other.actor, { name: 'Open', graph: buildCountedChain(['open']) as never });
      const { runId } = await other.runs.api.startDraftRun!(other.alpha, other.actor, workflow.id, {});
      const stream = await connectSse(url + eventsPath('alpha', runId), asUser(other.alice).headers);
      await stream.waitFor(hasEvent('snapshot:queued'));
      const closing = other.app.close();
      await Promise.race([closing, new Promise((_, reject) => setTimeout(() => reject(new Error('app.close() waited for the stream')), 5000))]);
      await stream.ended;
    } finally {
      await other.close();
    }
  });
});
