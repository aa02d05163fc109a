import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../node-services';
import { validateGraph } from '../validate-graph';
import { buildNode, linkNodes, runAfterTrigger } from '../workflow-fixtures';
import { createCoreNodeRegistry } from './core-nodes';
import { EmailSendParams } from './email-send.node';

function createRecordingMail() {
  const sent: OutgoingMail[] = [];
  return { sent, mail: { send: (mail: OutgoingMail) => (sent.push(mail), Promise.resolve()) } };
}

const order = { customer: { email: 'ada@example.com', name: 'Ada' }, total: 42 };

describe('email.send', () => {
  it('renders recipients, subject and bodies from expressions and sends through the instance mailer', async () => {
    const { sent, mail } = createRecordingMail();
    const node = buildNode('notify', 'email.send', {
      to: '{{ customer.email }}, ops@example.com',
      subject: 'Order of {{ total }} €',
      text: 'Hello {{ customer.name }}',
      html: '<p>Hello <b>{{ customer.name }}</b></p>',
    });
    const outcome = await runAfterTrigger(node, order, { services: { mail } });
    expect(outcome.status).toBe('succeeded');
    expect(sent).toEqual([
      {
        to: ['ada@example.com', 'ops@example.com'],
        subject: 'Order of 42 €',
        text: 'Hello Ada',
        html: '<p>Hello <b>Ada</b></p>',
        idempotencyKey: 'test-run:notify',
      },
    ]);
    expect(outcome.steps[1]!.output).toEqual({ to: ['ada@example.com', 'ops@example.com'], subject: 'Order of 42 €', transport: 'instance' });
  });

  it('sends through the SMTP server of its credential when asked', async () => {
    const { sent, mail } = createRecordingMail();
    const smtp = { host: 'smtp.example.com', port: 465, secure: true, user: 'bot', password: 'pw-secret', from: 'Bot <bot@example.com>' };
    const loaded: (string | undefined)[] = [];
    const node = buildNode('notify', 'email.send', { to: ['ada@example.com'], subject: 'Hi', text: 'Body', transport: 'smtp' }, { credentialId: 'c-smtp' });
    const outcome = await runAfterTrigger(node, {}, {
      services: { mail },
      credentials: (_node, type) => (loaded.push(type), Promise.resolve(smtp)),
    });
    expect(outcome.status).toBe('succeeded');
    expect(loaded).toEqual(['smtp']);
    expect(sent[0]!.smtp).toEqual(smtp);
  });

  it('fails with the missing field names, never values, when the SMTP credential does not fit', async () => {
    const { mail } = createRecordingMail();
    const node = buildNode('notify', 'email.send', { to: 'a@example.com', subject: 'Hi', text: 'Body', transport: 'smtp' }, { credentialId: 'c' });
    const outcome = await runAfterTrigger(node, {}, { services: { mail }, credentials: () => Promise.resolve({ host: 'h', password: 'hunter22' }) });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'ENGINE_CREDENTIAL_INVALID', message: expect.stringContaining('from') } });
    expect(outcome.error!.message).not.toContain('hunter22');
  });

  it('needs a credential only with transport "smtp"', () => {
    const registry = createCoreNodeRegistry();
    const build = (transport: string) => ({
      nodes: [buildNode('start', 'trigger.manual'), buildNode('notify', 'email.send', { to: 'a@example.com', subject: 's', text: 't', transport })],
      edges: [linkNodes('start', 'notify')],
    });
    expect(validateGraph(build('instance'), registry)).toEqual([]);
    expect(validateGraph(build('smtp'), registry)).toEqual([expect.objectContaining({ code: 'missing_credential', nodeId: 'notify', path: 'nodes[1].credentialId' })]);
  });

  it('refuses a malformed address, including one produced by a template', async () => {
    expect(EmailSendParams.safeParse({ to: 'not-an-address', subject: 's', text: 't' }).success).toBe(false);
    expect(EmailSendParams.safeParse({ to: [], subject: 's', text: 't' }).success).toBe(false);
    const { sent, mail } = createRecordingMail();
    const outcome = await runAfterTrigger(buildNode('notify', 'email.send', { to: '{{ who }}', subject: 's', text: 't' }), { who: 'nobody' }, { services: { mail } });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'ENGINE_PARAMS_INVALID' } });
    expect(sent).toEqual([]);
  });

  it('says which service is missing when the host wired no mailer', async () => {
    const outcome = await runAfterTrigger(buildNode('notify', 'email.send', { to: 'a@example.com', subject: 's', text: 't' }), {});
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'ENGINE_SERVICE_UNAVAILABLE', message: expect.stringContaining('services.mail') } });
  });
});
