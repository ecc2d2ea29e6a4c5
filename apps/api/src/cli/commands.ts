import type { IndicatorDefinition } from '@hts/contracts';
import type { Db } from '@hts/db';
import { createLrsClient, DomainError, lrsScopes, rebuildIndicatorRollups, seedIndicatorDefinitions, systemClock, verifyChain } from '@hts/domain';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliOptions {
  /** The indicator definitions of content/indicators, stored (if new) before a rebuild. */
  loadIndicators?: () => Promise<IndicatorDefinition[]>;
}

const usage = `usage:
  pnpm cli lrs create-client --name <name> --scopes <scope,...>   scopes: ${lrsScopes.join(', ')}
  pnpm cli evidence verify                                        walk the completion hash chain
  pnpm cli indicators rebuild                                     recompute every indicator rollup from raw records`;

/** `--name x --scopes a,b --scopes c` → { name: ['x'], scopes: ['a,b', 'c'] } */
function options(args: string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) continue;
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const value = inline ?? args[i + 1];
    if (inline === undefined) i++;
    if (value !== undefined) found.set(name, [...(found.get(name) ?? []), value]);
  }
  return found;
}

/** Runs one command against an open database; answers the process exit code. */
export async function runCli(argv: string[], db: Db, io: CliIo, cli: CliOptions = {}): Promise<number> {
  // pnpm forwards a literal `--` in some invocations; it carries no meaning here.
  const args = argv.filter((a) => a !== '--');
  const [group, command, ...rest] = args;
  try {
    if (group === 'lrs' && command === 'create-client') {
      const opts = options(rest);
      const created = await createLrsClient(db, { name: opts.get('name')?.[0] ?? '', scopes: opts.get('scopes') ?? [] });
      io.out(`LRS client created (scopes: ${created.scopes.join(', ')}). The secret is shown once; store it now.`);
      io.out(`key:    ${created.key}`);
      io.out(`secret: ${created.secret}`);
      io.out('endpoint: /xapi/ (HTTP Basic with key:secret, X-Experience-API-Version: 1.0.3)');
      return 0;
    }
    if (group === 'evidence' && command === 'verify') {
      const verdict = await verifyChain(db);
      if (verdict.ok) {
        io.out(`evidence chain OK: ${verdict.entries} entries, last hash ${verdict.lastHash}`);
        return 0;
      }
      io.err(`evidence chain BROKEN at entry seq=${verdict.brokenSeq}: ${verdict.reason} (${verdict.entries} entries before it verify)`);
      return 1;
    }
    if (group === 'indicators' && command === 'rebuild') {
      if (cli.loadIndicators) await seedIndicatorDefinitions(db, await cli.loadIndicators());
      const result = await rebuildIndicatorRollups(db, systemClock);
      io.out(
        `indicator rollups rebuilt: ${result.cells} cells of ${result.indicators} indicators for ${result.years.length > 0 ? `${result.years[0]}–${result.years.at(-1)}` : 'no year'} in ${result.milliseconds} ms`,
      );
      return 0;
    }
    io.err(usage);
    return 2;
  } catch (error) {
    if (error instanceof DomainError) {
      io.err(`${error.message}${error.details ? ` (${error.details.map((d) => `${d.field}: ${d.message}`).join('; ')})` : ''}`);
      io.err(usage);
      return 2;
    }
    throw error;
  }
}
