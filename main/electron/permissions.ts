/**
 * Which web permissions Fieldbook's pages get: none. The renderer shows notebooks and talks to
 * main over IPC; it uses no camera, microphone, location, notifications, clipboard API, HID,
 * serial, USB, MIDI, fullscreen API, pointer lock, storage access, window management or anything
 * else Chromium asks its embedder about (copy and paste go through the Edit menu's roles, which
 * need no permission; full screen is the window's, from the View menu). Chromium asks through
 * two hooks: a request (a page calls an API that prompts) and a check (a page or Chromium
 * queries the state); main.ts answers both with this function, so a page — or content that got
 * into one — can get nothing.
 *
 * To allow something the app comes to use, add it to GRANTED with the origin it is for.
 */
export const GRANTED: readonly { permission: string; origin: string }[] = [];

/** Whether `permission` may be granted to a page at `origin` (`scheme://host`): only what GRANTED lists. */
export function permissionGranted(permission: string, origin: string): boolean {
  return GRANTED.some((grant) => grant.permission === permission && grant.origin === origin);
}

/** The origin (`scheme://host`) of a page's URL, or '' when it has none (about:blank, a bad URL). */
export function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : '';
  } catch {
    return '';
  }
}
