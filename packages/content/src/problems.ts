export interface ContentProblem {
  file: string;
  line: number;
  message: string;
}

export class ContentError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ContentError';
  }
}

export function formatProblem(p: ContentProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}
