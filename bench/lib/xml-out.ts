import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** Streaming XML output for the generated metadata sources: nothing larger than one element is held in memory. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for an element body or attribute; drops the control characters XML 1.0 forbids. */
export function xmlText(value: string | number): string {
  // eslint-disable-next-line no-control-regex
  return String(value).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** `<tag>value</tag>` lines for the fields that have a value, indented by `indent`. */
export function xmlFields(fields: [string, string | number | undefined][], indent: string): string {
  let out = '';
  for (const [tag, value] of fields) if (value !== undefined && value !== '') out += `${indent}<${tag}>${xmlText(value)}</${tag}>\n`;
  return out;
}

export class XmlFile {
  private readonly stream: WriteStream;
  bytes = 0;

  constructor(file: string) {
    this.stream = createWriteStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  }

  /** Writes a chunk, waiting for the stream to drain when its buffer is full (backpressure). */
  async write(chunk: string): Promise<void> {
    this.bytes += Buffer.byteLength(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
