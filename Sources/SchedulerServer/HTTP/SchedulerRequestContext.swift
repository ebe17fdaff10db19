import Hummingbird
import Scheduler
import SchedulerRequests

/// The request context of the scheduler's HTTP API; its one change from Hummingbird's
/// basic context is the 1 MiB cap on request bodies (larger ones get 413).
public struct SchedulerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// The largest request body the API reads.
    public var maxUploadSize: Int { APIError.maximumBodySize }
}
