import env from '#start/env'
import { defineConfig } from '@adonisjs/transmit'
import { redis } from '@boringnode/bus/transports/redis'

/*
 | Several app instances share broadcasts through Redis. The transport comes
 | straight from @boringnode/bus: @adonisjs/transmit/transports also loads an
 | MQTT transport that needs a package we do not ship (architecture pitfall 7).
 */
export default defineConfig({
  // api.md §7.1: a keep-alive at least every 15 seconds.
  pingInterval: '15s',
  transport:
    env.get('TRANSMIT_TRANSPORT', 'none') === 'redis'
      ? {
          driver: redis({
            host: env.get('REDIS_HOST', '127.0.0.1'),
            port: env.get('REDIS_PORT', 6379),
            password: env.get('REDIS_PASSWORD'),
          }),
        }
      : null,
})
