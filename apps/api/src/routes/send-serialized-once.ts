import type { FastifyReply } from 'fastify';

const serialized = new WeakMap<object, string | Buffer | ArrayBuffer>();

/**
 * For answers served from an in-process cache (catalog pages, indicator dashboards): a hit is the same object
 * every time, so its JSON is made once, by the route's own serializer (its response schema), kept beside it,
 * and sent as it is. Serializing a province dashboard (≈ 100 kB) was most of what a cached hit still cost.
 */
export function sendSerializedOnce(reply: FastifyReply, answer: object): FastifyReply {
  let body = serialized.get(answer);
  if (body === undefined) {
    body = reply.serialize(answer);
    serialized.set(answer, body);
  }
  return reply.type('application/json; charset=utf-8').send(body);
}
