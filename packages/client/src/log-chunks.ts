/**
 * Most lines the receiver appends from one request (core's MAX_LOG_LINES, restated: the client bundles
 * without any dependency, so it takes no value from core; a test keeps the two equal).
 */
export const MAX_LOG_LINES = 100_000;

/**
 * Splits log text into bodies of at most `maxBytes` UTF-8 bytes and `maxLines` lines, cutting between
 * lines, so that an upload larger than the receiver's log limits goes in several requests.
 * A single line longer than the limit is cut into pieces.
 *
 * @example logChunks("a\nb\nc", 4) // ["a\nb", "c"]
 */
export function logChunks(text: string, maxBytes: number, maxLines = MAX_LOG_LINES): string[] {
  const body = text.replace(/\r\n/g, "\n").replace(/\n$/, "");
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  const flush = () => {
    if (current.length > 0) chunks.push(current.join("\n"));
    current = [];
    size = 0;
  };
  for (const line of body === "" ? [] : body.split("\n")) {
    for (const piece of cutLine(line, maxBytes)) {
      const bytes = Buffer.byteLength(piece) + 1;
      if (size + bytes > maxBytes + 1 || current.length === maxLines) flush();
      current.push(piece);
      size += bytes;
    }
  }
  flush();
  return chunks;
}

/** Cuts a line into pieces of at most `maxBytes` bytes without splitting a character. */
function cutLine(line: string, maxBytes: number): string[] {
  if (Buffer.byteLength(line) <= maxBytes) return [line];
  const pieces: string[] = [];
  let piece = "";
  let size = 0;
  for (const char of line) {
    const bytes = Buffer.byteLength(char);
    if (size + bytes > maxBytes) {
      pieces.push(piece);
      piece = "";
      size = 0;
    }
    piece += char;
    size += bytes;
  }
  if (piece !== "") pieces.push(piece);
  return pieces;
}

/** Groups structured entries so that each group's JSON stays under `maxBytes`, and has `maxLines` at most. */
export function entryChunks<T>(entries: readonly T[], maxBytes: number, maxLines = MAX_LOG_LINES): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 2;
  for (const entry of entries) {
    const bytes = Buffer.byteLength(JSON.stringify(entry)) + 1;
    if (current.length > 0 && (size + bytes > maxBytes || current.length === maxLines)) {
      chunks.push(current);
      current = [];
      size = 2;
    }
    current.push(entry);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
