import AgentSchedulerCLI
import Handlers
import Scheduler

// The shipped binary: the CLI with the task processor's handlers.
await AgentSchedulerCommand.main(handlers: HandlerCatalog.set)
