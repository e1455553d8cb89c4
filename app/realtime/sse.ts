import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'

/*
 | The event stream is written straight to the Node response. Transmit's
 | Stream (an objectMode Transform piped into the response) costs every idle
 | stream two stream states and a dozen pipe closures, and re-splits and
 | re-prefixes each frame once per recipient; here an event is built once and
 | the same string goes to every subscriber. The bytes are Transmit's: the same
 | headers, `:ok` first, `data: <json>` events, `$$transmit/ping` keep-alives.
 */

export const SSE_HEADERS = {
  'Cache-Control': 'private, no-cache, no-store, must-revalidate, max-age=0, no-transform',
  'Connection': 'keep-alive',
  'Content-Type': 'text/event-stream',
  'Expire': '0',
  'Pragma': 'no-cache',
  // Proxies (nginx) must not buffer the stream.
  'X-Accel-Buffering': 'no',
} as const

/** One event whose data is `json` (JSON.stringify output never contains a line break: one `data:` line). */
export function sseEvent(json: string): string {
  return `data: ${json}\n\n`
}

/** The keep-alive frame Transmit clients know (api.md §7.1), shared by every stream. */
export const PING_EVENT = sseEvent('{"channel":"$$transmit/ping","payload":{}}')

/**
 * Starts the event stream: headers, the `:ok` comment (Safari opens the
 * stream on the first bytes) and the reconnect hint, in one write.
 */
export function startEventStream(
  response: ServerResponse,
  headers: OutgoingHttpHeaders,
  retryMs: number
) {
  const socket = response.socket
  if (socket) {
    socket.setKeepAlive(true)
    socket.setNoDelay(true)
    socket.setTimeout(0)
  }
  response.writeHead(200, { ...headers, ...SSE_HEADERS })
  response.write(`:ok\n\nretry: ${retryMs}\n\n`)
}

/** Whether the response can still take a write (a write after end() would raise an error event). */
export function writable(response: ServerResponse): boolean {
  return !response.writableEnded && !response.destroyed
}
