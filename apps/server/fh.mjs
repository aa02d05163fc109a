import Fastify from 'fastify';
const app = Fastify({ logger: false });
app.post('/hooks/bench/w1', async (req, reply) => { const b = req.body; reply.type('application/json; charset=utf-8'); return JSON.stringify({ sum: b.a + 1, greeting: 'hi ' + b.name }); });
await app.listen({ port: 18392, host: '127.0.0.1' });
