import { VoteTransfersController } from '#controllers/api/electoral_registers_controller'

/** Vote transfers (api.md §6.14); implemented next to the registers they feed. */
export default VoteTransfersController
