import Hummingbird
import SchedulerRequests

/// The API's errors answer as `{"error": {"code": …, "message": …}}` with their status.
extension APIError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(status, Body(error: .init(code: code, message: message)))
    }
}
