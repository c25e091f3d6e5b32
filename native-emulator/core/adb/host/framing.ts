/**
 * Smart-socket framing of the adb server protocol (AOSP adb/OVERVIEW.TXT, SERVICES.TXT):
 * a request is 4 hex digits of length + the text; a reply is OKAY, or FAIL + 4 hex + message; a value is
 * 4 hex + data.
 */
import { ByteQueue, concatBytes, decodeUtf8, encodeLatin1, encodeUtf8 } from '../bytes.js';

export const OKAY = encodeLatin1('OKAY');
export const FAIL = encodeLatin1('FAIL');
/** Largest request the server reads (adb uses MAX_PAYLOAD; requests are short). */
export const MAX_REQUEST = 64 * 1024 - 1;

export function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** 4 hex digits of byte length + the UTF-8 text. */
export function encodeValue(text: string | Uint8Array): Uint8Array {
  const bytes = typeof text === 'string' ? encodeUtf8(text) : text;
  if (bytes.length > 0xffff) throw new RangeError(`value of ${bytes.length} bytes does not fit 4 hex digits`);
  return concatBytes([encodeLatin1(hex4(bytes.length)), bytes]);
}

/** A request as a client sends it. */
export const encodeRequest = encodeValue;

export function encodeOkay(value?: string): Uint8Array {
  return value === undefined ? OKAY : concatBytes([OKAY, encodeValue(value)]);
}

export function encodeFail(message: string): Uint8Array {
  return concatBytes([FAIL, encodeValue(message)]);
}

/** Reads framed requests from a byte stream; `error` once the framing is broken. */
export class RequestParser {
  readonly queue = new ByteQueue();
  error: string | undefined;

  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }

  /** The next complete request, or undefined (check `error`). */
  next(): string | undefined {
    if (this.error || this.queue.length < 4) return undefined;
    const head = decodeUtf8(this.queue.peek(4));
    if (!/^[0-9a-fA-F]{4}$/.test(head)) {
      this.error = `bad request length ${JSON.stringify(head)}`;
      return undefined;
    }
    const length = Number.parseInt(head, 16);
    if (this.queue.length < 4 + length) return undefined;
    this.queue.skip(4);
    return decodeUtf8(this.queue.read(length));
  }
}
