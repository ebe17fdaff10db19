import Foundation
import Scheduler
import Synchronization

/// The handlers most engine tests register.
let testHandlers: [any TaskHandler] = [NoopHandler(), FlakyHandler(), GreetHandler()]
