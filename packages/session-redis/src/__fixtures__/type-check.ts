import { createClient as c5, createCluster as k5 } from 'redis5'
import { createClient as c6, createCluster as k6 } from 'redis6'
import { adaptClient } from '../redis-client-adapter.js'

adaptClient(c5())
adaptClient(c6())
adaptClient(k5({ rootNodes: [] }))
adaptClient(k6({ rootNodes: [] }))
