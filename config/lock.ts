import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/lock'

const lockStore = env.get('LOCK_STORE', 'database')

/*
 | The Redis store connects at boot even when it is not the default, so it is
 | only configured when selected (architecture pitfall 8).
 */
const lockConfig = defineConfig({
  default: lockStore,
  stores: {
    database: stores.database({ tableName: 'locks' }),
    memory: stores.memory(),
    ...((lockStore === 'redis' ? { redis: stores.redis({}) } : {}) as {
      redis: ReturnType<typeof stores.redis>
    }),
  },
})

export default lockConfig

declare module '@adonisjs/lock/types' {
  export interface LockStoresList extends InferLockStores<typeof lockConfig> {}
}
