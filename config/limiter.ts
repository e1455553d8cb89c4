import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/limiter'

const limiterStore = env.get('LIMITER_STORE', 'database')

const limiterConfig = defineConfig({
  default: limiterStore,
  stores: {
    database: stores.database({ tableName: 'rate_limits' }),
    memory: stores.memory({}),
    ...(limiterStore === 'redis' ? { redis: stores.redis({}) } : {}),
  } as Record<'database' | 'memory' | 'redis', ReturnType<typeof stores.memory>>,
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
