import { request, type ClientRequest, type IncomingMessage } from 'node:http'
import { randomUUID } from 'node:crypto'

/**
 * A real SSE client for functional tests: opens GET /__transmit/events on the
 * test server over HTTP, parses the event stream and keeps every frame.
 * Subscriptions are made with real HTTP calls (the api client).
 */
export interface StreamFrame {
  channel: string
  payload: {
    v: number
    type: string
    channel: string
    epoch: string | null
    seq: number | null
    ts: string
    rid: string | null
    data?: any
    items?: any[]
    announce?: { key: string; params: Record<string, any> }
  }
}

export class SseClient {
  readonly frames: StreamFrame[] = []
  readonly comments: string[] = []
  retry: number | null = null
  closed = false
  status = 0
  #buffer = ''
  #waiters: Array<() => void> = []
  #request: ClientRequest | null = null
  #response: IncomingMessage | null = null

  constructor(readonly uid: string) {}

  static async open(options: {
    host: string
    cookie?: string
    ticket?: string
    uid?: string
    port?: number
    bearer?: string
  }): Promise<SseClient> {
    const client = new SseClient(options.uid ?? randomUUID())
    const query = new URLSearchParams({ uid: client.uid })
    if (options.ticket) query.set('ticket', options.ticket)
    await new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: options.port ?? Number(process.env.PORT),
          path: `/__transmit/events?${query}`,
          headers: {
            host: options.host,
            accept: 'text/event-stream',
            ...(options.cookie ? { cookie: options.cookie } : {}),
            ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
          },
        },
        (res) => {
          client.#response = res
          client.status = res.statusCode ?? 0
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => client.#feed(chunk))
          res.on('close', () => {
            client.closed = true
            client.#wake()
          })
          // The server writes ":ok" at once for a real stream; an error answers with a body and ends.
          resolve()
        }
      )
      req.on('error', reject)
      req.end()
      client.#request = req
    })
    return client
  }

  #feed(chunk: string) {
    this.#buffer += chunk
    let index: number
    while ((index = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, index)
      this.#buffer = this.#buffer.slice(index + 2)
      const data: string[] = []
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1))
        else if (line.startsWith('retry:')) this.retry = Number(line.slice(6).trim())
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
      }
      if (data.length === 0) continue
      const frame = JSON.parse(data.join('\n')) as StreamFrame
      if (frame.channel === '$$transmit/ping') continue
      this.frames.push(frame)
    }
    this.#wake()
  }

  #wake() {
    const waiters = this.#waiters
    this.#waiters = []
    for (const wake of waiters) wake()
  }

  /** Frames of one channel (optionally of one type). */
  on(channel: string, type?: string) {
    return this.frames.filter(
      (frame) => frame.channel === channel && (type === undefined || frame.payload.type === type)
    )
  }

  /** Waits until `predicate` holds for the frames received so far. */
  async waitFor(predicate: (frames: StreamFrame[]) => boolean, timeoutMs = 5000, what = 'a frame') {
    const deadline = Date.now() + timeoutMs
    while (!predicate(this.frames)) {
      if (this.closed && !predicate(this.frames))
        throw new Error(`stream closed while waiting for ${what}`)
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new Error(
          `timed out waiting for ${what}; got ${JSON.stringify(this.frames.map((f) => [f.channel, f.payload.type, f.payload.seq]))}`
        )
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /** Waits a little and asserts nothing more arrived: used for "no message" checks. */
  async settle(ms = 300) {
    await new Promise((resolve) => setTimeout(resolve, ms))
  }

  async waitClosed(timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('stream did not close')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  close() {
    this.#response?.destroy()
    this.#request?.destroy()
  }
}
