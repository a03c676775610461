import { MAX_ERROR_MESSAGE_LENGTH } from '@hostwatch/protocol/light';

/** 421: the hub does not answer to the name the agent reached it under (its Host check). */
const MISDIRECTED = 421;

/**
 * Whether a socket.io connect_error is the hub's HTTP 421, and if so what the
 * hub said; null for any other failure. Long-polling keeps the request in
 * `context` (status and the JSON body, whose `message` names the names the
 * hub answers to); a WebSocket upgrade only reports "Unexpected server
 * response: 421", without the body. Call it before closing the socket:
 * closing aborts the request, which empties its body.
 */
export function findMisdirection(error: Error): { said: string } | null {
  const { description, context } = error as Error & { description?: unknown; context?: unknown };
  const request = typeof context === 'object' && context !== null ? (context as { status?: unknown; responseText?: unknown }) : {};
  if (request.status === MISDIRECTED || description === MISDIRECTED) return { said: hubWords(request.responseText) };
  if (upgradeStatus(description) === MISDIRECTED) return { said: '' };
  return null;
}

function hubWords(body: unknown): string {
  if (typeof body !== 'string' || body === '') return '';
  let text = body;
  try {
    const parsed: unknown = JSON.parse(body);
    const message = typeof parsed === 'object' && parsed !== null ? (parsed as { message?: unknown }).message : undefined;
    if (typeof message === 'string') text = message;
  } catch {
    // Not the hub's JSON (a proxy's page, say): its own text is all there is.
  }
  return text.trim().slice(0, MAX_ERROR_MESSAGE_LENGTH);
}

/** ws reports a refused upgrade as an ErrorEvent carrying "Unexpected server response: NNN". */
function upgradeStatus(description: unknown): number | null {
  if (typeof description !== 'object' || description === null) return null;
  const inner = (description as { error?: unknown }).error;
  const message = inner instanceof Error ? inner.message : (description as { message?: unknown }).message;
  const match = typeof message === 'string' ? /^Unexpected server response: (\d{3})$/.exec(message) : null;
  return match ? Number(match[1]) : null;
}
