/*
| Polls, votes, electoral registers, vote transfers and signing keys
| (api.md §6.13, §6.14, §11.1–§11.3). Same group structure as api.ts.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const PollsController = () => import('#controllers/api/polls_controller')
const VotesController = () => import('#controllers/api/votes_controller')
const ElectoralRegistersController = () => import('#controllers/api/electoral_registers_controller')
const VoteTransfersController = () => import('#controllers/api/vote_transfers_controller')
const SigningKeysController = () => import('#controllers/api/signing_keys_controller')

const id = router.matchers.number()

router
  .get('/.well-known/voting-keys.json', [SigningKeysController, 'wellKnown'])
  .as('well_known.voting_keys')

router
  .group(() => {
    router.get('poll-methods', [PollsController, 'methods']).as('poll_methods.index')
    router.get('polls', [PollsController, 'index']).as('polls.index')
    router.post('polls', [PollsController, 'store']).as('polls.store')
    router.get('polls/:id', [PollsController, 'show']).as('polls.show').where('id', id)
    router.patch('polls/:id', [PollsController, 'update']).as('polls.update').where('id', id)
    router.delete('polls/:id', [PollsController, 'destroy']).as('polls.destroy').where('id', id)
    router.get('polls/:id/event', [PollsController, 'events']).as('polls.events').where('id', id)
    router.post('polls/:id/event', [PollsController, 'fire']).as('polls.fire').where('id', id)
    router.get('polls/:id/status', [PollsController, 'status']).as('polls.status').where('id', id)
    router
      .get('polls/:id/ballots', [PollsController, 'ballots'])
      .as('polls.ballots')
      .where('id', id)
    router.get('polls/:id/ballot', [PollsController, 'ballot']).as('polls.ballot').where('id', id)
    router.get('polls/:id/bundle', [PollsController, 'bundle']).as('polls.bundle').where('id', id)

    router.post('votes', [VotesController, 'store']).as('votes.store')
    router.get('votes', [VotesController, 'index']).as('votes.index')
    router.delete('votes/:id', [VotesController, 'destroy']).as('votes.destroy').where('id', id)

    router
      .get('electoral-register-policies', [ElectoralRegistersController, 'policies'])
      .as('er_policies.index')
    router
      .get('electoral-registers', [ElectoralRegistersController, 'index'])
      .as('electoral_registers.index')
    router
      .post('electoral-registers/trigger-create', [ElectoralRegistersController, 'trigger'])
      .as('electoral_registers.trigger')
    router
      .post('electoral-registers/manual-create', [ElectoralRegistersController, 'manual'])
      .as('electoral_registers.manual')
    router
      .get('electoral-registers/:id', [ElectoralRegistersController, 'show'])
      .as('electoral_registers.show')
      .where('id', id)
    router
      .get('electoral-registers/:id/export', [ElectoralRegistersController, 'export'])
      .as('electoral_registers.export')
      .where('id', id)

    router.get('vote-transfers', [VoteTransfersController, 'index']).as('vote_transfers.index')
    router.post('vote-transfers', [VoteTransfersController, 'store']).as('vote_transfers.store')
    router
      .patch('vote-transfers/:id', [VoteTransfersController, 'update'])
      .as('vote_transfers.update')
      .where('id', id)
    router
      .delete('vote-transfers/:id', [VoteTransfersController, 'destroy'])
      .as('vote_transfers.destroy')
      .where('id', id)

    router
      .get('organisation/signing-key', [SigningKeysController, 'show'])
      .as('organisation.signing_key')
  })
  .prefix('/api')
  .as('api')
  .use([middleware.apiCsrf(), middleware.auth()])

/*
| Hooks into proposals and meetings, loaded after the routes are defined: the
| poll modules import much of the app, and a static import here would let
| that graph register other route files (with their /api/* catch-all) first.
*/
const { registerPollHooks } = await import('#services/poll_hooks')
registerPollHooks()
// The every-minute close_at job is scheduled by start/scheduler.ts and run by `node ace queue:work`.
