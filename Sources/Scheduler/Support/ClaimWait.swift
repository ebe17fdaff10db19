import Foundation

/// How long a claimer that found nothing to claim sleeps before it looks again.
///
/// Until the next pending task (of a type that is not paused) is due, at most `maximum`.
/// A task that is due already yet was not claimed is held back by its type's limit (or
/// arrived a moment ago): look again after ``heldBackRecheck`` rather than at once, so a
/// limited queue is rechecked a few times a second instead of in a busy loop.
enum ClaimWait {
    /// How soon tasks held back by a limit are looked at again.
    static let heldBackRecheck = Duration.milliseconds(200)

    static func duration(nextDue: Date?, now: Date, maximum: Duration) -> Duration {
        guard let nextDue else { return maximum }
        let seconds = nextDue.timeIntervalSince(now)
        guard seconds > 0 else { return min(maximum, heldBackRecheck) }
        return min(maximum, .milliseconds(Int64((seconds * 1000).rounded(.up))))
    }
}
