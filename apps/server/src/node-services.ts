import { createEgressClient } from '@weft/egress';
import { createCodeSandbox, type MailService, type NodeServices, type OutgoingMail } from '@weft/engine';
import type { Config, Logger } from '@weft/kernel';
import { createMailer, type Mailer } from '@weft/mailer';
import { VERSION } from './version';

/**
 * What workflow nodes may do outside the process, each behind the instance's
 * rules: HTTP only through the SSRF-guarded egress client, code only inside
 * the isolated-vm pool, mail through the instance mailer or the node's own
 * SMTP credential.
 */
export function createNodeServices(config: Config, mailer: Mailer, logger: Logger) {
  const http = createEgressClient({
    allowPrivateNetworks: config.egress.allowPrivateNetworks,
    allowedHosts: config.egress.allowedHosts,
    userAgent: `Weft/${VERSION}`,
  });
  const sandbox = createCodeSandbox({ memoryLimitMb: 64, timeoutMs: 10_000, maxIsolates: 16 });
  const mail: MailService = {
    async send(message: OutgoingMail) {
      const target = message.smtp
        ? createMailer({
            smtpUrl: `${message.smtp.secure ? 'smtps' : 'smtp'}://${message.smtp.user ? `${encodeURIComponent(message.smtp.user)}:${encodeURIComponent(message.smtp.password ?? '')}@` : ''}${message.smtp.host}:${message.smtp.port}`,
            from: message.smtp.from,
            outboxDir: '',
            logger,
          })
        : mailer;
      try {
        // The mailer addresses one recipient per message; cc/bcc become separate copies.
        for (const to of [...message.to, ...(message.cc ?? []), ...(message.bcc ?? [])]) {
          await target.send({ to, subject: message.subject, text: message.text, ...(message.html ? { html: message.html } : {}) });
        }
      } finally {
        if (target !== mailer) await target.close();
      }
    },
  };
  const services: NodeServices = { http, mail, sandbox };
  return {
    services,
    /** A workspace's runs get their own isolates: code of one workspace never shares a heap with another's. */
    forWorkspace: (workspaceId: string): NodeServices => ({ http, mail, sandbox: sandbox.forKey(workspaceId) }),
    dispose: () => sandbox.dispose(),
  };
}
