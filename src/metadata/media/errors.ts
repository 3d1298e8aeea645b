import type { MetadataIssueKind } from '../types.ts';

export type MediaErrorKind = Extract<MetadataIssueKind, 'path-outside-root' | 'media-rejected' | 'media-too-large' | 'media-failed'>;

/** Why one media file was not stored; the pass records it as a scan issue (kind, path, message) and goes on. */
export class MediaError extends Error {
  constructor(
    readonly kind: MediaErrorKind,
    /** The source file the error is about. */
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}
