/// What happens to ticks that passed while no instance ran (`SCHEDULE_MISSED`): one
/// task for all of them when an instance starts (`once`, the default), or none
/// (`skip`). Either way a schedule never enqueues once per missed tick.
public enum MissedTicks: String, Sendable, CaseIterable {
    case once
    case skip

    /// How late a tick may be enqueued and still count as on time (an instance that
    /// was busy or just started), rather than missed.
    public static let grace: Double = 60
}
