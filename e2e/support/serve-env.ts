/** The serve-mode instance the browser tests run against (started by playwright.config.ts). */
export const SERVE_PORT = Number(process.env.GOLDFISH_E2E_PORT ?? 47831);
export const SERVE_TOKEN = process.env.GOLDFISH_E2E_TOKEN ?? 'e2e0123456789abcdef0123456789abcdef0123456789ab';
export const APP_URL = `/?token=${SERVE_TOKEN}`;
