import { errorText } from './hash/read.ts';

export type IssueKind = 'unreadable' | 'invalid-name' | 'vanished' | 'symlink-loop' | 'hash-failed' | 'write-failed'
  // Metadata pass (metadata/types.ts MetadataIssueKind).
  | 'source-malformed' | 'source-unreadable' | 'path-outside-root' | 'media-rejected' | 'media-too-large' | 'media-failed';

export interface ScanIssue {
  kind: IssueKind;
  path: string;
  message: string;
}

/** Problems met during a scan: all counted, the first ones kept for the summary, each one logged. */
export class ScanIssues {
  readonly counts: Partial<Record<IssueKind, number>> = {};
  readonly samples: ScanIssue[] = [];
  total = 0;

  constructor(
    private readonly log: (issue: ScanIssue) => void = () => undefined,
    private readonly keep = 50,
  ) {}

  add(kind: IssueKind, path: string, err: unknown): void {
    const issue = { kind, path, message: typeof err === 'string' ? err : errorText(err) };
    this.total++;
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    if (this.samples.length < this.keep) this.samples.push(issue);
    this.log(issue);
  }
}
