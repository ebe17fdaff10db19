import AgentSchedulerCLI
import NoteHandlers

// This program is agent-scheduler with the notes handlers beside the built-in ones.
await AgentSchedulerCommand.main(handlers: NoteHandlers.set)
