import { type Static, Type } from 'typebox';

/**
 * xAPI resources. Statement and document bodies are checked by the LRS itself (the spec's rules go beyond
 * JSON schema and the answers must name the field), so their schemas here are open; query parameters are
 * closed, because the spec has the LRS reject parameters it does not recognise.
 */
const s = (description: string) => Type.Optional(Type.String({ description }));

export const XapiAny = Type.Unknown({ description: 'JSON as the xAPI specification defines it' });
export const XapiDocumentBody = Type.Unknown({ description: 'a document of any content type' });

export const StatementsQuery = Type.Object(
  {
    statementId: s('UUID of one statement'),
    voidedStatementId: s('UUID of one voided statement'),
    agent: s('Agent or identified Group as JSON: actor or object'),
    verb: s('verb IRI'),
    activity: s('activity IRI: the object'),
    registration: s('registration UUID'),
    related_activities: s('true: also match activities in context and sub-statements'),
    related_agents: s('true: also match agents anywhere in the statement'),
    since: s('stored after this ISO 8601 time'),
    until: s('stored at or before this ISO 8601 time'),
    limit: s('page size; 0 means the server maximum'),
    format: s('exact | ids | canonical'),
    attachments: s('true: attachments inline (multipart/mixed)'),
    ascending: s('true: oldest first'),
    cursor: s('continuation from the `more` link'),
  },
  { additionalProperties: false },
);
export type StatementsQuery = Static<typeof StatementsQuery>;

export const PutStatementQuery = Type.Object({ statementId: Type.String({ description: 'the id of the statement sent' }) }, { additionalProperties: false });
export const StatementIds = Type.Array(Type.String(), { description: 'ids of the stored statements, in the order sent' });

export const StateQuery = Type.Object(
  { activityId: Type.String(), agent: Type.String(), registration: s('registration UUID'), stateId: s('document id'), since: s('ISO 8601 time') },
  { additionalProperties: false },
);
export const ActivityProfileQuery = Type.Object(
  { activityId: Type.String(), profileId: s('document id'), since: s('ISO 8601 time') },
  { additionalProperties: false },
);
export const AgentProfileQuery = Type.Object({ agent: Type.String(), profileId: s('document id'), since: s('ISO 8601 time') }, { additionalProperties: false });
export const ActivityQuery = Type.Object({ activityId: Type.String() }, { additionalProperties: false });
export const AgentQuery = Type.Object({ agent: Type.String() }, { additionalProperties: false });

export const About = Type.Object({ version: Type.Array(Type.String()), extensions: Type.Optional(Type.Record(Type.String(), Type.Unknown())) });

export const EvidenceAnchors = Type.Object({
  anchors: Type.Array(Type.Object({ day: Type.String({ description: 'UTC day' }), lastSeq: Type.Integer(), entryHash: Type.String() })),
});
