import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'goldfish_token';

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** The token may come as ?token=, as the cookie set on first load, or as a Bearer header. */
export function presentedToken(request: IncomingMessage, url: URL): string | undefined {
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  return url.searchParams.get('token') ?? bearer ?? cookieValue(request.headers.cookie, TOKEN_COOKIE);
}

export function isAuthorized(request: IncomingMessage, url: URL, token: string): boolean {
  const presented = presentedToken(request, url);
  return presented !== undefined && sameSecret(presented, token);
}
