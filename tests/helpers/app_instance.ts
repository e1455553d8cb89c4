import { spawn, type ChildProcess } from 'node:child_process'
import { request } from 'node:http'

/**
 * A second (third, …) application process for multi-instance tests: the same
 * code and database as the test run, its own port, Transmit over Redis.
 */
export class AppInstance {
  output = ''
  constructor(
    readonly port: number,
    private child: ChildProcess
  ) {}

  static async start(port: number, host: string, env: Record<string, string> = {}) {
    const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const instance = new AppInstance(port, child)
    child.stdout!.on('data', (chunk) => (instance.output += chunk))
    child.stderr!.on('data', (chunk) => (instance.output += chunk))
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`instance on ${port} exited:\n${instance.output}`)
      if ((await instance.status('/api/realtime/versions', host)) === 200) return instance
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    await instance.stop()
    throw new Error(`instance on ${port} did not start:\n${instance.output}`)
  }

  status(path: string, host: string): Promise<number> {
    return new Promise((resolve) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, path, headers: { host } },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        }
      )
      req.on('error', () => resolve(0))
      req.end()
    })
  }

  /** A JSON request with a bearer token. */
  json(method: string, path: string, host: string, token: string, body?: unknown) {
    return new Promise<{ status: number; body: any }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method,
          headers: {
            host: host,
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk) => (text += chunk))
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null })
          )
        }
      )
      req.on('error', reject)
      req.end(payload)
    })
  }

  /** SIGTERM (graceful: streams get system.closing 1001), SIGKILL if still running 5 s later. */
  /** Stops the process and waits for it to exit, so it no longer holds the (SQLite) database. */
  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve()
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.exitCode === null && this.child.kill('SIGKILL'), 5000)
    timer.unref()
    return exited
  }
}
