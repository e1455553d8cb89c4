import { defineConfig } from '@adonisjs/transmit'

/*
 | Transmit only matches channel names to their `authorize` callbacks
 | (start/transmit.ts). The event streams are written by the realtime hub
 | (app/realtime/streams.ts), which also sends the keep-alive (api.md §7.1:
 | at least every 15 seconds; one timer for all streams). Fan-out between app
 | instances does not use Transmit's bus transport: the hub assigns per-channel
 | sequence numbers, keeps the replay log and publishes to every instance in
 | one atomic Redis step when TRANSMIT_TRANSPORT=redis (docs/realtime.md).
 */
export default defineConfig({
  pingInterval: false,
  transport: null,
})
