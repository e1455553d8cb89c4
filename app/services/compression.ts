import { gzip } from 'node:zlib'
import { promisify } from 'node:util'
import type { HttpContext } from '@adonisjs/core/http'

const gzipAsync = promisify(gzip)

/** Below this, compressing costs more than it saves. */
export const COMPRESS_FROM_BYTES = 32 * 1024

/**
 * Sends a JSON string, gzip-compressed when the client accepts it and it is
 * large (realtime snapshots of big meetings are ~1 MB of JSON and compress
 * about tenfold). Compression runs on libuv's thread pool, not the event loop.
 * A reverse proxy that compresses too sees `Content-Encoding` and leaves it.
 */
export async function sendJson(ctx: HttpContext, json: string) {
  ctx.response.header('Content-Type', 'application/json; charset=utf-8')
  ctx.response.append('Vary', 'Accept-Encoding')
  const accepted = /\bgzip\b/i.test(ctx.request.header('accept-encoding') ?? '')
  if (!accepted || Buffer.byteLength(json) < COMPRESS_FROM_BYTES) return ctx.response.send(json)
  ctx.response.header('Content-Encoding', 'gzip')
  return ctx.response.send(await gzipAsync(json, { level: 6 }))
}
