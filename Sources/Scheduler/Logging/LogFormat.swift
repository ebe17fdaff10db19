/// How log lines are printed (`LOG_FORMAT`): for people reading a terminal, or one JSON
/// object a line for a log collector such as Cloud Logging.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}
