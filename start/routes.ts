/*
|--------------------------------------------------------------------------
| Routes
|--------------------------------------------------------------------------
| One file per surface: the JSON API and the Edge admin.
*/
import router from '@adonisjs/core/services/router'
import './routes/api_meetings.js'
import './routes/api_polls.js'
import './routes/integrations.js'
import './routes/api_access.js'
import './routes/api_proposals.js'
import './routes/api.js'
import './routes/api_speakers.js'
import './routes/api_components.js'
import './routes/api_participants.js'
import './routes/admin.js'
import './routes/admin_dialects.js'
import './routes/admin_polls.js'
import './routes/admin_proposals.js'
import './routes/admin_integrations.js'
import './routes/admin_speakers.js'
import './routes/admin_meetings.js'

router.get('/', ({ response }) => response.redirect('/admin')).as('home')
