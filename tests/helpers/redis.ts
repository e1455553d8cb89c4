import { Socket } from 'node:net'

/** Whether a Redis server answers PING on REDIS_HOST:REDIS_PORT (tests that need one skip otherwise). */
export async function redisReachable(timeoutMs = 500): Promise<boolean> {
  const host = process.env.REDIS_HOST ?? '127.0.0.1'
  const port = Number(process.env.REDIS_PORT ?? 6379)
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('error', () => done(false))
    socket.connect(port, host, () => socket.write('PING\r\n'))
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')))
  })
}
