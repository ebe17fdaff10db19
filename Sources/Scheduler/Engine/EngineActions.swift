/// What the engine must do after an ``EngineState`` event, decided under its lock and
/// carried out by ``RunningTasks`` after it: waits to resume, attempts to stop, a result
/// writer to start, a deadline timer to move.
struct EngineActions<Handle, Waiter> {
    /// Waits to resume with `true`: a slot granted, a result written, the engine empty.
    var proceed: [Waiter] = []
    /// Waits to resume with `false`: the slot of an attempt that was stopped while it
    /// waited, which must not run its handler.
    var refuse: [Waiter] = []
    /// Attempts to stop, each with why.
    var stop: [(handle: Handle, reason: StopReason)] = []
    /// Whether to start a writer for the queued results: none is writing.
    var startWriting = false
    /// When the deadline timer must fire now: the earliest handler deadline moved
    /// earlier, or the last timer fired and this one is next.
    var timer: ContinuousClock.Instant?
}
