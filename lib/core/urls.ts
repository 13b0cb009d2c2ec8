// URLs given as plain strings land in ConfigMaps, manifests, reports and snapshots: they must not carry
// credentials, and no message prints the part of a URL that can (userinfo, query, fragment, token paths).

/** Webhook services whose URL path is itself the credential (the URL is the secret). */
const SECRET_PATH_HOSTS: readonly { readonly host: RegExp; readonly path: RegExp; readonly service: string }[] = [
  { host: /^hooks\.slack\.com$/, path: /^\/(services|workflows|triggers)\//, service: 'a Slack webhook' },
  { host: /^(discord|discordapp)\.com$/, path: /^\/api\/webhooks\//, service: 'a Discord webhook' },
  { host: /(^|\.)webhook\.office\.com$/, path: /^\/webhook/, service: 'a Microsoft Teams webhook' },
  { host: /^outlook\.office(365)?\.com$/, path: /^\/webhook/, service: 'a Microsoft Teams webhook' },
  { host: /(^|\.)logic\.azure\.com$/, path: /\/workflows\//, service: 'an Azure Logic Apps / Teams Workflows trigger' },
  { host: /^chat\.googleapis\.com$/, path: /\/messages/, service: 'a Google Chat webhook' },
  { host: /^api\.telegram\.org$/, path: /^\/bot/, service: 'a Telegram bot URL' },
  { host: /^hooks\.zapier\.com$/, path: /^\/hooks\//, service: 'a Zapier webhook' },
  { host: /^events\.pagerduty\.com$/, path: /\/integration\//, service: 'a PagerDuty integration URL' },
];

/** A path segment long and random enough to be a token (API keys, webhook secrets, signed ids). */
const TOKEN_SEGMENT = /^[A-Za-z0-9_~.+=-]{32,}$/;

/**
 * Why a plain-string URL may carry a credential, or undefined when it looks clean. Any userinfo, query or
 * fragment counts (tokens travel there: `?token=`, `?sig=`, `?code=`), and so do webhook services whose path is
 * the secret and path segments that look like tokens.
 */
export function credentialInUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined; // not a URL: the URL rule of the layer reports it
  }
  if (url.username || url.password) return 'the URL has a user or password in it';
  if (url.search) return 'the URL has a query string, where tokens travel (?token=, ?sig=, ?code=)';
  if (url.hash) return 'the URL has a fragment';
  const host = url.hostname.toLowerCase();
  const service = SECRET_PATH_HOSTS.find((s) => s.host.test(host) && s.path.test(url.pathname));
  if (service) return `the URL is ${service.service}, whose path is its credential`;
  if (url.pathname.split('/').some((segment) => TOKEN_SEGMENT.test(segment) && /\d/.test(segment) && /[A-Za-z]/.test(segment))) {
    return 'a path segment of the URL looks like a token';
  }
  return undefined;
}

/**
 * A URL as messages may print it: scheme, host, port and path, with userinfo, query and fragment cut, and
 * the path dropped where it carries the credential. Text that does not parse as a URL is cut at the first
 * '?', '#' or '@' part.
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text.replace(/\/\/[^/?#]*@/, '//…@').replace(/[?#].*$/s, '?…');
  }
  const cut = url.username || url.password || url.search || url.hash;
  const pathIsSecret = credentialInUrl(`${url.protocol}//${url.host}${url.pathname}`) !== undefined;
  const path = pathIsSecret ? '/…' : url.pathname;
  return `${url.protocol}//${url.username || url.password ? '…@' : ''}${url.host}${path}${cut && (url.search || url.hash) ? '?…' : ''}`;
}
