/*
|--------------------------------------------------------------------------
| npm run dev
|--------------------------------------------------------------------------
| One command for a newcomer: create .env when missing (with a fresh
| APP_KEY), migrate the embedded SQLite database in tmp/, seed the demo
| organisation (printing its login), then serve with hot reload on :3333
| and run the queue worker (scheduled jobs, start/scheduler.ts) beside it.
| The worker does not hot-reload: restart after changing a job.
*/
import { spawnSync, spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'

const [major] = process.versions.node.split('.').map(Number)
if (major < 24) {
  console.error(
    `Node.js 24 is required (running ${process.version}); run this through "npm run dev".`
  )
  process.exit(1)
}

if (!existsSync('.env')) {
  const example = readFileSync('.env.example', 'utf8')
  writeFileSync(
    '.env',
    example.replace(/^APP_KEY=.*$/m, `APP_KEY=${randomBytes(32).toString('base64url')}`)
  )
  console.log('Created .env from .env.example with a new APP_KEY')
}

function ace(...args) {
  const result = spawnSync(process.execPath, ['ace', ...args], { stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

ace('migration:run', '--force')
ace('db:seed', '--files', 'database/seeders/demo_seeder.ts')

const server = spawn(process.execPath, ['ace', 'serve', '--hmr'], { stdio: 'inherit' })
const worker = spawn(process.execPath, ['ace', 'queue:work'], { stdio: 'inherit' })
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    stopping = true
    server.kill('SIGINT')
    worker.kill('SIGTERM')
  })
// One command: when either child ends, stop the other and leave with its code.
server.on('exit', (code) => {
  worker.kill('SIGTERM')
  process.exitCode ||= code ?? 0
})
worker.on('exit', (code) => {
  if (!stopping && server.exitCode === null) {
    console.error(`queue:work exited (${code}); stopping the server`)
    process.exitCode = code || 1
    server.kill('SIGINT')
  }
})
