import { defineConfig } from '@adonisjs/transmit'

/*
 | Transmit serves the SSE streams (keep-alive, stream lifecycle, channel
 | authorisation). Fan-out between app instances does not use Transmit's bus
 | transport: the realtime hub (app/realtime/hub.ts) assigns per-channel
 | sequence numbers, keeps the replay log and publishes to every instance in
 | one atomic Redis step when TRANSMIT_TRANSPORT=redis (docs/realtime.md).
 */
export default defineConfig({
  // api.md §7.1: a keep-alive at least every 15 seconds.
  pingInterval: '15s',
  transport: null,
})
