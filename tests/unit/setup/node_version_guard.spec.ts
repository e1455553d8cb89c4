import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * ace.js must refuse an older Node with a clear message (architecture pitfall 1)
 * instead of failing later with ERR_UNKNOWN_FILE_EXTENSION.
 */
test.group('Set-up | ace.js refuses an old Node', () => {
  test('the machine Node (if older than 24) gets a clear message and exit code 1', ({ assert }) => {
    const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => existsSync(path))
    const version = systemNode
      ? spawnSync(systemNode, ['--version'], { encoding: 'utf8' }).stdout.trim()
      : ''
    const major = Number(version.replace(/^v/, '').split('.')[0])
    if (!systemNode || !(major < 24)) {
      // Nothing older to try on this machine; the guard itself is checked below with a fake version.
      return
    }
    const result = spawnSync(systemNode, ['ace.js', 'list'], { encoding: 'utf8' })
    assert.equal(result.status, 1)
    assert.match(result.stderr, /needs Node\.js 24/)
  })

  test('the guard compares the major version', ({ assert }) => {
    // Run the guard's first lines under the current Node with a faked process.versions.
    const script = `Object.defineProperty(process.versions, 'node', { value: '20.1.0' }); await import('${process.cwd()}/ace.js')`
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    })
    assert.equal(result.status, 1)
    assert.match(result.stderr, /needs Node\.js 24 or newer \(running v/)
  })
})
