// How an error item reads: which server (side) and what went wrong (kind), in words.

const SIDES: Record<string, string> = { src: 'Source', dst: 'Destination' };

const KINDS: Record<string, string> = {
  connection: 'connection',
  tls: 'TLS',
  login: 'login',
  token: 'token',
  protocol: 'protocol',
  timeout: 'timeout',
  size: 'message too large',
  throttled: 'throttled',
  quota: 'quota',
  folder: 'folder',
  message: 'message',
};

/** "Destination login", "Source connection", "Message"; the kind alone when the side is unknown. */
export function errorLabel(item: { side?: string | null; kind?: string | null }): string {
  const kind = KINDS[item.kind ?? ''] ?? 'error';
  const side = SIDES[item.side ?? ''];
  if (!side) return kind.charAt(0).toUpperCase() + kind.slice(1);
  return `${side} ${kind}`;
}

/** Whether the item is about one message (it then has a folder and a UID worth showing). */
export const isMessageError = (item: { kind?: string | null }) =>
  item.kind === undefined || item.kind === null || item.kind === 'message' || item.kind === 'size';
