import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * An append-only journal of JSON documents in front of the embedded
 * database: a write that must not be lost is appended here (one system call
 * for everything that arrived in an event-loop turn) and acknowledged, and
 * goes into the database afterwards, in batches. PGlite makes its data durable
 * the same way — its `fsync` does nothing, written pages are in the operating
 * system's cache — so an appended document survives a crash of the process
 * exactly as a committed row does.
 *
 * Files (`<n>.journal`, segments) hold frames: payload length (u32 LE), CRC-32
 * of the payload (u32 LE), payload = a JSON array of the appended documents.
 * A segment is deleted once every document in it is released (in the
 * database); the current one is emptied instead. Whatever is left when the
 * process starts again was not released: `readLeftovers` returns it, and a
 * frame cut short by a crash or failing its checksum ends the file.
 */
export interface Journal {
  /** Appends documents (JSON texts) as one frame; the returned segment is what `release` needs. Synchronous. */
  append(documents: readonly string[]): number;
  /**
   * `count` documents of `segment` are dealt with: in the database, or (`isStored` false) refused by
   * it — then the segment stays on disk for the next start to try again, and nothing else waits on them.
   */
  release(segment: number, count: number, isStored?: boolean): void;
  /** Documents appended and not released yet. */
  readonly unreleased: number;
  /** Documents left by an earlier process, oldest first, parsed; `discardLeftovers` once they are stored. */
  readLeftovers(): unknown[];
  discardLeftovers(): void;
  /** Closes the current segment; removed when nothing in it waits any more. */
  close(): void;
}

export interface JournalOptions {
  dir: string;
  /** A new segment starts when the current one is this large (default 4 MiB). */
  segmentBytes?: number;
}

const FRAME_HEADER_BYTES = 8;
const SEGMENT_FILE = /^(\d+)\.journal$/;

export function openJournal(options: JournalOptions): Journal {
  const { dir } = options;
  const segmentBytes = options.segmentBytes ?? 4 * 1024 * 1024;
  mkdirSync(dir, { recursive: true });
  const leftovers = listSegments(dir);
  // New segments never reuse a leftover's number: discarding leftovers must not delete new documents.
  let current = (leftovers.at(-1) ?? 0) + 1;
  let fd: number | undefined;
  let position = 0;
  let unreleased = 0;
  /** Unreleased documents per segment. */
  const pendingBySegment = new Map<number, number>();
  /** Segments holding documents the database refused: left for the next start. */
  const keptSegments = new Set<number>();
  const canRemove = (segment: number) => !pendingBySegment.has(segment) && !keptSegments.has(segment);

  const pathOf = (segment: number) => join(dir, `${segment}.journal`);

  function startSegment(): number {
    if (fd !== undefined) {
      closeSync(fd);
      if (canRemove(current)) unlinkSync(pathOf(current));
      current++;
    }
    fd = openSync(pathOf(current), 'w');
    position = 0;
    return fd;
  }

  return {
    append(documents) {
      if (documents.length === 0) return current;
      const payload = Buffer.from(`[${documents.join(',')}]`);
      const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
      frame.writeUInt32LE(payload.length, 0);
      frame.writeUInt32LE(crc32(payload), 4);
      payload.copy(frame, FRAME_HEADER_BYTES);
      const file = fd === undefined || position >= segmentBytes ? startSegment() : fd;
      writeFully(file, frame, position);
      position += frame.length;
      pendingBySegment.set(current, (pendingBySegment.get(current) ?? 0) + documents.length);
      unreleased += documents.length;
      return current;
    },

    release(segment, count, isStored = true) {
      const left = (pendingBySegment.get(segment) ?? 0) - count;
      unreleased -= count;
      if (!isStored) keptSegments.add(segment);
      if (left > 0) pendingBySegment.set(segment, left);
      else pendingBySegment.delete(segment);
      if (!canRemove(segment)) return;
      if (segment !== current) unlinkSync(pathOf(segment));
      else if (fd !== undefined && position > 0) {
        // Caught up: the current segment starts over instead of growing.
        ftruncateSync(fd, 0);
        position = 0;
      }
    },

    get unreleased() {
      return unreleased;
    },

    readLeftovers() {
      return leftovers.flatMap((segment) => readFrames(readFileSync(pathOf(segment))));
    },

    discardLeftovers() {
      for (const segment of leftovers.splice(0)) unlinkSync(pathOf(segment));
    },

    close() {
      if (fd === undefined) return;
      closeSync(fd);
      fd = undefined;
      if (canRemove(current)) unlinkSync(pathOf(current));
    },
  };
}

function listSegments(dir: string): number[] {
  return readdirSync(dir)
    .map((name) => SEGMENT_FILE.exec(name)?.[1])
    .filter((number): number is string => number !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

function writeFully(fd: number, bytes: Buffer, position: number): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, position + written);
}

/** Every whole, intact frame's documents; the first short or corrupt frame ends the file (a crash cut it). */
function readFrames(file: Buffer): unknown[] {
  const documents: unknown[] = [];
  let offset = 0;
  while (offset + FRAME_HEADER_BYTES <= file.length) {
    const length = file.readUInt32LE(offset);
    const start = offset + FRAME_HEADER_BYTES;
    if (length === 0 || start + length > file.length) break;
    const payload = file.subarray(start, start + length);
    if (crc32(payload) !== file.readUInt32LE(offset + 4)) break;
    documents.push(...(JSON.parse(payload.toString('utf8')) as unknown[]));
    offset = start + length;
  }
  return documents;
}
