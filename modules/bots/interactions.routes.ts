import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from '@weft/kernel';
import type { InteractionAnswerer } from './answer-interaction';
import type { BotDirectory } from './bot-directory';
import type { RawInteraction } from './interaction-input';
import { isInteractionSignatureValid } from './interaction-signature';

type RouteConfig = NonNullable<Parameters<FastifyInstance['route']>[0]['config']>;

export interface InteractionRoutesDeps {
  clock: Clock;
  directory: BotDirectory;
  answerer: InteractionAnswerer;
  /** Background completions of deferred replies, awaited on shutdown. */
  track(work: Promise<void>): void;
}

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.status(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

function refuse(reply: FastifyReply, status: 401 | 404 | 400, code: string, message: string, requestId: string): FastifyReply {
  return sendJson(reply, status, { error: { code, message, details: {}, requestId } });
}

/**
 * `POST /discord/interactions/:botId`, Discord's Interactions Endpoint URL.
 * Registered in its own Fastify scope whose body parser keeps the bytes and
 * parses nothing: the Ed25519 signature over `timestamp + raw body` is
 * checked first, and only a verified body is ever read as JSON (DESIGN.md §6).
 * Hot path: bot and commands come from memory, no zod pass, no info log.
 */
export async function registerInteractionRoutes(app: FastifyInstance, deps: InteractionRoutesDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.route({
      method: 'POST',
      url: '/discord/interactions/:botId',
      logLevel: 'warn',
      helmet: false,
      // Discord sends from many addresses at its own pace; the signature is the gate here.
      config: { rateLimit: false } as RouteConfig,
      handler: async (request, reply) => {
        const signature = request.headers['x-signature-ed25519'];
        const timestamp = request.headers['x-signature-timestamp'];
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        if (typeof signature !== 'string' || typeof timestamp !== 'string' || rawBody.length === 0) {
          return refuse(reply, 401, 'DISCORD_SIGNATURE_INVALID', 'Missing or invalid request signature', request.id);
        }
        const bot = await deps.directory.findBot((request.params as { botId: string }).botId);
        if (!bot) return refuse(reply, 404, 'BOT_NOT_FOUND', 'No bot at this address', request.id);
        if (!isInteractionSignatureValid(bot.publicKey, signature, timestamp, rawBody, deps.clock.now().getTime())) {
          return refuse(reply, 401, 'DISCORD_SIGNATURE_INVALID', 'Missing or invalid request signature', request.id);
        }
        let interaction: unknown;
        try {
          interaction = JSON.parse(rawBody.toString('utf8'));
        } catch {
          return refuse(reply, 400, 'MALFORMED_JSON', 'Body is not valid JSON', request.id);
        }
        if (!interaction || typeof interaction !== 'object' || typeof (interaction as { type?: unknown }).type !== 'number') {
          return refuse(reply, 400, 'VALIDATION_FAILED', 'Not an interaction', request.id);
        }
        const { body, background } = await deps.answerer.answer(bot, interaction as RawInteraction);
        if (background) deps.track(background);
        return sendJson(reply, 200, body);
      },
    });
  });
}
