import type { ErrorDetail } from '@hts/contracts';
import { DomainError } from '../shared/errors.ts';
import { isDuration, isIri, isIrl, isLanguageTag, isMailto, isPlainObject, isSha1Hex, isSupportedVersion, isTimestamp, isUuid } from './formats.ts';

export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

const interactionTypes = new Set(['true-false', 'choice', 'fill-in', 'long-fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric', 'other']);

/** Collects every problem of one statement with the path of the field at fault (a JSON pointer under `base`). */
class Checker {
  readonly problems: ErrorDetail[] = [];
  /** xAPI 2.0 (the request's X-Experience-API-Version is 2.0.x): context may carry contextAgents and contextGroups. */
  constructor(readonly version2 = false) {}
  fail(path: string, message: string): void {
    this.problems.push({ field: path, message });
  }

  /** Unknown properties are an error: the spec has the LRS reject them rather than drop them. */
  keys(value: Record<string, unknown>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) if (!allowed.includes(key)) this.fail(`${path}/${key}`, `is not a property of this object`);
  }

  object(value: unknown, path: string): value is Record<string, unknown> {
    if (isPlainObject(value)) return true;
    this.fail(path, 'must be a JSON object');
    return false;
  }

  string(value: unknown, path: string): value is string {
    if (typeof value === 'string') return true;
    this.fail(path, 'must be a string');
    return false;
  }

  iri(value: unknown, path: string): void {
    if (!isIri(value)) this.fail(path, 'must be an absolute IRI');
  }

  languageMap(value: unknown, path: string): void {
    if (!this.object(value, path)) return;
    for (const [tag, text] of Object.entries(value)) {
      if (!isLanguageTag(tag)) this.fail(`${path}/${tag}`, 'is not an RFC 5646 language tag');
      else if (typeof text !== 'string') this.fail(`${path}/${tag}`, 'must be a string');
    }
  }

  extensions(value: unknown, path: string): void {
    if (!this.object(value, path)) return;
    for (const key of Object.keys(value)) if (!isIri(key)) this.fail(`${path}/${key}`, 'an extension key must be an absolute IRI');
  }

  agent(value: unknown, path: string, { asMember = false } = {}): void {
    if (!this.object(value, path)) return;
    this.keys(value, path, ['objectType', 'name', 'mbox', 'mbox_sha1sum', 'openid', 'account']);
    if (value.objectType !== undefined && value.objectType !== 'Agent')
      this.fail(`${path}/objectType`, asMember ? 'a group member must be an Agent' : 'must be "Agent"');
    if (value.name !== undefined) this.string(value.name, `${path}/name`);
    const count = this.ifi(value, path);
    if (count !== 1) this.fail(path, 'an Agent needs exactly one of mbox, mbox_sha1sum, openid, account');
  }

  group(value: Record<string, unknown>, path: string): void {
    this.keys(value, path, ['objectType', 'name', 'member', 'mbox', 'mbox_sha1sum', 'openid', 'account']);
    if (value.name !== undefined) this.string(value.name, `${path}/name`);
    const count = this.ifi(value, path);
    if (count > 1) this.fail(path, 'a Group has at most one of mbox, mbox_sha1sum, openid, account');
    if (value.member !== undefined) {
      if (!Array.isArray(value.member)) this.fail(`${path}/member`, 'must be an array of Agents');
      else
        value.member.forEach((m, i) => {
          this.agent(m, `${path}/member/${i}`, { asMember: true });
        });
    }
    if (count === 0 && (!Array.isArray(value.member) || value.member.length === 0)) this.fail(`${path}/member`, 'an anonymous Group must list its members');
  }

  /** Agent or Group, by objectType. */
  actor(value: unknown, path: string): void {
    if (!this.object(value, path)) return;
    if (value.objectType === 'Group') this.group(value, path);
    else this.agent(value, path);
  }

  /** Checks the inverse functional identifiers present and returns how many there are. */
  ifi(value: Record<string, unknown>, path: string): number {
    let count = 0;
    if (value.mbox !== undefined) {
      count++;
      if (!isMailto(value.mbox)) this.fail(`${path}/mbox`, 'must be "mailto:" followed by an e-mail address');
    }
    if (value.mbox_sha1sum !== undefined) {
      count++;
      if (!isSha1Hex(value.mbox_sha1sum)) this.fail(`${path}/mbox_sha1sum`, 'must be the hex SHA-1 of a mailto IRI');
    }
    if (value.openid !== undefined) {
      count++;
      this.iri(value.openid, `${path}/openid`);
    }
    if (value.account !== undefined) {
      count++;
      const a = value.account;
      if (this.object(a, `${path}/account`)) {
        this.keys(a, `${path}/account`, ['homePage', 'name']);
        if (!isIrl(a.homePage)) this.fail(`${path}/account/homePage`, 'must be an IRL (http or https)');
        if (typeof a.name !== 'string' || a.name === '') this.fail(`${path}/account/name`, 'must be a non-empty string');
      }
    }
    return count;
  }

  verb(value: unknown, path: string): void {
    if (!this.object(value, path)) return;
    this.keys(value, path, ['id', 'display']);
    this.iri(value.id, `${path}/id`);
    if (value.display !== undefined) this.languageMap(value.display, `${path}/display`);
  }

  activity(value: unknown, path: string): void {
    if (!this.object(value, path)) return;
    this.keys(value, path, ['objectType', 'id', 'definition']);
    if (value.objectType !== undefined && value.objectType !== 'Activity') this.fail(`${path}/objectType`, 'must be "Activity"');
    this.iri(value.id, `${path}/id`);
    if (value.definition !== undefined) this.definition(value.definition, `${path}/definition`);
  }

  definition(value: unknown, path: string): void {
    if (!this.object(value, path)) return;
    const lists = ['choices', 'scale', 'source', 'target', 'steps'] as const;
    this.keys(value, path, ['name', 'description', 'type', 'moreInfo', 'extensions', 'interactionType', 'correctResponsesPattern', ...lists]);
    if (value.name !== undefined) this.languageMap(value.name, `${path}/name`);
    if (value.description !== undefined) this.languageMap(value.description, `${path}/description`);
    if (value.type !== undefined) this.iri(value.type, `${path}/type`);
    if (value.moreInfo !== undefined && !isIrl(value.moreInfo)) this.fail(`${path}/moreInfo`, 'must be an IRL (http or https)');
    if (value.extensions !== undefined) this.extensions(value.extensions, `${path}/extensions`);
    if (value.interactionType !== undefined && !interactionTypes.has(value.interactionType as string))
      this.fail(`${path}/interactionType`, `must be one of ${[...interactionTypes].join(', ')}`);
    if (value.correctResponsesPattern !== undefined) {
      const p = value.correctResponsesPattern;
      if (!Array.isArray(p) || p.some((s) => typeof s !== 'string')) this.fail(`${path}/correctResponsesPattern`, 'must be an array of strings');
    }
    for (const list of lists) {
      const items = value[list];
      if (items === undefined) continue;
      if (value.interactionType === undefined) this.fail(`${path}/${list}`, 'is only allowed with an interactionType');
      if (!Array.isArray(items)) {
        this.fail(`${path}/${list}`, 'must be an array of interaction components');
        continue;
      }
      items.forEach((item, i) => {
        const at = `${path}/${list}/${i}`;
        if (!this.object(item, at)) return;
        this.keys(item, at, ['id', 'description']);
        if (typeof item.id !== 'string' || item.id === '') this.fail(`${at}/id`, 'must be a non-empty string');
        if (item.description !== undefined) this.languageMap(item.description, `${at}/description`);
      });
    }
  }

  statementRef(value: Record<string, unknown>, path: string): void {
    this.keys(value, path, ['objectType', 'id']);
    if (!isUuid(value.id)) this.fail(`${path}/id`, 'must be a UUID');
  }

  object_(value: unknown, path: string, inSubStatement: boolean): void {
    if (!this.object(value, path)) return;
    const type = value.objectType ?? 'Activity';
    if (type === 'Activity') this.activity(value, path);
    else if (type === 'Agent') this.agent(value, path);
    else if (type === 'Group') this.group(value, path);
    else if (type === 'StatementRef') this.statementRef(value, path);
    else if (type !== 'SubStatement') this.fail(`${path}/objectType`, 'must be Activity, Agent, Group, StatementRef or SubStatement');
    else if (inSubStatement) this.fail(`${path}/objectType`, 'a SubStatement cannot contain another SubStatement');
    else this.subStatement(value, path);
  }

  subStatement(value: Record<string, unknown>, path: string): void {
    this.keys(value, path, ['objectType', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'attachments']);
    this.core(value, path, true);
  }

  result(value: unknown, path: string): void {
    if (!this.object(value, path)) return;
    this.keys(value, path, ['score', 'success', 'completion', 'response', 'duration', 'extensions']);
    if (value.success !== undefined && typeof value.success !== 'boolean') this.fail(`${path}/success`, 'must be true or false');
    if (value.completion !== undefined && typeof value.completion !== 'boolean') this.fail(`${path}/completion`, 'must be true or false');
    if (value.response !== undefined) this.string(value.response, `${path}/response`);
    if (value.duration !== undefined && !isDuration(value.duration)) this.fail(`${path}/duration`, 'must be an ISO 8601 duration, e.g. PT1H30M');
    if (value.extensions !== undefined) this.extensions(value.extensions, `${path}/extensions`);
    if (value.score !== undefined) this.score(value.score, `${path}/score`);
  }

  score(value: unknown, path: string): void {
    if (!this.object(value, path)) return;
    this.keys(value, path, ['scaled', 'raw', 'min', 'max']);
    for (const k of ['scaled', 'raw', 'min', 'max'] as const)
      if (value[k] !== undefined && (typeof value[k] !== 'number' || !Number.isFinite(value[k]))) this.fail(`${path}/${k}`, 'must be a number');
    const { scaled, raw, min, max } = value as Record<string, number | undefined>;
    if (typeof scaled === 'number' && (scaled < -1 || scaled > 1)) this.fail(`${path}/scaled`, 'must be between -1 and 1');
    if (typeof min === 'number' && typeof max === 'number' && min >= max) this.fail(`${path}/max`, 'must be greater than min');
    if (typeof raw === 'number' && typeof min === 'number' && raw < min) this.fail(`${path}/raw`, 'must not be less than min');
    if (typeof raw === 'number' && typeof max === 'number' && raw > max) this.fail(`${path}/raw`, 'must not be greater than max');
  }

  context(value: unknown, path: string, objectIsActivity: boolean): void {
    if (!this.object(value, path)) return;
    const keys = ['registration', 'instructor', 'team', 'contextActivities', 'revision', 'platform', 'language', 'statement', 'extensions'];
    this.keys(value, path, this.version2 ? [...keys, 'contextAgents', 'contextGroups'] : keys);
    if (this.version2) {
      this.contextList(value.contextAgents, `${path}/contextAgents`, 'contextAgent', 'agent');
      this.contextList(value.contextGroups, `${path}/contextGroups`, 'contextGroup', 'group');
    }
    if (value.registration !== undefined && !isUuid(value.registration)) this.fail(`${path}/registration`, 'must be a UUID');
    if (value.instructor !== undefined) this.actor(value.instructor, `${path}/instructor`);
    if (value.team !== undefined) {
      if (this.object(value.team, `${path}/team`)) {
        if (value.team.objectType !== 'Group') this.fail(`${path}/team/objectType`, 'a team must be a Group');
        else this.group(value.team, `${path}/team`);
      }
    }
    for (const k of ['revision', 'platform'] as const) {
      if (value[k] === undefined) continue;
      this.string(value[k], `${path}/${k}`);
      if (!objectIsActivity) this.fail(`${path}/${k}`, `is only allowed when the object is an Activity`);
    }
    if (value.language !== undefined && !isLanguageTag(value.language)) this.fail(`${path}/language`, 'must be an RFC 5646 language tag');
    if (value.statement !== undefined && this.object(value.statement, `${path}/statement`)) {
      if (value.statement.objectType !== 'StatementRef') this.fail(`${path}/statement/objectType`, 'must be "StatementRef"');
      this.statementRef(value.statement, `${path}/statement`);
    }
    if (value.extensions !== undefined) this.extensions(value.extensions, `${path}/extensions`);
    if (value.contextActivities !== undefined && this.object(value.contextActivities, `${path}/contextActivities`)) {
      const ca = value.contextActivities;
      this.keys(ca, `${path}/contextActivities`, ['parent', 'grouping', 'category', 'other']);
      for (const [k, v] of Object.entries(ca)) {
        const list = Array.isArray(v) ? v : [v];
        list.forEach((a, i) => {
          this.activity(a, Array.isArray(v) ? `${path}/contextActivities/${k}/${i}` : `${path}/contextActivities/${k}`);
        });
      }
    }
  }

  /** xAPI 2.0 contextAgents / contextGroups: a non-empty array of { objectType, agent|group, relevantTypes? }. */
  contextList(value: unknown, path: string, objectType: 'contextAgent' | 'contextGroup', key: 'agent' | 'group'): void {
    if (value === undefined) return;
    if (!Array.isArray(value) || value.length === 0) {
      this.fail(path, `must be a non-empty array of ${objectType} objects`);
      return;
    }
    value.forEach((item, i) => {
      const at = `${path}/${i}`;
      if (!this.object(item, at)) return;
      this.keys(item, at, ['objectType', key, 'relevantTypes']);
      if (item.objectType !== objectType) this.fail(`${at}/objectType`, `must be "${objectType}"`);
      if (item[key] === undefined) this.fail(`${at}/${key}`, 'is required');
      else if (key === 'agent') this.agent(item[key], `${at}/agent`);
      else if (this.object(item[key], `${at}/group`)) {
        if ((item[key] as Record<string, unknown>).objectType !== 'Group') this.fail(`${at}/group/objectType`, 'must be "Group"');
        else this.group(item[key] as Record<string, unknown>, `${at}/group`);
      }
      if (item.relevantTypes !== undefined) {
        if (!Array.isArray(item.relevantTypes) || item.relevantTypes.length === 0) this.fail(`${at}/relevantTypes`, 'must be a non-empty array of IRIs');
        else
          item.relevantTypes.forEach((t, j) => {
            this.iri(t, `${at}/relevantTypes/${j}`);
          });
      }
    });
  }

  attachments(value: unknown, path: string): void {
    if (!Array.isArray(value)) {
      this.fail(path, 'must be an array of Attachments');
      return;
    }
    value.forEach((a, i) => {
      const at = `${path}/${i}`;
      if (!this.object(a, at)) return;
      this.keys(a, at, ['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl']);
      this.iri(a.usageType, `${at}/usageType`);
      this.languageMap(a.display, `${at}/display`);
      if (a.description !== undefined) this.languageMap(a.description, `${at}/description`);
      this.string(a.contentType, `${at}/contentType`);
      if (!Number.isInteger(a.length) || (a.length as number) < 0) this.fail(`${at}/length`, 'must be a whole number of octets');
      if (typeof a.sha2 !== 'string' || !/^[0-9a-f]{56,128}$/i.test(a.sha2)) this.fail(`${at}/sha2`, 'must be the hex SHA-2 hash of the attachment');
      if (a.fileUrl !== undefined && !isIrl(a.fileUrl)) this.fail(`${at}/fileUrl`, 'must be an IRL (http or https)');
    });
  }

  /** actor, verb, object, result, context, timestamp, attachments: shared by statements and SubStatements. */
  core(value: Record<string, unknown>, path: string, inSubStatement: boolean): void {
    for (const k of ['actor', 'verb', 'object'] as const) if (value[k] === undefined) this.fail(`${path}/${k}`, 'is required');
    if (value.actor !== undefined) this.actor(value.actor, `${path}/actor`);
    if (value.verb !== undefined) this.verb(value.verb, `${path}/verb`);
    if (value.object !== undefined) this.object_(value.object, `${path}/object`, inSubStatement);
    if (value.result !== undefined) this.result(value.result, `${path}/result`);
    const objectType = isPlainObject(value.object) ? value.object.objectType : undefined;
    if (value.context !== undefined) this.context(value.context, `${path}/context`, objectType === undefined || objectType === 'Activity');
    if (value.timestamp !== undefined && !isTimestamp(value.timestamp)) this.fail(`${path}/timestamp`, 'must be an ISO 8601 timestamp with a time zone');
    if (value.attachments !== undefined) this.attachments(value.attachments, `${path}/attachments`);
    if (isPlainObject(value.verb) && value.verb.id === VOIDED_VERB && objectType !== 'StatementRef')
      this.fail(`${path}/object/objectType`, 'a voiding statement must have a StatementRef as its object');
  }
}

const statementKeys = ['id', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'stored', 'authority', 'version', 'attachments'] as const;

/**
 * Checks one statement as strictly as xAPI 1.0.3 Part Two asks (with `version2`, as 2.0 asks of context). Returns the problems, each with the path
 * of the field at fault under `path` (e.g. `/body/0/actor/mbox`); an empty list means valid.
 */
export function statementProblems(value: unknown, path: string, options: { version2?: boolean } = {}): ErrorDetail[] {
  const c = new Checker(options.version2);
  if (!c.object(value, path)) return c.problems;
  c.keys(value, path, statementKeys);
  if (value.id !== undefined && !isUuid(value.id)) c.fail(`${path}/id`, 'must be a UUID');
  c.core(value, path, false);
  if (value.stored !== undefined && !isTimestamp(value.stored)) c.fail(`${path}/stored`, 'must be an ISO 8601 timestamp with a time zone');
  if (value.authority !== undefined) {
    c.actor(value.authority, `${path}/authority`);
    // An OAuth authority is a two-member anonymous Group; other Groups cannot vouch for a statement.
    if (isPlainObject(value.authority) && value.authority.objectType === 'Group' && (value.authority.member as unknown[] | undefined)?.length !== 2)
      c.fail(`${path}/authority/member`, 'a Group authority must have exactly two members');
  }
  if (value.version !== undefined && !isSupportedVersion(value.version)) c.fail(`${path}/version`, 'must be 1.0.x or 2.0.x');
  return c.problems;
}

/** Throws a 400 naming every failing field of the statements; nothing is stored when any one fails. */
export function assertValidStatements(statements: readonly unknown[], paths: readonly string[], options: { version2?: boolean } = {}): void {
  const problems = statements.flatMap((s, i) => statementProblems(s, paths[i] as string, options));
  if (problems.length > 0)
    throw new DomainError('validation_failed', `the statement is not valid: ${problems[0]?.field} ${problems[0]?.message}`, problems.slice(0, 50));
}
