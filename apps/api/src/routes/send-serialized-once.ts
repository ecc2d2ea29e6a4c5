import type { FastifyReply } from 'fastify';

const serialized = new WeakMap<object, Buffer>();

/**
 * For answers served from an in-process cache (catalog pages, indicator dashboards): a hit is the same object
 * every time, so its JSON is made once, by the route's own serializer (its response schema), kept beside it,
 * and sent as it is. Serializing a province dashboard (≈ 100 kB) was most of what a cached hit still cost.
 * It is kept as UTF-8 bytes, not as a string: a string is measured (Content-Length) and encoded again on every
 * send, about a tenth of a catalog page's CPU under load.
 */
export function sendSerializedOnce(reply: FastifyReply, answer: object): FastifyReply {
  let body = serialized.get(answer);
  if (body === undefined) {
    const json = reply.serialize(answer);
    body = typeof json === 'string' ? Buffer.from(json, 'utf8') : Buffer.isBuffer(json) ? json : Buffer.from(json);
    serialized.set(answer, body);
  }
  return reply.type('application/json; charset=utf-8').send(body);
}
