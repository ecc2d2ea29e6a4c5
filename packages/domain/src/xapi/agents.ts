import { isPlainObject } from './formats.ts';

export type JsonObject = Record<string, unknown>;

/**
 * The inverse functional identifier of an Agent or identified Group as one comparable string, e.g.
 * `mbox:mailto:lan@example.vn` or `account:https://hoc.bacninh.vn|<user id>`. Null for anonymous groups.
 */
export function agentIfi(agent: unknown): string | null {
  if (!isPlainObject(agent)) return null;
  if (typeof agent.mbox === 'string') return `mbox:${agent.mbox.toLowerCase()}`;
  if (typeof agent.mbox_sha1sum === 'string') return `mbox_sha1sum:${agent.mbox_sha1sum.toLowerCase()}`;
  if (typeof agent.openid === 'string') return `openid:${agent.openid}`;
  if (isPlainObject(agent.account)) return `account:${agent.account.homePage}|${agent.account.name}`;
  return null;
}

/** The Agent a platform user appears as in xAPI: an account on the platform's home page. */
export function platformAgent(homePage: string, userId: string, name?: string): JsonObject {
  return { objectType: 'Agent', ...(name ? { name } : {}), account: { homePage, name: userId } };
}

/** The agent itself plus, for a Group, its members: what related_agents matches against. */
export function agentAndMembers(agent: unknown): string[] {
  if (!isPlainObject(agent)) return [];
  const own = agentIfi(agent);
  const members = Array.isArray(agent.member) ? agent.member.map(agentIfi) : [];
  return [own, ...members].filter((x): x is string => x !== null);
}
