import { agentAndMembers, agentIfi, type JsonObject } from './agents.ts';
import { isPlainObject } from './formats.ts';
import { VOIDED_VERB } from './validate-statement.ts';

/** The normalised columns stored beside a statement, so each query parameter is an index lookup. */
export interface StatementColumns {
  actorIfi: string | null;
  objectAgentIfi: string | null;
  verbId: string;
  activityId: string | null;
  registration: string | null;
  voidsId: string | null;
  refId: string | null;
  relatedAgents: string[];
  relatedActivities: string[];
}

function contextActivityIds(context: unknown): string[] {
  if (!isPlainObject(context) || !isPlainObject(context.contextActivities)) return [];
  return Object.values(context.contextActivities).flatMap((v) => (Array.isArray(v) ? v : [v]).map((a) => (a as JsonObject).id as string));
}

function contextAgents(context: unknown): string[] {
  if (!isPlainObject(context)) return [];
  const listed = (list: unknown, key: string) => (Array.isArray(list) ? list.flatMap((c) => (isPlainObject(c) ? agentAndMembers(c[key]) : [])) : []);
  // xAPI 2.0 contextAgents and contextGroups are agents of the statement too (related_agents finds them)
  return [
    ...agentAndMembers(context.instructor),
    ...agentAndMembers(context.team),
    ...listed(context.contextAgents, 'agent'),
    ...listed(context.contextGroups, 'group'),
  ];
}

function objectParts(object: JsonObject): { agents: string[]; activities: string[] } {
  const type = object.objectType ?? 'Activity';
  if (type === 'Activity') return { agents: [], activities: [object.id as string] };
  if (type === 'Agent' || type === 'Group') return { agents: agentAndMembers(object), activities: [] };
  if (type === 'SubStatement') {
    const inner = objectParts(object.object as JsonObject);
    return {
      agents: [...agentAndMembers(object.actor), ...inner.agents, ...contextAgents(object.context)],
      activities: [...inner.activities, ...contextActivityIds(object.context)],
    };
  }
  return { agents: [], activities: [] };
}

export function statementColumns(statement: JsonObject): StatementColumns {
  const object = statement.object as JsonObject;
  const type = object.objectType ?? 'Activity';
  const verbId = (statement.verb as JsonObject).id as string;
  const context = statement.context as JsonObject | undefined;
  const parts = objectParts(object);
  return {
    actorIfi: agentIfi(statement.actor),
    objectAgentIfi: type === 'Agent' || type === 'Group' ? agentIfi(object) : null,
    verbId,
    activityId: type === 'Activity' ? (object.id as string) : null,
    registration: (context?.registration as string | undefined)?.toLowerCase() ?? null,
    voidsId: verbId === VOIDED_VERB ? (object.id as string).toLowerCase() : null,
    refId: type === 'StatementRef' ? (object.id as string).toLowerCase() : null,
    relatedAgents: [...new Set([...agentAndMembers(statement.actor), ...parts.agents, ...contextAgents(context), ...agentAndMembers(statement.authority)])],
    relatedActivities: [...new Set([...parts.activities, ...contextActivityIds(context)])],
  };
}
