import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/limiter'

const limiterStore = env.get('LIMITER_STORE', 'database')

const limiterConfig = defineConfig({
  default: limiterStore,
  stores: {
    database: stores.database({ tableName: 'rate_limits' }),
    memory: stores.memory({}),
    // Only configured when selected: a Redis store connects at boot (architecture pitfall 8).
    ...((limiterStore === 'redis' ? { redis: stores.redis({}) } : {}) as {
      redis: ReturnType<typeof stores.redis>
    }),
  },
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
