import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { spec } from '@japa/runner/reporters'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'
import { plainSummaryReporter } from '#tests/helpers/plain_summary_reporter'

/*
 | No session/auth/shield api-client plugins on purpose: they replace the
 | session cookie on every request and drop the session afterwards, which
 | makes multi-request browser logins impossible. Tests log in through the
 | real endpoints and carry cookies themselves (tests/helpers/world.ts).
 */
export const plugins: Config['plugins'] = [assert(), apiClient(), pluginAdonisJS(app)]

export const reporters: Config['reporters'] = {
  activated: ['spec', 'plain-summary'],
  list: [spec(), plainSummaryReporter()],
}

/*
 | Every run starts from an empty database (like migration:fresh), so a run
 | that crashed half-way never poisons the next. Tests create their own
 | organisations on unique hosts, so they do not need to clean up after
 | themselves. Parallel runs on one machine need their own SQLITE_FILE / PG_DB_NAME.
 */
async function freshDatabase() {
  const db = (await import('@adonisjs/lucid/services/db')).default
  await db.connection().dropAllTables()
  const cleanup = await testUtils.db().migrate()
  void cleanup // keep the tables after the run: useful to inspect a failure
}

export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [freshDatabase],
  teardown: [],
}

export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['functional', 'browser'].includes(suite.name)) {
    // Every test request comes from 127.0.0.1: reset rate limits between tests.
    const resetLimits = async () => {
      const limiter = (await import('@adonisjs/limiter/services/main')).default
      await limiter.clear()
    }
    suite.onGroup((group) => group.each.setup(resetLimits))
    suite.onTest((t) => t.setup(resetLimits))
    return suite.setup(() => testUtils.httpServer().start())
  }
}
